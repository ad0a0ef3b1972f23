"""Every change to monitoring records goes through these functions (see cases/services.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import dateformat, timezone
from django.utils.translation import gettext

from accounts.models import User
from cases.choices import TeamRole, YesNoUnknown
from cases.models import Beneficiary
from cases.selectors import open_risk_flag
from cases.services import within_the_file
from core.records import delete_record, save_record
from notifications.services import unsafe_contact_notify

from .choices import CALL_TYPES, SAFETY_CHECKED_TYPES, ContactType, KeepOpenReason
from .models import CadenceOverride, CaseMilestone, Contact, KeepOpenDecision, Milestone
from .selectors import default_interval_days


def _instruction_against(beneficiary: Beneficiary, kind: str) -> str:
    """What the safe-contact instructions say against this kind of contact ("" if nothing)."""
    if kind == ContactType.HOME_VISIT and beneficiary.home_visits_allowed == YesNoUnknown.NO:
        return gettext(
            "Home visits are not allowed for this person (safe-contact instructions). Choose "
            "the reason for this exception and say why below."
        )
    if kind in CALL_TYPES and beneficiary.safe_to_call == YesNoUnknown.NO:
        return gettext(
            "It is not safe to call this person (safe-contact instructions). Choose the reason "
            "for this exception and say why below."
        )
    return ""


def _check_exception(beneficiary: Beneficiary, contact: Contact, errors: dict[str, str]) -> None:
    """A visit or call the instructions rule out needs a reason and details; any other contact
    carries no exception. An attempt counts too: a call that is not answered still rings."""
    against = _instruction_against(beneficiary, contact.kind)
    required = allowed = bool(against)
    if contact.pk:
        # A correction keeping the kind is judged by the instructions of the time: an exception
        # recorded then stays on record, and a contact logged without one (the instructions
        # allowed it then) is not refused because they changed since.
        stored = Contact.objects.filter(pk=contact.pk).values("kind", "exception_reason").get()
        if stored["kind"] == contact.kind:
            had_exception = bool(stored["exception_reason"])
            allowed = allowed or had_exception
            required = required and had_exception
    if not allowed:
        contact.exception_reason, contact.exception_details = "", ""
        return
    contact.exception_details = contact.exception_details.strip()
    if required and not contact.exception_reason:
        errors["exception_reason"] = against
    elif contact.exception_reason and not contact.exception_details:
        errors["exception_details"] = gettext(
            "Say why the safe-contact instructions could not be followed."
        )
    if not contact.exception_reason:
        contact.exception_details = ""


def _check_contact(beneficiary: Beneficiary, contact: Contact) -> None:
    errors: dict[str, str] = {}
    if contact.occurred_at and contact.occurred_at > timezone.now():
        errors["occurred_at"] = gettext("A contact cannot be in the future.")
    elif contact.occurred_at and timezone.localdate(contact.occurred_at) < beneficiary.admitted_on:
        errors["occurred_at"] = gettext("A contact cannot be before admission (%(date)s).") % {
            "date": dateformat.format(beneficiary.admitted_on, "d M Y")
        }
    if contact.kind in SAFETY_CHECKED_TYPES and not contact.safety_checked:
        errors["safety_checked"] = gettext(
            "Check the safe-contact instructions before a visit or call, and tick that you did."
        )
    _check_exception(beneficiary, contact, errors)
    _check_risk_review(beneficiary, contact, errors)
    if errors:
        raise ValidationError(errors)


def _check_risk_review(beneficiary: Beneficiary, contact: Contact, errors: dict[str, str]) -> None:
    """While a re-trafficking risk is raised, a new contact made says how the risk looks now
    (an attempt that reached nobody cannot; a correction keeps what was said)."""
    if contact.pk or not contact.made:
        return
    if contact.risk_review:
        return
    if open_risk_flag(beneficiary):
        errors["risk_review"] = gettext(
            "A re-trafficking risk is raised on this case: say how it looks after this contact."
        )


def _lock_case(beneficiary: Beneficiary) -> None:
    """Hold the case's row until the end of the transaction, so that two contacts written at
    once on one case keep its `last_contact_at` right (each reads the other's)."""
    Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).values_list("pk").get()


def _keep_last_contact(beneficiary: Beneficiary) -> None:
    """Set the case's `last_contact_at` from its contacts, after one was logged or corrected."""
    last = Contact.objects.filter(beneficiary=beneficiary, made=True).aggregate(
        last=Max("occurred_at")
    )["last"]
    Beneficiary.objects.filter(pk=beneficiary.pk).update(last_contact_at=last)
    beneficiary.last_contact_at = last


