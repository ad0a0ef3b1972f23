"""Neutral wording for everything printed or sent outside the case file.

Receiving help can itself reveal why someone is helped: a letter or handout that names
trafficking or victims can endanger the person carrying it (DOMAIN.md section 7).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError


def sensitive_words_in(text: str) -> list[str]:
    """The words of the blocklist (settings.SENSITIVE_WORDS) found in the text, as written."""
    found = []
    for word in settings.SENSITIVE_WORDS:
        match = re.search(rf"\b{re.escape(word)}", text, flags=re.IGNORECASE)
        if match:
            found.append(match.group(0))
    return found


def require_neutral(fields: dict[str, str]) -> None:
    """Refuse text meant for print that names what the person went through."""
    errors = {}
    for name, text in fields.items():
        if words := sensitive_words_in(text or ""):
            quoted = ", ".join(f"“{word}”" for word in words)
            errors[name] = (
                "This is printed for people outside the case team: use neutral wording, "
                f"without {quoted}."
            )
    if errors:
        raise ValidationError(errors)
