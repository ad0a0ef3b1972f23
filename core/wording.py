"""Neutral wording for everything printed or sent outside the case file.

Receiving help can itself reveal why someone is helped: a letter or handout that names
trafficking or victims can endanger the person carrying it (DOMAIN.md section 7).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext


def sensitive_words_in(text: str, language: str | None = None) -> list[str]:
    """The refused words (settings.SENSITIVE_WORDS) found in the text, as written: those of
    one language, or of every language when none is given (staff may type in any)."""
    if language is None:
        words = [word for words in settings.SENSITIVE_WORDS.values() for word in words]
    else:
        words = settings.SENSITIVE_WORDS.get(language, [])
    found = []
    for word in words:
        match = re.search(rf"\b{re.escape(word)}", text, flags=re.IGNORECASE)
        if match and match.group(0) not in found:
            found.append(match.group(0))
    return found


def require_neutral(fields: dict[str, str]) -> None:
    """Refuse text meant for print that names what the person went through."""
    errors = {}
    for name, text in fields.items():
        if words := sensitive_words_in(text or ""):
            quoted = ", ".join(f"“{word}”" for word in words)
            errors[name] = gettext(
                "This is printed for people outside the case team: use neutral wording, "
                "without %(words)s."
            ) % {"words": quoted}
    if errors:
        raise ValidationError(errors)
