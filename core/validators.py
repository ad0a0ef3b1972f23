"""Validators every app shares: lists of choices, and dates that cannot lie ahead."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class ChoiceListValidator:
    """Checks that a JSON list holds only values of one TextChoices class, each once."""

    def __init__(self, choices: type[models.TextChoices]) -> None:
        self.choices = choices

    def __call__(self, value: object) -> None:
        if not isinstance(value, list):
            raise ValidationError("Expected a list of choices.")
        unknown = [v for v in value if v not in self.choices.values]
        if unknown:
            raise ValidationError(f"Unknown choices: {', '.join(map(str, unknown))}.")
        if len(set(value)) != len(value):
            raise ValidationError("A choice is listed twice.")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ChoiceListValidator) and other.choices is self.choices

    def deconstruct(self) -> tuple[str, tuple, dict]:
        return ("core.validators.ChoiceListValidator", (self.choices,), {})


def not_in_future(value: date | None, field: str, what: str) -> None:
    """Refuse a date after today, next to its field. Shared by every app's services."""
    if value and value > timezone.localdate():
        raise ValidationError({field: f"The {what} cannot be in the future."})
