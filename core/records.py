"""The one way services save a case record: validated, and with the acting user in its history."""

from __future__ import annotations

from django.db import models

from accounts.models import User


def save_record(instance: models.Model, actor: User) -> None:
    """Validate the row's own fields and constraints, then save it with the acting user.

    simple-history reads `_history_user`: set here because Celery tasks and management
    commands have no request for its middleware to take the user from.
    """
    instance.full_clean()
    instance._history_user = actor  # type: ignore[attr-defined]  # simple-history's, not the model's
    instance.save()
