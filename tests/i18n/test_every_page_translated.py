"""Every page, for every persona, with every text marked for translation.

Pages are rendered in a pseudo-language (tests/i18n/pseudo.py) in which each translated text
comes out between ⟦ and ⟧. Whatever a page shows outside the brackets must be data: what
someone typed or a name (any text stored in the database), numbers, dates' digits and
punctuation. Any other word was never marked, and would stay English in Albanian and
Indonesian. The URLconf is walked, as in tests/test_page_gates.py, so a page added later is
checked without being listed here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import URLPattern, reverse

from tests.cases.test_access_matrix import case_scoped_urls, every_record_id
from tests.conftest import World
from tests.test_page_gates import pages_outside_case_files

from . import pseudo
from .visible import visible_texts

PERSONAS = ["case_manager", "mdt", "supervisor", "administrator", "outsider"]
# Two letters in a row outside the brackets: a word nobody marked.
WORD = re.compile(r"[^\W\d_]{2,}")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def pseudo_language(tmp_path: Path, settings: Any) -> str:
    settings.LOCALE_PATHS = [pseudo.build(tmp_path)]
    settings.LANGUAGES = [*settings.LANGUAGES, (pseudo.PSEUDO, pseudo.wrap("Pseudo"))]
    return pseudo.PSEUDO


def _stored_texts() -> list[str]:
    """Every text in the database that is data rather than a choice: what people typed,
    names, codes. Longest first, so that a name is taken out before a part of it."""
    texts: set[str] = set()
    for model in apps.get_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices
        ]
        if fields:
            for row in model._default_manager.values_list(*fields):
                texts.update(value for value in row if isinstance(value, str) and value.strip())
    return sorted(texts, key=len, reverse=True)


def unmarked_words(html: str, stored: list[str]) -> list[str]:
    # The page's texts in order, joined: a translated sentence with a link or emphasis in it
    # spans several text nodes.
    rest = pseudo.untranslated("\n".join(visible_texts(html)))
    rest = UUID.sub(" ", rest)
    for value in stored:
        if value in rest:
            rest = rest.replace(value, " ")
    return WORD.findall(rest)


def _rich_world(world: World) -> dict[str, Any]:
    """Give the world's case something on every page: one of each kind of record a case URL
    can point at (made by the access matrix's own helper), and their ids by parameter."""
    ids = every_record_id(world)
    referral = world.case.referrals.select_related("service__provider").get()
    ids.update(
        provider_id=referral.service.provider.public_id, service_id=referral.service.public_id
    )
    return ids


def _address(name: str, pattern: URLPattern, ids: dict[str, Any]) -> str | None:
    converters = set(pattern.all_converters)  # type: ignore[attr-defined]
    if not converters <= ids.keys():
        return None  # a page about a record of another organisation (transfers)
    return reverse(name, kwargs={key: ids[key] for key in converters})


@pytest.mark.django_db
def test_every_page_shows_only_translated_text_and_data(world: World, pseudo_language: str) -> None:
    ids = {**_rich_world(world), "key": "stages"}
    pages = [*pages_outside_case_files(), *case_scoped_urls()]
    found: dict[str, list[str]] = {}
    checked = 0
    for persona in [None, *PERSONAS]:
        client = Client()
        if persona:
            client.force_login(world.personas()[persona])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = pseudo_language
        stored = _stored_texts()
        for name, pattern in pages:
            url = _address(name, pattern, ids)
            if url is None:
                continue
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            html = response.content.decode()
            assert f'<html lang="{pseudo_language}"' in html, url
            checked += 1
            # Pages write to the database (the access log): look again before blaming a word.
            if unmarked_words(html, stored):
                stored = _stored_texts()
            if words := unmarked_words(html, stored):
                found[f"{name} ({persona or 'not logged in'})"] = sorted(set(words))
    assert checked > 100
    assert not found, "Words not marked for translation:\n" + "\n".join(
        f"{page}: {' '.join(words)}" for page, words in sorted(found.items())
    )
