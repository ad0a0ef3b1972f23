"""Choosing the language a document is printed in, and printing in two at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

from core.languages import document_language, print_languages


def test_the_language_asked_for_comes_first_then_the_persons_then_the_working_one(
    settings: Any,
) -> None:
    settings.LANGUAGE_CODE = "en-gb"
    assert document_language("id", "sq") == "id"
    assert document_language(None, "sq") == "sq"
    assert document_language("", "Romani") == "en-gb"  # not one of ours
    assert document_language("de", None) == "en-gb"


def test_a_bilingual_document_pairs_the_persons_language_with_the_working_one(
    settings: Any,
) -> None:
    settings.LANGUAGE_CODE = "sq"
    assert print_languages("id", bilingual=True) == ["id", "sq"]
    assert print_languages("id", bilingual=False) == ["id"]
    assert print_languages("sq", bilingual=True) == ["sq"]  # nothing to pair


TEMPLATE = "{% load documents i18n %}{% bilingual %}{% translate 'Log out' %}{% endbilingual %}"


def test_bilingual_text_comes_once_per_language_each_marked_with_its_language() -> None:
    rendered = Template(TEMPLATE).render(Context({"document_languages": ["sq", "en-gb"]}))
    with translation.override("sq"):
        albanian = translation.gettext("Log out")
    assert albanian != "Log out"
    assert rendered == f'<span lang="sq">{albanian}</span> / <span lang="en-gb">Log out</span>'


def test_one_language_prints_plain_text_in_the_active_language() -> None:
    with translation.override("id"):
        rendered = Template(TEMPLATE).render(Context({}))
        assert rendered == translation.gettext("Log out")


def test_a_block_version_gives_each_language_its_own_paragraph() -> None:
    template = Template("{% load documents %}{% bilingual block %}x{% endbilingual %}")
    rendered = template.render(Context({"document_languages": ["id", "en-gb"]}))
    assert (
        rendered
        == '<div lang="id" class="bilingual">x</div><div lang="en-gb" class="bilingual">x</div>'
    )
    with pytest.raises(TemplateSyntaxError):
        Template("{% load documents %}{% bilingual inline %}x{% endbilingual %}")
