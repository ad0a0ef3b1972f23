"""Bringing a caseload in from an HTCDS v2.0 workbook: upload, dry run, confirm or cancel.

A supervisor uploads the workbook with the case manager the new files get. The upload is
kept (`PendingImport`, for at most `PENDING_IMPORT_HOURS`) and checked row by row — the dry
run, worked out again each time it is shown and once more at confirmation, so it answers
for the database as it is then. Nothing is created until the supervisor confirms; then every
row the dry run accepted is registered through `cases.services.beneficiary_register` in one
transaction (all or nothing), and the upload is deleted. Refused rows are not part of what
is confirmed: they stay in the supervisor's workbook to correct and import again.

A row is refused for an unknown value, a missing field the intake needs, a date the intake
refuses, a closed case, a likely duplicate of an existing file (the intake's own rule,
`casework.selectors.likely_duplicates`), or a likely duplicate of an earlier row of the same
workbook (the same rule: registering the earlier row first would make it an existing file).
"""

from __future__ import annotations

import bisect
import difflib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Role, User
from cases.choices import ExploitationForm, IdentificationStatus, Sex
from cases.models import Beneficiary
from cases.selectors import IMPORTED_FROM_HTCDS, case_managers_in
from cases.services import beneficiary_register
from casework.selectors import SIMILAR_NAME_RATIO, normalised_name

from . import htcds_in, htcds_read, vocabulary
from .models import PendingImport

# An upload not confirmed within this many hours is deleted (it holds personal data).
PENDING_IMPORT_HOURS = 24
# What the history of every imported file says about its creation (stored in English, as
# the history's other automatic texts are; at most 100 characters).


@dataclass
class RowPlan:
    """What one row of the workbook becomes: a new file, or refused with the reasons."""

    number: int
    initials: str
    profile: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    @property
    def shown(self) -> dict[str, str]:
        """The row's choices as the page shows them, in the page's language."""
        profile = self.profile
        return {
            "sex": str(Sex(profile["sex"]).label) if profile.get("sex") else "",
            "identification_status": str(
                IdentificationStatus(profile["identification_status"]).label
            )
            if profile.get("identification_status")
            else "",
            "exploitation_forms": ", ".join(
                str(ExploitationForm(form).label) for form in profile.get("exploitation_forms", [])
            ),
        }


@dataclass
class DryRun:
    rows: list[RowPlan]
    # Labels of filled columns the import does not carry over (no product field for them).
    not_carried_over: list[str]

    @property
    def to_create(self) -> list[RowPlan]:
        return [row for row in self.rows if not row.refused]

    @property
    def refused(self) -> list[RowPlan]:
        return [row for row in self.rows if row.refused]

    @property
    def fingerprint(self) -> str:
        """Which rows the supervisor saw accepted: confirmation must be of the same rows."""
        return ",".join(str(row.number) for row in self.to_create)


def _refuse_unless_supervisor(actor: User) -> int:
    if actor.role != Role.SUPERVISOR or actor.organisation_id is None:
        raise ValidationError(gettext("Only supervisors import cases from a workbook."))
    return actor.organisation_id


# --- Services -----------------------------------------------------------------------


@transaction.atomic
def htcds_import_upload(*, actor: User, case_manager: User, workbook: bytes) -> PendingImport:
    """Keep an uploaded workbook for its dry run, if it can be read as an HTCDS Case Sheet."""
    organisation_id = _refuse_unless_supervisor(actor)
    if not case_managers_in(organisation_id).filter(pk=case_manager.pk).exists():
        raise ValidationError(
            {
                "case_manager": gettext(
                    "Choose an active case worker or supervisor of your organisation."
                )
            }
        )
    try:
        htcds_read.read_case_sheet(workbook)
    except htcds_read.WorkbookRefused as refused:
        raise ValidationError({"workbook": refused.message}) from None
    pending_imports_purge()
    return PendingImport.objects.create(
        organisation_id=organisation_id,
        uploaded_by=actor,
        case_manager=case_manager,
        workbook=workbook,
        expires_at=timezone.now() + timedelta(hours=PENDING_IMPORT_HOURS),
    )


