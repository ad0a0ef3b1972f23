"""What the language tests share."""

from __future__ import annotations

from django.utils import translation


def translated(language: str, text: str) -> str:
    """A text of the interface in that language; fails if it was left in English."""
    with translation.override(language):
        result = translation.gettext(text)
    assert result != text, f"{text!r} is not translated into {language}"
    return result
