"""The Albanian and Indonesian catalogs are complete, consistent and compiled.

Complete: every message translated, none fuzzy (a guess gettext leaves out). Consistent: a
translation keeps exactly the placeholders of its source, or formatting it would fail or
lose a name or number. Compiled: the committed .mo files say what the .po files say, since
a fresh machine serves the .mo files without gettext's tools (README, "Languages").
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ["sq", "id"]
# Python's %-placeholders, named or not (%% is a literal percent sign, not a placeholder).
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0 +-]*\d*(?:\.\d+)?[sdifrx%]")


def _catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def placeholders(text: str) -> list[str]:
    return sorted(p for p in PLACEHOLDER.findall(text) if p != "%%")


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    catalog = _catalog(language)
    assert len(catalog) > 500, "the catalog is (nearly) empty"
    assert [e.msgid for e in catalog.untranslated_entries()] == []
    assert [e.msgid for e in catalog.fuzzy_entries()] == []
    assert [e.msgid for e in catalog if e.msgid_plural and not all(e.msgstr_plural.values())] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_of_their_source(language: str) -> None:
    wrong = []
    for entry in _catalog(language).translated_entries():
        if entry.msgid_plural:
            # A language with one plural form (Indonesian) may leave the number out of the
            # singular's source; every form must hold the plural source's placeholders.
            expected = placeholders(entry.msgid_plural)
            translations = list(entry.msgstr_plural.values())
        else:
            expected = placeholders(entry.msgid)
            translations = [entry.msgstr]
        wrong += [(entry.msgid, t) for t in translations if placeholders(t) != expected]
    assert wrong == []


@pytest.mark.parametrize("language", [*TRANSLATED, "en_GB"])
def test_the_committed_compiled_catalog_matches_its_source(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as compiled:
        served = gettext.GNUTranslations(compiled)
    for entry in _catalog(language).translated_entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                assert served._catalog.get((key, int(index))) == text, entry.msgid  # type: ignore[attr-defined]
        else:
            assert served._catalog.get(key) == entry.msgstr, entry.msgid  # type: ignore[attr-defined]


def test_the_english_catalog_gives_every_message_back_unchanged() -> None:
    """English is the source language; its catalog is there for speed (`make messages`)."""
    english = _catalog("en_GB")
    assert {(e.msgctxt, e.msgid) for e in english} >= {
        (e.msgctxt, e.msgid) for e in _catalog("sq")
    }, "run make messages"
    for entry in english:
        if entry.msgid_plural:
            assert entry.msgstr_plural == {0: entry.msgid, 1: entry.msgid_plural}, entry.msgid
        else:
            assert entry.msgstr == entry.msgid


def _glossary() -> list[dict[str, str]]:
    glossary = (LOCALE / "GLOSSARY.md").read_text()
    rows = [line for line in glossary.splitlines() if line.startswith("| ") and "---" not in line]
    terms = []
    for row in rows[1:]:
        english, albanian, indonesian = (cell.strip() for cell in row.split("|")[1:4])
        terms.append({"en": english, "sq": albanian, "id": indonesian})
    return terms


def test_the_glossary_names_every_key_term_in_every_language() -> None:
    terms = _glossary()
    assert len(terms) > 40
    assert all(term["en"] and term["sq"] and term["id"] for term in terms)


def _uses(translation: str, term: str) -> bool:
    """Whether a translation uses the glossary's term, in any of its inflected forms (an
    Albanian noun changes its ending: fazë, faza, fazës)."""
    text = translation.lower()
    words = term.split(" / ")[0].split(" (")[0].lower().split()
    return all(word[:-1] in text if len(word) > 3 else word in text for word in words)


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_key_term_on_its_own_is_translated_as_the_glossary_says(language: str) -> None:
    catalog = _catalog(language)
    different = []
    for term in _glossary():
        alone = [
            entry
            for entry in catalog
            if not entry.msgid_plural and entry.msgid.lower().rstrip(".") == term["en"].lower()
        ]
        different += [
            (entry.msgid, entry.msgstr, term[language])
            for entry in alone
            if not _uses(entry.msgstr, term[language])
        ]
    assert different == []