@transaction.atomic
def htcds_import_confirm(*, actor: User, upload_id: uuid.UUID, expected: str) -> list[Beneficiary]:
    """Register every accepted row of the upload, all or none, and delete the upload.

    `expected` is the dry run's fingerprint the supervisor confirmed: if the check comes
    out differently now (a file registered meanwhile makes a row a duplicate), nothing is
    created and the new dry run is shown. A second confirmation finds no upload.
    """
    _refuse_unless_supervisor(actor)
    pending = (
        pending_imports_of(actor).select_for_update().select_related("case_manager")
        .filter(public_id=upload_id)
        .first()
    )  # fmt: skip
    if pending is None:
        raise ValidationError(
            gettext(
                "This upload is no longer waiting: it was imported or cancelled already, or "
                "it expired. Nothing was imported now."
            ),
            code="gone",
        )
    plan = htcds_dry_run(pending)
    if plan.fingerprint != expected:
        raise ValidationError(
            gettext(
                "The check of the workbook came out differently this time (a file may have "
                "been registered meanwhile). Nothing was imported: review the rows below and "
                "confirm again."
            ),
            code="changed",
        )
    if not plan.to_create:
        raise ValidationError(gettext("No row of this workbook can be imported."))
    created = []
    for row in plan.to_create:
        try:
            beneficiary = beneficiary_register(
                actor=actor, case_manager=pending.case_manager, profile=row.profile
            )
        except ValidationError as error:
            # Raised out of the transaction: the rows registered before it are undone too.
            raise ValidationError(
                gettext("Row %(row)d could not be registered (%(why)s). Nothing was imported.")
                % {"row": row.number, "why": " ".join(error.messages)},
                code="failed",
            ) from error
        Beneficiary.history.filter(id=beneficiary.pk, history_type="+").update(
            history_change_reason=IMPORTED_FROM_HTCDS % {"row": row.number}
        )
        created.append(beneficiary)
    pending.delete()
    return created


@transaction.atomic
def htcds_import_cancel(*, actor: User, upload_id: uuid.UUID) -> None:
    """Delete the upload without importing anything (nothing to do if it is gone already)."""
    pending_imports_of(actor).filter(public_id=upload_id).delete()


def pending_imports_purge() -> int:
    """Delete uploads past their expiry, of every organisation; how many."""
    deleted, _ = PendingImport.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


# --- Reads ----------------------------------------------------------------------------


def pending_imports_of(user: User) -> Any:
    """The uploads waiting for this supervisor: their own, in their organisation, not expired."""
    if user.role != Role.SUPERVISOR or user.organisation_id is None:
        return PendingImport.objects.none()
    return PendingImport.objects.filter(
        uploaded_by=user, organisation_id=user.organisation_id, expires_at__gt=timezone.now()
    )


def htcds_dry_run(pending: PendingImport, *, today: date | None = None) -> DryRun:
    """Row by row, what confirming the upload would create and what it would refuse.

    A constant number of queries however long the workbook: the organisation's files are
    read once for the duplicate check.
    """
    sheet = htcds_read.read_case_sheet(bytes(pending.workbook))
    today = today or timezone.localdate()
    rows = []
    for row in sheet.rows:
        mapped = htcds_in.map_row(row, today=today)
        rows.append(RowPlan(row.number, mapped.initials, mapped.profile, mapped.problems))
    _refuse_duplicates(rows, pending.organisation_id)
    return DryRun(rows=rows, not_carried_over=_not_carried_over(sheet))


def _not_carried_over(sheet: htcds_read.CaseSheet) -> list[str]:
    filled = {name for row in sheet.rows for name in row.cells}
    return [
        column.label
        for column in vocabulary.columns()
        if column.name in filled and column.name not in htcds_in.IMPORTED_COLUMNS
    ]


# --- Duplicates ------------------------------------------------------------------------


# A year and a day either way: `likely_duplicates` compares dates of birth so.
_ABOUT_A_YEAR = timedelta(days=366)
# What share of two names' letters may go unmatched for them to count as similar.
_SLACK = 1 - SIMILAR_NAME_RATIO


