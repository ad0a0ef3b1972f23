"""The beneficiary case file.

Nothing in a case file is deleted: consents are withdrawn, team memberships end, closures
are followed by reopenings. Every model keeps a simple-history table with the acting user.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Discipline, Organisation
from core.appendonly import AppendOnlyModel
from core.validators import ChoiceListValidator
from directory.choices import InformationCategory
from directory.models import Provider

from .choices import (
    AccessAction,
    Accommodation,
    CaseStatus,
    ChildSituation,
    ClosureReason,
    ComplexFactor,
    ConsentGiver,
    ConsentMethod,
    ConsentScope,
    DeclineScope,
    ExploitationForm,
    FamilyAttitude,
    FamilyKnowledge,
    FamilyRisk,
    IdentificationStatus,
    Literacy,
    ReferralSource,
    Relationship,
    RiskLevel,
    SetbackCategory,
    Severity,
    Sex,
    Stage,
    TeamRole,
    TraffickingScope,
    WitnessStatus,
    YesNoUnknown,
)

ADULT_AGE = 18


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end (0 in the first month)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def expected_stage_after(months: int) -> Stage:
    """The stage a person is typically in after so many whole months since admission.

    Month 1-6 is crisis, 7-12 transition, 13 onwards inclusion (DOMAIN.md section 3).
    """
    if months < 6:
        return Stage.CRISIS
    if months < 12:
        return Stage.TRANSITION
    return Stage.INCLUSION


class CaseRecord(models.Model):
    """Common columns of every row that belongs to one beneficiary's file."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Beneficiary(CaseRecord):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case_code = models.CharField(max_length=20, unique=True, editable=False)

    # Identity
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    alias = models.CharField(
        max_length=100, blank=True, help_text="Name the person prefers to be called, if any."
    )
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_estimated = models.BooleanField(
        default=False, help_text="The date of birth was worked out from an estimated age."
    )
    sex = models.CharField(max_length=20, choices=Sex.choices)
    gender_identity = models.CharField(
        max_length=100, blank=True, help_text="In the person's own words, if they wish."
    )
    nationality = models.CharField(max_length=100, blank=True)
    languages = models.CharField(max_length=200, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    literacy = models.CharField(max_length=20, choices=Literacy.choices, default=Literacy.UNKNOWN)
    education = models.CharField(max_length=200, blank=True, help_text="Highest schooling.")

    # Contact, with the rules that keep contact safe
    phone = models.CharField(max_length=50, blank=True)
    safe_to_call = models.CharField(
        max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    who_may_answer = models.CharField(max_length=200, blank=True)
    safe_times = models.CharField(max_length=200, blank=True)
    home_visits_allowed = models.CharField(
        max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    safe_contact_notes = models.TextField(
        blank=True,
        help_text="Who knows what happened, what to say if someone else answers, what to avoid.",
    )
    address = models.TextField(blank=True)
    accommodation = models.CharField(max_length=30, choices=Accommodation.choices)

    # Situation
    identification_status = models.CharField(max_length=20, choices=IdentificationStatus.choices)
    referral_source = models.CharField(max_length=30, choices=ReferralSource.choices)
    referral_details = models.CharField(max_length=200, blank=True)
    exploitation_forms = models.JSONField(
        default=list, blank=True, validators=[ChoiceListValidator(ExploitationForm)]
    )
    trafficking_scope = models.CharField(
        max_length=20, choices=TraffickingScope.choices, default=TraffickingScope.UNKNOWN
    )
    exploitation_ended_on = models.DateField(null=True, blank=True)
    admitted_on = models.DateField()
    complex_factors = models.JSONField(
        default=list, blank=True, validators=[ChoiceListValidator(ComplexFactor)]
    )
    security_risk = models.CharField(max_length=10, choices=RiskLevel.choices)
    security_notes = models.TextField(blank=True)
    witness_status = models.CharField(
        max_length=20, choices=WitnessStatus.choices, default=WitnessStatus.NOT_INVOLVED
    )
    documents_notes = models.TextField(
        blank=True, help_text="Identity and civil documents, residence or legal status."
    )

    # Where the case stands; changed only through the stage and closure services.
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.CRISIS)
    stage_since = models.DateField()
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.ACTIVE)
    # Set when the personal details were erased after the retention period (cases.retention).
    anonymised_on = models.DateField(null=True, blank=True, editable=False)
    anonymised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    # Not columns: set on a case as it is read, for the page that shows it. On a case
    # fetched by `cases.access.get_beneficiary_for`: what the user may do there.
    access: set[Any]
    can: dict[str, bool]
    # On the rows of case lists (caseload, reviews, reminders, retention): what the row shows.
    follow_up: Any
    active_case_managers: list[Any]
    assessment_list: list[Any]
    plan_summary: Any
    retention_ends_on: date

    class Meta:
        ordering = ["case_code"]
        verbose_name_plural = "beneficiaries"
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=True)
                | Q(admitted_on__gte=models.F("date_of_birth")),
                name="beneficiary_admitted_after_birth",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "stage"]),
            # The caseload list's order, so a page is read from the index, not sorted.
            models.Index(fields=["organisation", "status", "case_code"]),
        ]

    def __str__(self) -> str:
        return self.case_code

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age(self, on: date | None = None) -> int | None:
        if self.date_of_birth is None:
            return None
        return age_on(self.date_of_birth, on or timezone.localdate())

    @property
    def is_minor(self) -> bool:
        age = self.age()
        return age is not None and age < ADULT_AGE

    @property
    def months_since_admission(self) -> int:
        return months_between(self.admitted_on, timezone.localdate())

    @property
    def expected_stage(self) -> Stage:
        return expected_stage_after(self.months_since_admission)

    @property
    def stage_comparison(self) -> str:
        """'longer' when the person is in an earlier stage than typical, 'ahead' or 'typical'."""
        current, expected = Stage.order(self.stage), Stage.order(self.expected_stage)
        if current < expected:
            return "longer"
        return "ahead" if current > expected else "typical"

    @property
    def exploitation_form_labels(self) -> list[str]:
        return [ExploitationForm(v).label for v in self.exploitation_forms]

    @property
    def complex_factor_labels(self) -> list[str]:
        return [ComplexFactor(v).label for v in self.complex_factors]

    @property
    def is_complex(self) -> bool:
        return bool(self.complex_factors)

    @property
    def current_assessment(self) -> object | None:
        """On a caseload row (`assessment_list`, set by `caseload_rows`): the open assessment, else the latest."""
        assessments = getattr(self, "assessment_list", [])
        return next((a for a in assessments if not a.is_complete), None) or next(
            iter(assessments), None
        )

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class TeamMembership(CaseRecord):
    """A staff member's place on a case team, from one date to another.

    Access to a case follows the memberships that have not ended.
    """

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships"
    )
    role = models.CharField(max_length=20, choices=TeamRole.choices)
    discipline = models.CharField(max_length=20, choices=Discipline.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(role="case_manager", ended_on__isnull=True),
                name="one_active_case_manager",
            ),
            models.UniqueConstraint(
                fields=["beneficiary", "user"],
                condition=Q(ended_on__isnull=True),
                name="one_active_membership_per_user",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["user", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class FamilyMember(CaseRecord):
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="family")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    lives_with_beneficiary = models.BooleanField(default=False)
    attitude = models.CharField(
        max_length=20, choices=FamilyAttitude.choices, default=FamilyAttitude.UNKNOWN
    )
    knows_what_happened = models.CharField(
        max_length=20, choices=FamilyKnowledge.choices, default=FamilyKnowledge.UNKNOWN
    )
    risk = models.CharField(max_length=10, choices=FamilyRisk.choices, default=FamilyRisk.UNKNOWN)
    risk_notes = models.TextField(blank=True)
    own_needs = models.TextField(blank=True, help_text="Their own needs for assistance.")
    services = models.TextField(blank=True, help_text="Services they receive or were referred to.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"


class Child(CaseRecord):
    """A child of the beneficiary, with needs of their own."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="children")
    first_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, default=Sex.NOT_STATED)
    situation = models.CharField(max_length=20, choices=ChildSituation.choices)
    lives_with_beneficiary = models.BooleanField(default=False)
    current_carer = models.CharField(max_length=200, blank=True)
    needs = models.TextField(blank=True)
    services = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date_of_birth", "id"]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return self.first_name


class Consent(CaseRecord):
    """One consent given for one scope. Withdrawn, never deleted."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="consents")
    scope = models.CharField(max_length=20, choices=ConsentScope.choices)
    shared_with = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who information may be shared with, when they are not in the service directory.",
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name="Organisation (from the service directory)",
        help_text="Referrals to this organisation can be sent only while this consent is active.",
    )
    information = models.JSONField(
        default=list,
        blank=True,
        validators=[ChoiceListValidator(InformationCategory)],
        verbose_name="Information that may be shared",
    )
    details = models.CharField(max_length=300, blank=True)
    given_by = models.CharField(max_length=20, choices=ConsentGiver.choices)
    given_by_name = models.CharField(max_length=200, blank=True)
    child_view = models.TextField(
        blank=True, help_text="For a child: what the child said about it, in their own words."
    )
    given_on = models.DateField()
    method = models.CharField(max_length=20, choices=ConsentMethod.choices)
    witness = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return self.get_scope_display()

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None

    @property
    def information_labels(self) -> list[str]:
        return [InformationCategory(c).label for c in self.information]

    @property
    def shared_with_label(self) -> str:
        return str(self.provider) if self.provider_id else self.shared_with


class Setback(CaseRecord):
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="setbacks")
    category = models.CharField(max_length=30, choices=SetbackCategory.choices)
    occurred_on = models.DateField()
    severity = models.CharField(max_length=10, choices=Severity.choices)
    description = models.TextField(help_text="What happened.")
    response = models.TextField(blank=True, help_text="What was done about it.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return self.get_category_display()


class StageChange(CaseRecord):
    """An entry in the stage history: the first one is the stage at admission."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    changed_on = models.DateField()
    reason = models.TextField()
    setback = models.OneToOneField(
        Setback, on_delete=models.PROTECT, null=True, blank=True, related_name="stage_change"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-changed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.from_stage or 'start'} -> {self.to_stage}"

    @property
    def direction(self) -> str:
        if not self.from_stage:
            return "start"
        return "back" if Stage.order(self.to_stage) < Stage.order(self.from_stage) else "forward"


class Closure(CaseRecord):
    """A period in which the case was closed; reopening fills in the second half."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="closures")
    closed_on = models.DateField()
    reason = models.CharField(max_length=20, choices=ClosureReason.choices)
    mutually_agreed = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reopened_on = models.DateField(null=True, blank=True)
    reopen_reason = models.TextField(blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-closed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(reopened_on__isnull=True),
                name="one_open_closure",
            ),
            models.CheckConstraint(
                condition=Q(reopened_on__isnull=True) | Q(reopened_on__gte=models.F("closed_on")),
                name="reopened_after_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.get_reason_display()


class AssistanceDecline(CaseRecord):
    """The person declined all or part of the assistance offered: a choice, recorded with reasons."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="declines")
    declined_on = models.DateField()
    scope = models.CharField(max_length=10, choices=DeclineScope.choices)
    services_declined = models.CharField(max_length=300, blank=True)
    reasons = models.TextField(help_text="The person's reasons, in their own words where possible.")
    told_help_remains_available = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-declined_on", "-id"]

    def __str__(self) -> str:
        return self.get_scope_display()


class CaseAccess(AppendOnlyModel):
    """Append-only log of every time someone opened or changed something in a case."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30, choices=AccessAction.choices)
    what = models.CharField(max_length=100, help_text="The page or document, by its name.")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["beneficiary", "-at"]),
            models.Index(fields=["user", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.beneficiary_id}"


class ExportLog(AppendOnlyModel):
    """Append-only: who exported which report or list, for which period, and how many rows."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=100)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    rows = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "monitoring_exportlog"  # the export log began inside monitoring
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.what} by {self.user_id}"


class EmergencyAccess(CaseRecord):
    """Someone off the case team opened the file in an emergency ("break-glass"): for a few
    hours, read-only, with a reason, and reviewed afterwards by a supervisor."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    reason = models.TextField()
    started_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["user", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.beneficiary_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ends_at > timezone.now()
