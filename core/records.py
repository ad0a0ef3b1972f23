"""The one way services save a case record: validated, with the acting user in its history,
and never over a change the person saving has not seen.

An edit form carries the version of the row it was opened at (`version_of`: the row's latest
history entry). Saving it passes that version to `save_record`, which locks the row and
compares three states of every field: as opened, as stored now, and as about to be saved.
A field someone else changed since the form was opened, which this save would set to
something else, is a conflict: nothing is saved, and `EditConflict` says who changed it,
when, and what they saved. Changes to other fields (the stage, say, while the profile form
was open) are no conflict: the save keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from accounts.models import User

# The name of the hidden field an edit form carries its version in.
VERSION_FIELD = "opened_version"


def version_of(instance: models.Model | None) -> str:
    """The version a form opens a saved row at ("" for a row not saved yet, or none)."""
    if instance is None or instance.pk is None:
        return ""
    latest = _history(instance).order_by("-history_id").values_list("history_id", flat=True)
    return str(latest.first() or "")


@dataclass(frozen=True)
class Change:
    """A field someone else saved while the form was open, and the value they saved."""

    name: str
    label: str
    value: Any
    shown: str


@dataclass(frozen=True)
class Conflict:
    """Who saved the row since the form was opened, when, and what they changed."""

    changed_by: User | None
    changed_at: datetime | None
    changes: tuple[Change, ...]
    # The version field(s) of the form and the row's version now: a form shown again with
    # these saves over the change on purpose, the second time.
    versions: Mapping[str, str]


class EditConflict(ValidationError):
    """A save refused because the row changed after the form was opened."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__(_message(conflicts[-1]), code="edit_conflict")

    def renamed(self, names: Mapping[str, str], version_field: str = VERSION_FIELD) -> EditConflict:
        """The same conflict for a form whose fields are named otherwise: each field as the
        form calls it, and (several rows on one form) the version in the row's own field."""
        return EditConflict(
            [
                replace(
                    conflict,
                    changes=tuple(
                        replace(change, name=names.get(change.name, change.name))
                        for change in conflict.changes
                    ),
                    versions={version_field: version}
                    if (version := conflict.versions.get(VERSION_FIELD)) is not None
                    else dict(conflict.versions),
                )
                for conflict in self.conflicts
            ]
        )

    @classmethod
    def joined(cls, refused: list[EditConflict]) -> EditConflict:
        return cls([conflict for error in refused for conflict in error.conflicts])


def save_record(instance: models.Model, actor: User, *, opened_at: str | None = None) -> None:
    """Validate the row's own fields and constraints, then save it with the acting user.

    `opened_at` is the version an edit form was opened at: the save is refused with an
    `EditConflict` if someone changed, since then, a field this save would change back. It
    must be called inside the service's transaction, which holds the row's lock to the end.

    simple-history reads `_history_user`: set here because Celery tasks and management
    commands have no request for its middleware to take the user from.
    """
    if opened_at is not None and instance.pk is not None:
        refuse_unseen_changes(instance, opened_at)
    instance.full_clean()
    instance._history_user = actor  # type: ignore[attr-defined]  # simple-history's, not the model's
    instance.save()


def delete_record(instance: models.Model, actor: User, *, opened_at: str) -> None:
    """Delete a row with the acting user in its history, unless it changed after `opened_at`
    (whoever deletes it should have seen what they delete)."""
    refuse_unseen_changes(instance, opened_at, deleting=True)
    instance._history_user = actor  # type: ignore[attr-defined]  # simple-history's, not the model's
    instance.delete()


def refuse_unseen_changes(
    instance: models.Model, opened_at: str, *, deleting: bool = False
) -> None:
    """Raise EditConflict if saving `instance` (or deleting it) would undo a change made after
    `opened_at`."""
    model = type(instance)
    # Locked: a second save of the same row waits here until this one commits, then sees it.
    stored = model._base_manager.select_for_update().get(pk=instance.pk)
    history = _history(instance)
    opened = history.filter(history_id=int(opened_at)).first() if _is_id(opened_at) else None
    if opened is None and opened_at == "" and not history.exists():
        return  # Never changed through a service since it was created: nothing to lose.
    # The fields history keeps: a derived one it leaves out (a case's last contact) is kept by
    # its own service and never written back by an edit form.
    fields = [f for f in history.model.tracked_fields if not f.primary_key]
    changed = [
        field
        for field in fields
        if (deleting or _value(instance, field) != _value(stored, field))
        and (opened is None or _value(opened, field) != _value(stored, field))
    ]
    if not changed:
        return
    since = history.filter(history_id__gt=opened.history_id) if opened else history
    latest = since.select_related("history_user").order_by("-history_id").first()
    raise EditConflict(
        [
            Conflict(
                changed_by=latest.history_user if latest else None,
                changed_at=latest.history_date if latest else None,
                changes=tuple(
                    Change(
                        name=field.name,
                        label=capfirst(str(field.verbose_name)),
                        value=_value(stored, field),
                        shown=shown(stored, field),
                    )
                    for field in changed
                ),
                versions={VERSION_FIELD: version_of(instance)},
            )
        ]
    )


def _is_id(version: str) -> bool:
    # What a form sends back is typed by anyone: only a number a history id can be is looked up.
    return version.isascii() and version.isdigit() and int(version) < 2**31


def _history(instance: models.Model) -> Any:
    return instance.history  # type: ignore[attr-defined]  # simple-history adds it


def _value(row: Any, field: models.Field[Any, Any]) -> Any:
    return getattr(row, field.attname)


def shown(row: models.Model, field: models.Field[Any, Any]) -> str:
    """A stored value as a person reads it."""
    value = _value(row, field)
    if value is None or value == "" or value == [] or value == {}:
        return gettext("(empty)")
    if field.is_relation:
        return str(getattr(row, field.name))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return shown_value(value)


def shown_value(value: Any) -> str:
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "d M Y H:i")
    if isinstance(value, date):
        return formats.date_format(value, "d M Y")
    if isinstance(value, list):
        return ", ".join(shown_value(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {shown_value(item)}" for key, item in value.items())
    return str(value)


def _message(conflict: Conflict) -> str:
    if conflict.changed_at is None:
        return gettext(
            "This record was changed after you opened this form. Nothing was saved: what you "
            "typed is kept, and what is stored now is shown under each field that changed. "
            "Save again to replace it with yours."
        )
    when = timezone.localtime(conflict.changed_at)
    values = {
        "name": str(conflict.changed_by) if conflict.changed_by else gettext("An automatic task"),
        # As the change history shows it.
        "date": formats.date_format(when, "d M Y"),
        "time": formats.time_format(when, "H:i"),
    }
    return (
        gettext(
            "%(name)s changed this record on %(date)s at %(time)s, after you opened this "
            "form. Nothing was saved: what you typed is kept, and what they saved is shown "
            "under each field they changed. Save again to replace theirs with yours."
        )
        % values
    )
