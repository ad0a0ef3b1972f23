"""Writes of the supervisors' records and of complaints. One transaction each."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from accounts.models import Role, User
from accounts.selectors import supervisors_of
from cases.models import Beneficiary
from core.records import save_record
from core.validators import not_in_future
from notifications.models import NotificationKind
from notifications.services import notify

from .models import Complaint, ComplaintStatus, SupervisionKind, SupervisionRecord


@transaction.atomic
def supervision_record(
    *, actor: User, data: dict[str, Any], case_codes: list[str]
) -> SupervisionRecord:
    """Record a case review or supervision meeting; cases are named by their codes."""
    if not actor.is_supervisor or actor.organisation_id is None:
        raise ValidationError(gettext("Only supervisors record supervision."))
    not_in_future(data["held_on"], "held_on", gettext("date"))
    cases = list(
        Beneficiary.objects.filter(organisation_id=actor.organisation_id, case_code__in=case_codes)
    )
    unknown = sorted(set(case_codes) - {c.case_code for c in cases})
    if unknown:
        raise ValidationError(
            {
                "case_codes": gettext("No case of your organisation has the code: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            }
        )
    if data["kind"] == SupervisionKind.CASE_REVIEW and not cases:
        raise ValidationError({"case_codes": gettext("Name the case or cases reviewed.")})
    if data["kind"] == SupervisionKind.MEETING and not data.get("worker"):
        raise ValidationError({"worker": gettext("Choose the worker you met.")})
    worker = data.get("worker")
    if worker and worker.organisation_id != actor.organisation_id:
        raise ValidationError({"worker": gettext("Choose someone of your organisation.")})
    record = SupervisionRecord(organisation_id=actor.organisation_id, recorded_by=actor, **data)
    save_record(record, actor)
    record.cases.set(cases)
    return record


# --- Feedback and complaints ---


@transaction.atomic
def complaint_record(
    *, actor: User, data: dict[str, Any], beneficiary: Beneficiary | None = None
) -> Complaint:
    """Record what a person raised: about their case (`beneficiary`) or anonymously (None).

    The supervisors are told about a named complaint at once; anonymous ones wait on their
    review's attention list. The case team is not told: it may be about one of them.
    """
    if actor.role == Role.ADMINISTRATOR or actor.organisation_id is None:
        raise ValidationError(gettext("Complaints are recorded by the staff who receive them."))
    not_in_future(data.get("received_on"), "received_on", gettext("date received"))
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
        raise ValidationError(gettext("Only a supervisor of the organisation answers complaints."))
    if complaint.status == ComplaintStatus.RESOLVED:
        raise ValidationError(gettext("This complaint has already been answered and closed."))
    if not response.strip():
        raise ValidationError(
            {"response": gettext("Write down what was done and what the person was told.")}
        )
    not_in_future(resolved_on, "resolved_on", gettext("date"))
    if resolved_on < complaint.received_on:
        raise ValidationError(
            {"resolved_on": gettext("A complaint cannot be closed before it was received.")}
        )
    complaint.status = ComplaintStatus.RESOLVED
    complaint.response = response.strip()
    complaint.resolved_on = resolved_on
    complaint.resolved_by = actor
    save_record(complaint, actor)
    return complaint