class _Person:
    """A file or a row as the intake's duplicate check compares them."""

    def __init__(self, first: str, last: str, alias: str, born: date | None) -> None:
        self.wanted = normalised_name(f"{first} {last}")
        self.either_order = {self.wanted, normalised_name(f"{last} {first}")}
        self.names = {self.wanted, normalised_name(alias)} - {""}
        self.born = born
        self.letters = frozenset(self.wanted)


def _born_close(one: date | None, other: date | None) -> bool:
    return one is None or other is None or abs(one - other) <= _ABOUT_A_YEAR


class _People:
    """Files (or accepted rows) to compare rows with by `casework.selectors.likely_duplicates`'
    rule (kept equal by a test): the same name in either order, or a very similar name,
    with dates of birth within about a year of each other (or one unknown).

    Indexed so that a long workbook against a large caseload stays quick: same names by a
    dictionary, similar ones only among those born near enough, and most of those ruled
    out by bounds cheaper than difflib's ratio (each bound is at least the ratio).
    """

    def __init__(self) -> None:
        self.by_name: dict[str, list[tuple[Any, date | None]]] = defaultdict(list)
        # One entry per name (a file's alias is a name too): key, length, letters, matcher.
        self.undated: list[tuple[Any, int, frozenset[str], difflib.SequenceMatcher[str]]] = []
        self.dated: list[tuple[date, int, tuple[Any, int, frozenset[str], Any]]] = []

    def add(self, key: Any, person: _Person) -> None:
        for name in person.names:
            self.by_name[name].append((key, person.born))
            # difflib analyses its second sequence: once per name, then set against rows.
            entry = (key, len(name), frozenset(name), difflib.SequenceMatcher(None, "", name))
            if person.born is None:
                self.undated.append(entry)
            else:
                bisect.insort(self.dated, (person.born, len(self.dated), entry))

    def likely_same_as(self, row: _Person) -> list[Any]:
        """The keys of everyone the row is likely the same person as, sorted."""
        found = {
            key
            for name in row.either_order
            for key, born in self.by_name.get(name, ())
            if _born_close(row.born, born)
        }
        if row.born is None:
            dated = self.dated
        else:
            low = bisect.bisect_left(self.dated, (row.born - _ABOUT_A_YEAR,))
            high = bisect.bisect_right(self.dated, (row.born + _ABOUT_A_YEAR, float("inf")))
            dated = self.dated[low:high]
        wanted, letters, length = row.wanted, row.letters, len(row.wanted)
        for key, other_length, other_letters, matcher in self.undated + [e for *_, e in dated]:
            if key in found:
                continue
            allowed = _SLACK * (length + other_length)
            # A difference in length, or a letter in one name only, is unmatched for sure.
            if abs(length - other_length) > allowed or len(letters ^ other_letters) > allowed:
                continue
            matcher.set_seq1(wanted)
            if (
                matcher.quick_ratio() >= SIMILAR_NAME_RATIO
                and matcher.ratio() >= SIMILAR_NAME_RATIO
            ):
                found.add(key)
        return sorted(found)


def _refuse_duplicates(rows: list[RowPlan], organisation_id: int) -> None:
    """Refuse rows that are likely existing files, then rows likely the same as an earlier
    accepted row. The organisation's files are read in one query."""
    existing = _People()
    for code, first, last, alias, born in Beneficiary.objects.filter(
        organisation_id=organisation_id
    ).values_list("case_code", "first_name", "last_name", "alias", "date_of_birth"):
        existing.add(code, _Person(first, last, alias, born))
    accepted = _People()
    for row in rows:
        if row.refused:
            continue
        profile = row.profile
        this = _Person(
            profile["first_name"], profile["last_name"], "", profile.get("date_of_birth")
        )
        codes = existing.likely_same_as(this)
        if codes:
            row.problems.append(
                gettext(
                    "Likely the same person as the existing file %(codes)s (the intake's "
                    "duplicate check). If it is someone else, register them through the intake."
                )
                % {"codes": ", ".join(codes)}
            )
            continue
        earlier = accepted.likely_same_as(this)
        if earlier:
            row.problems.append(
                gettext("Likely the same person as row %(row)d of this workbook.")
                % {"row": earlier[0]}
            )
            continue
        accepted.add(row.number, this)
