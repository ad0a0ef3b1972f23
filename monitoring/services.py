"""Every change to monitoring records goes through these functions (see cases/services.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from cases.choices import TeamRole
from cases.models import Beneficiary
from cases.services import not_in_future
from reintegration.records import save_record

from .choices import SAFETY_CHECKED_TYPES, ComplaintStatus
from .models import (
    CadenceOverride,
    CaseMilestone,
    Complaint,
    Contact,
    Milestone,
    Notification,
    NotificationKind,
    SupervisionKind,
    SupervisionRecord,
)
from .selectors import default_interval_days


def _check_contact(beneficiary: Beneficiary, contact: Contact) -> None:
    errors: dict[str, str] = {}
    if contact.occurred_at and contact.occurred_at > timezone.now():
        errors["occurred_at"] = "A contact cannot be in the future."
    elif contact.occurred_at and timezone.localdate(contact.occurred_at) < beneficiary.admitted_on:
        errors["occurred_at"] = (
            f"A contact cannot be before admission ({beneficiary.admitted_on:%d %b %Y})."
        )
    if contact.kind in SAFETY_CHECKED_TYPES and not contact.safety_checked:
        errors["safety_checked"] = (
            "Check the safe-contact instructions before a visit or call, and tick that you did."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contact_log(*, beneficiary: Beneficiary, actor: User, data: dict[str, Any]) -> Contact:
    membership = beneficiary.team.filter(user=actor, ended_on__isnull=True).first()
    contact = Contact(
        beneficiary=beneficiary,
        author=actor,
        author_discipline=membership.discipline if membership else actor.effective_discipline,
        **data,
    )
    _check_contact(beneficiary, contact)
    save_record(contact, actor)
    return contact


def may_correct(user: User, contact: Contact) -> bool:
    beneficiary = contact.beneficiary
    supervises = user.supervises(beneficiary.organisation_id)
    manages = beneficiary.team.filter(
        user=user, ended_on__isnull=True, role=TeamRole.CASE_MANAGER
    ).exists()
    return user.pk == contact.author_id or supervises or manages


@transaction.atomic
def contact_update(*, contact: Contact, actor: User, data: dict[str, Any]) -> Contact:
    """Correct a contact: its author, the case manager or a supervisor. Every version stays in history."""
    beneficiary = contact.beneficiary
    if not may_correct(actor, contact):
        raise PermissionDenied(
            "Only the author, the case manager or a supervisor corrects a contact."
        )
    for field, value in data.items():
        setattr(contact, field, value)
    _check_contact(beneficiary, contact)
    save_record(contact, actor)
    return contact


@transaction.atomic
def cadence_override_set(
    *, beneficiary: Beneficiary, actor: User, days: int | None, reason: str
) -> CadenceOverride | None:
    """Set the case's own contact interval, or (days=None) go back to the organisation's."""
    current = CadenceOverride.objects.filter(beneficiary=beneficiary).first()
    if days is None:
        if current:
            current._history_user = actor
            current.delete()
        return None
    if days > default_interval_days(beneficiary) and not reason.strip():
        raise ValidationError({"reason": "Say why this person is contacted less often than usual."})
    override = current or CadenceOverride(beneficiary=beneficiary)
    override.days, override.reason, override.set_by = days, reason, actor
    save_record(override, actor)
    return override


@transaction.atomic
def milestone_mark(
    *, beneficiary: Beneficiary, actor: User, milestone: Milestone, achieved_on: date, note: str
) -> CaseMilestone:
    if achieved_on > timezone.localdate():
        raise ValidationError({"achieved_on": "A milestone cannot be reached in the future."})
    if achieved_on < beneficiary.admitted_on:
        raise ValidationError({"achieved_on": "A milestone cannot be reached before admission."})
    record = CaseMilestone.objects.filter(beneficiary=beneficiary, milestone=milestone).first()
    record = record or CaseMilestone(beneficiary=beneficiary, milestone=milestone)
    record.achieved_on, record.note, record.unmarked_reason, record.recorded_by = (
        achieved_on,
        note,
        "",
        actor,
    )
    save_record(record, actor)
    return record


@transaction.atomic
def milestone_unmark(*, record: CaseMilestone, actor: User, reason: str) -> CaseMilestone:
    """Take back a milestone (for example after a setback). The history keeps when it was reached."""
    if record.achieved_on is None:
        raise ValidationError("This milestone is not marked as reached.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the milestone no longer holds."})
    record.achieved_on, record.unmarked_reason, record.recorded_by = None, reason, actor
    save_record(record, actor)
    return record


@transaction.atomic
def supervision_record(
    *, actor: User, data: dict[str, Any], case_codes: list[str]
) -> SupervisionRecord:
    """Record a case review or supervision meeting; cases are named by their codes."""
    if not actor.is_supervisor:
        raise ValidationError("Only supervisors record supervision.")
    not_in_future(data["held_on"], "held_on", "date")
    cases = list(
        Beneficiary.objects.filter(organisation_id=actor.organisation_id, case_code__in=case_codes)
    )
    unknown = sorted(set(case_codes) - {c.case_code for c in cases})
    if unknown:
        raise ValidationError(
            {"case_codes": f"No case of your organisation has the code: {', '.join(unknown)}."}
        )
    if data["kind"] == SupervisionKind.CASE_REVIEW and not cases:
        raise ValidationError({"case_codes": "Name the case or cases reviewed."})
    if data["kind"] == SupervisionKind.MEETING and not data.get("worker"):
        raise ValidationError({"worker": "Choose the worker you met."})
    worker = data.get("worker")
    if worker and worker.organisation_id != actor.organisation_id:
        raise ValidationError({"worker": "Choose someone of your organisation."})
    record = SupervisionRecord(organisation_id=actor.organisation_id, recorded_by=actor, **data)
    save_record(record, actor)
    record.cases.set(cases)
    return record


# --- Feedback and complaints ---------------------------------------------------------------


@transaction.atomic
def complaint_record(
    *, actor: User, data: dict[str, Any], beneficiary: Beneficiary | None = None
) -> Complaint:
    """Record what a person raised: about their case (`beneficiary`) or anonymously (None).

    The supervisors are told about a named complaint at once; anonymous ones wait on their
    review's attention list. The case team is not told: it may be about one of them.
    """
    if actor.role == Role.ADMINISTRATOR or actor.organisation_id is None:
        raise ValidationError("Complaints are recorded by the staff who receive them.")
    not_in_future(data.get("received_on"), "received_on", "date received")
    complaint = Complaint(
        organisation_id=beneficiary.organisation_id if beneficiary else actor.organisation_id,
        beneficiary=beneficiary,
        recorded_by=actor,
        **data,
    )
    save_record(complaint, actor)
    if beneficiary is not None:
        notify(
            [u for u in supervisors_of(complaint.organisation_id) if u != actor],
            beneficiary,
            NotificationKind.COMPLAINT_RECEIVED,
            complaint.received_on,
            f"complaint:{complaint.pk}",
        )
    return complaint


@transaction.atomic
def complaint_resolve(
    *, complaint: Complaint, actor: User, response: str, resolved_on: date
) -> Complaint:
    if not actor.supervises(complaint.organisation_id):
        raise ValidationError("Only a supervisor of the organisation answers complaints.")
    if complaint.status == ComplaintStatus.RESOLVED:
        raise ValidationError("This complaint has already been answered and closed.")
    if not response.strip():
        raise ValidationError(
            {"response": "Write down what was done and what the person was told."}
        )
    not_in_future(resolved_on, "resolved_on", "date")
    if resolved_on < complaint.received_on:
        raise ValidationError(
            {"resolved_on": "A complaint cannot be closed before it was received."}
        )
    complaint.status = ComplaintStatus.RESOLVED
    complaint.response = response.strip()
    complaint.resolved_on = resolved_on
    complaint.resolved_by = actor
    save_record(complaint, actor)
    return complaint


def supervisors_of(organisation_id: int) -> list[User]:
    return list(
        User.objects.filter(organisation_id=organisation_id, role=Role.SUPERVISOR, is_active=True)
    )


def notify(recipients: list[User], beneficiary: Beneficiary, kind: str, on: date, key: str) -> None:
    """One notification of an event per recipient. `key` names the event, so telling the same
    people twice adds nothing."""
    Notification.objects.bulk_create(
        (
            Notification(
                key=f"{key}:{user.pk}",
                recipient=user,
                beneficiary=beneficiary,
                kind=kind,
                due_on=on,
            )
            for user in recipients
        ),
        ignore_conflicts=True,
    )
