"""Erasing the personal details of a closed case file after the retention period.

A closed case is kept for CASE_RETENTION_YEARS after its closure (`cases.retention`, the
rule); then a supervisor erases
what could identify the person or the people around them: names, dates of birth (the year
stays), contact details, addresses, and every note written in the file, in the records and
in their change history. What remains is what the organisation's reports count: the case
code, dates, stages, categories, scores and statuses, and the access log. Nothing is
erased automatically and an erasure cannot be undone.

`ERASED` lists every free-text field of every case record; `KEPT` lists the ones that
stay, with the reason. A test walks the models and fails on a field in neither, so a field
added later cannot be forgotten here.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any, cast

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from assessments.models import Assessment, AssessmentSection, OutcomeScore
from cases.choices import AccessAction
from cases.models import (
    ADULT_AGE,
    AssistanceDecline,
    Beneficiary,
    BestInterestsDetermination,
    CaseReview,
    Child,
    Closure,
    Consent,
    CrisisAlarm,
    Disclosure,
    Document,
    DocumentStep,
    EmergencyAccess,
    FamilyMember,
    Guardian,
    Hearing,
    LegalProceeding,
    RiskFlag,
    SafetyPlan,
    Setback,
    StageChange,
    TeamMembership,
    Threat,
)
from cases.retention import due_for_erasure
from cases.services import access_record
from monitoring.models import CadenceOverride, CaseMilestone, Contact, KeepOpenDecision
from notifications.models import Notification, NotificationKind
from plans.models import Goal, PlanVersion, Signature, Task
from referrals.models import (
    CaseTransfer,
    Referral,
    ReferralEvent,
    ReferralOverride,
    UnmetNeed,
)

from .models import Complaint

logger = logging.getLogger(__name__)

# (model, the path from its rows to the case, the fields emptied)
ERASED: list[tuple[type[models.Model], str, tuple[str, ...]]] = [
    (
        Beneficiary,
        "pk",
        (
            "first_name", "last_name", "alias", "gender_identity", "nationality", "languages",
            "education", "phone", "who_may_answer", "safe_times", "safe_contact_notes",
            "address", "referral_details", "security_notes", "documents_notes",
            "registration_place",
        ),
    ),
    (TeamMembership, "beneficiary", ("end_reason",)),
    (FamilyMember, "beneficiary", ("name", "risk_notes", "own_needs", "services")),
    (Child, "beneficiary", ("first_name", "current_carer", "needs", "services")),
    (Guardian, "beneficiary", ("name", "relationship", "contact", "appointed_by", "notes")),
    (
        BestInterestsDetermination,
        "beneficiary",
        ("question", "decision", "participants", "child_view"),
    ),
    (
        Consent,
        "beneficiary",
        ("shared_with", "details", "given_by_name", "child_view", "witness", "withdrawal_reason"),
    ),
    (Setback, "beneficiary", ("description", "response")),
    (CrisisAlarm, "beneficiary", ("action_taken",)),
    (RiskFlag, "beneficiary", ("raised_reason", "cleared_reason")),
    (Threat, "beneficiary", ("details",)),
    (
        SafetyPlan,
        "beneficiary",
        (
            "safe_places", "safe_people", "emergency_contacts", "code_word", "what_to_do",
            "organisation_measures",
        ),
    ),
    (Disclosure, "beneficiary", ("name_or_role", "wishes")),
    (Document, "beneficiary", ("responsible", "notes")),
    (DocumentStep, "document__beneficiary", ("step",)),
    (
        LegalProceeding,
        "beneficiary",
        ("authority", "reference", "lawyer", "protection_measures", "notes"),
    ),
    (Hearing, "proceeding__beneficiary", ("place", "purpose", "result")),
    (CaseReview, "beneficiary", ("participants", "decisions")),
    (StageChange, "beneficiary", ("reason",)),
    (Closure, "beneficiary", ("notes", "reopen_reason")),
    (AssistanceDecline, "beneficiary", ("services_declined", "reasons")),
    (EmergencyAccess, "beneficiary", ("reason", "review_note")),
    (Assessment, "beneficiary", ("reason", "beneficiary_views", "summary")),
    (
        AssessmentSection,
        "assessment__beneficiary",
        (
            "needs", "beneficiary_words", "strengths", "vulnerabilities_before",
            "vulnerabilities_because", "vulnerabilities_during", "recommended_services",
            "not_applicable_reason",
        ),
    ),
    (OutcomeScore, "assessment__beneficiary", ("note",)),
    (PlanVersion, "beneficiary", ("own_goals", "participants", "change_reason")),
    (Goal, "version__beneficiary", ("description", "indicator", "status_note", "own_view")),
    (Task, "goal__version__beneficiary", ("description",)),
    (
        Signature,
        "version__beneficiary",
        ("signer_name", "relationship", "witness", "read_in", "interpreter"),
    ),
    (CadenceOverride, "beneficiary", ("reason",)),
    (KeepOpenDecision, "beneficiary", ("notes",)),
    (
        Contact,
        "beneficiary",
        (
            "location", "participants", "summary", "needs_raised", "follow_up",
            "exception_details",
        ),
    ),
    (CaseMilestone, "beneficiary", ("note", "unmarked_reason")),
    (Complaint, "beneficiary", ("details", "response")),
    (
        Referral,
        "beneficiary",
        ("reason", "closing_reason", "outcome", "feedback"),
    ),
    (ReferralEvent, "referral__beneficiary", ("note",)),
    (ReferralOverride, "referral__beneficiary", ("reason", "decision_note")),
    (UnmetNeed, "beneficiary", ("details", "resolution")),
    (CaseTransfer, "beneficiary", ("reason", "decision_note")),
    # What a reminder was about: a task's description, a hearing's purpose.
    (Notification, "beneficiary", ("subject",)),
]  # fmt: skip

# Emptied names read as erased rather than missing.
WRITTEN_INSTEAD: dict[tuple[type[models.Model], str], str] = {
    (Beneficiary, "first_name"): "(details erased)",
    (FamilyMember, "name"): "(erased)",
    (Child, "first_name"): "(erased)",
    # A held review keeps a record of having been held (a database rule): not its contents.
    (CaseReview, "participants"): "(erased)",
    (CaseReview, "decisions"): "(erased)",
    (Guardian, "name"): "(erased)",
}

# Free-text and list fields of case records that stay, and why.
KEPT: dict[str, str] = {
    "cases.Beneficiary.case_code": "a code, not a name: the reports' key",
    "cases.Beneficiary.exploitation_forms": "categories counted in the reports",
    "cases.Beneficiary.complex_factors": "categories counted in the reports",
    "cases.CaseReview.factors": "categories from a fixed list (the complex-case factors)",
    "cases.RiskFlag.indicators": "categories counted in the reports",
    "cases.LegalProceeding.currency": "a currency code: the amounts stay for the reports",
    "cases.Consent.information": "categories of information shared",
    "cases.CaseAccess.what": "the page opened, never personal details",
    "cases.RefusedAccess.what": "the page refused, never personal details",
    "plans.PlanVersion.fingerprint": "a checksum of the signed text, which cannot be read back",
    "plans.Task.external_organisation": "an organisation, not a person: the task's owner",
    "monitoring.Contact.observations": "categories from a fixed list",
    "notifications.Notification.key": "record numbers and dates only",
    "referrals.Referral.information": "categories of information shared",
    "referrals.Referral.barriers": "categories counted in the unmet-needs report",
}


@transaction.atomic
def cases_anonymise(*, cases: list[Beneficiary], actor: User) -> None:
    """Several at once: all of them, or (on any refusal) none."""
    for case in cases:
        case_anonymise(beneficiary=case, actor=actor)


@transaction.atomic
def case_anonymise(*, beneficiary: Beneficiary, actor: User) -> None:
    """Erase the personal details of a closed case whose retention period is over."""
    case = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    if not due_for_erasure(case.organisation_id).filter(pk=case.pk).exists():
        raise ValidationError(
            gettext(
                "%(code)s is not due: only closed cases whose retention period "
                "is over can be anonymised, once."
            )
            % {"code": case.case_code}
        )
    for model, path, fields in ERASED:
        rows = model._default_manager.filter(**{path: case.pk})
        rows.update(**{field: WRITTEN_INSTEAD.get((model, field), "") for field in fields})
        # The change history holds the same details as they were: it goes.
        if history := _history_of(model):
            history.filter(**{_history_path(path): case.pk}).delete()
    for child in Child.objects.filter(beneficiary=case, date_of_birth__isnull=False):
        born = cast(date, child.date_of_birth)  # the filter leaves out children without one
        Child.objects.filter(pk=child.pk).update(date_of_birth=date(born.year, 1, 1))
    Beneficiary.objects.filter(pk=case.pk).update(
        date_of_birth=_surrogate_birth_date(case),
        anonymised_on=timezone.localdate(),
        anonymised_by=actor,
    )
    # The reminders to do this are done with.
    Notification.objects.filter(
        beneficiary=case, kind=NotificationKind.RETENTION_DUE, read_at__isnull=True
    ).update(read_at=timezone.now())
    access_record(beneficiary=case, user=actor, action=AccessAction.ANONYMISE, what="retention")
    logger.info("case %s anonymised by user %s", case.pk, actor.pk)


def _history_of(model: type[models.Model]) -> QuerySet[Any] | None:
    """The model's change history, where it keeps one (simple-history)."""
    history = getattr(model, "history", None)
    return history.model.objects.all() if history is not None else None


def _history_path(path: str) -> str:
    """A historical row keeps the record's own id as `id` (its `pk` is the history's)."""
    return "id" if path == "pk" else path


def _surrogate_birth_date(case: Beneficiary) -> date | None:
    """The birth year only (1 January), unless that would make someone admitted as a child
    an adult on admission: the reports count children and adults at admission."""
    born = case.date_of_birth
    if born is None:
        return None
    surrogate = date(born.year, 1, 1)
    adult_if_born_by = case.admitted_on - relativedelta(years=ADULT_AGE)
    if born > adult_if_born_by >= surrogate:
        # A child at admission: the earliest birth date that still makes them one.
        return adult_if_born_by + relativedelta(days=1)
    return surrogate
