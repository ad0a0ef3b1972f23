"""The languages documents are printed in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def document_language(asked: str | None, preferred: str | None = None) -> str:
    """The language to print a document in: the one asked for when printing, else the
    person's own where it is one of ours, else the organisation's working language."""
    for code in (asked, preferred):
        if code and code in dict(settings.LANGUAGES):
            return code
    return settings.LANGUAGE_CODE


def print_languages(language: str, *, bilingual: bool) -> list[str]:
    """The languages a document is printed in: one, or the person's language and the
    working language side by side (nothing to pair when they are the same)."""
    if bilingual and language != settings.LANGUAGE_CODE:
        return [language, settings.LANGUAGE_CODE]
    return [language]


# Each language named in the reader's language, for forms and printed text. (The language
# switcher names each in its own words instead, for someone who cannot read the page.)
LANGUAGE_NAMES = {"en-gb": _("English"), "sq": _("Albanian"), "id": _("Indonesian")}


def language_choices() -> list[tuple[str, StrOrPromise]]:
    """The languages of settings.LANGUAGES, as choices of a form or model field."""
    return [(code, LANGUAGE_NAMES.get(code) or name) for code, name in settings.LANGUAGES]


def language_name(code: str) -> str:
    """A language's name in the reader's language."""
    return str(LANGUAGE_NAMES.get(code) or dict(settings.LANGUAGES).get(code, code))