@transaction.atomic
def contact_log(*, beneficiary: Beneficiary, actor: User, data: dict[str, Any]) -> Contact:
    _lock_case(beneficiary)
    membership = beneficiary.team.filter(user=actor, ended_on__isnull=True).first()
    contact = Contact(
        beneficiary=beneficiary,
        author=actor,
        author_discipline=membership.discipline if membership else actor.effective_discipline,
        **data,
    )
    _check_contact(beneficiary, contact)
    save_record(contact, actor)
    _keep_last_contact(beneficiary)
    if contact.against_instructions:
        unsafe_contact_notify(beneficiary=beneficiary, contact_id=contact.pk)
    return contact


def may_correct(user: User, contact: Contact) -> bool:
    beneficiary = contact.beneficiary
    supervises = user.supervises(beneficiary.organisation_id)
    manages = beneficiary.team.filter(
        user=user, ended_on__isnull=True, role=TeamRole.CASE_MANAGER
    ).exists()
    return user.pk == contact.author_id or supervises or manages


@transaction.atomic
def contact_update(
    *, contact: Contact, actor: User, data: dict[str, Any], opened_at: str
) -> Contact:
    """Correct a contact, as opened at version `opened_at`: its author, the case manager or a
    supervisor. Every version stays in history."""
    beneficiary = contact.beneficiary
    if not may_correct(actor, contact):
        raise PermissionDenied(
            gettext("Only the author, the case manager or a supervisor corrects a contact.")
        )
    _lock_case(beneficiary)
    for field, value in data.items():
        setattr(contact, field, value)
    _check_contact(beneficiary, contact)
    save_record(contact, actor, opened_at=opened_at)
    _keep_last_contact(beneficiary)
    if contact.against_instructions:  # once per contact, however often it is corrected
        unsafe_contact_notify(beneficiary=beneficiary, contact_id=contact.pk)
    return contact


@transaction.atomic
def cadence_override_set(
    *, beneficiary: Beneficiary, actor: User, days: int | None, reason: str, opened_at: str
) -> CadenceOverride | None:
    """Set the case's own contact interval, or (days=None) go back to the organisation's.

    `opened_at` is the version of the case's interval the form showed ("" for none).
    """
    current = CadenceOverride.objects.filter(beneficiary=beneficiary).first()
    if days is None:
        if current:
            delete_record(current, actor, opened_at=opened_at)
        return None
    if days > default_interval_days(beneficiary) and not reason.strip():
        raise ValidationError(
            {"reason": gettext("Say why this person is contacted less often than usual.")}
        )
    override = current or CadenceOverride(beneficiary=beneficiary)
    override.days, override.reason, override.set_by = days, reason, actor
    save_record(override, actor, opened_at=opened_at)
    return override


@transaction.atomic
def milestone_mark(
    *, beneficiary: Beneficiary, actor: User, milestone: Milestone, achieved_on: date, note: str
) -> CaseMilestone:
    if achieved_on > timezone.localdate():
        raise ValidationError(
            {"achieved_on": gettext("A milestone cannot be reached in the future.")}
        )
    if achieved_on < beneficiary.admitted_on:
        raise ValidationError(
            {"achieved_on": gettext("A milestone cannot be reached before admission.")}
        )
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
        raise ValidationError(gettext("This milestone is not marked as reached."))
    if not reason.strip():
        raise ValidationError({"reason": gettext("Say why the milestone no longer holds.")})
    record.achieved_on, record.unmarked_reason, record.recorded_by = None, reason, actor
    save_record(record, actor)
    return record


@transaction.atomic
def keep_open_decide(
    *, beneficiary: Beneficiary, actor: User, reason: str, notes: str, decided_on: date
) -> KeepOpenDecision:
    """Say why a case open beyond the usual three years stays open (asked again yearly)."""
    within_the_file(beneficiary, decided_on, "decided_on", gettext("date"))
    if reason == KeepOpenReason.OTHER and not notes.strip():
        raise ValidationError({"notes": gettext("Say what the other reason is.")})
    decision = KeepOpenDecision(
        beneficiary=beneficiary, reason=reason, notes=notes, decided_on=decided_on, decided_by=actor
    )
    save_record(decision, actor)
    return decision
