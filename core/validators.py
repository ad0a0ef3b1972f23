"""Validators every app shares: lists of choices, and dates that cannot lie ahead."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext


class ChoiceListValidator:
    """Checks that a JSON list holds only values of one TextChoices class, each once."""

    def __init__(self, choices: type[models.TextChoices]) -> None:
        self.choices = choices

    def __call__(self, value: object) -> None:
        if not isinstance(value, list):
            raise ValidationError(gettext("Expected a list of choices."))
        unknown = [v for v in value if v not in self.choices.values]
        if unknown:
            raise ValidationError(
                gettext("Unknown choices: %(choices)s.") % {"choices": ", ".join(map(str, unknown))}
            )
        if len(set(value)) != len(value):
            raise ValidationError(gettext("A choice is listed twice."))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ChoiceListValidator) and other.choices is self.choices

    def deconstruct(self) -> tuple[str, tuple, dict]:
        return ("core.validators.ChoiceListValidator", (self.choices,), {})


def not_in_future(value: date | None, field: str, what: str | Promise) -> None:
    """Refuse a date after today, next to its field. Shared by every app's services.

    `what` names the date (translatable, lower case, as in "the date of birth"); the
    sentence starts with a capital in every language."""
    if value and value > timezone.localdate():
        message = gettext("The %(what)s cannot be in the future.") % {"what": what}
        raise ValidationError({field: capfirst(message)})
