"""The beneficiary case file.

Nothing in a case file is deleted: consents are withdrawn, team memberships end, closures
are followed by reopenings. Every model keeps a simple-history table with the acting user.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Discipline, Organisation
from core.appendonly import AppendOnlyModel
from core.languages import language_choices
from core.validators import ChoiceListValidator
from directory.choices import InformationCategory
from directory.models import Provider

from .choices import (
    THREAT_LEVELS,
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
    DisclosureKnowledge,
    DisclosureWho,
    DocumentKind,
    DocumentStatus,
    ExploitationForm,
    FamilyAttitude,
    FamilyKnowledge,
    FamilyRisk,
    IdentificationStatus,
    Literacy,
    ReferralSource,
    Relationship,
    RiskIndicator,
    RiskLevel,
    SetbackCategory,
    Severity,
    Sex,
    Stage,
    TeamRole,
    ThreatKind,
    ThreatSource,
    ThreatStatus,
    TraffickingScope,
    WitnessStatus,
    YesNoUnknown,
)

if TYPE_CHECKING:  # django-stubs-ext is a development tool, not installed in production
    from django_stubs_ext import StrOrPromise

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
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    case_code = models.CharField(_("case code"), max_length=20, unique=True, editable=False)

    # Identity
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    alias = models.CharField(
        _("alias"),
        max_length=100,
        blank=True,
        help_text=_("Name the person prefers to be called, if any."),
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    date_of_birth_estimated = models.BooleanField(
        _("date of birth estimated"),
        default=False,
        help_text=_("The date of birth was worked out from an estimated age."),
    )
    sex = models.CharField(_("sex"), max_length=20, choices=Sex.choices)
    gender_identity = models.CharField(
        _("gender identity"),
        max_length=100,
        blank=True,
        help_text=_("In the person's own words, if they wish."),
    )
    nationality = models.CharField(_("nationality"), max_length=100, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    document_language = models.CharField(
        _("language for documents"),
        max_length=10,
        choices=language_choices,
        blank=True,
        help_text=_(
            "The language their plan, letters and handouts are printed in by default. Empty: "
            "the organisation's working language."
        ),
    )
    literacy = models.CharField(
        _("literacy"), max_length=20, choices=Literacy.choices, default=Literacy.UNKNOWN
    )
    education = models.CharField(
        _("education"), max_length=200, blank=True, help_text=_("Highest schooling.")
    )

    # Contact, with the rules that keep contact safe
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    safe_to_call = models.CharField(
        _("safe to call"), max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    who_may_answer = models.CharField(_("who may answer"), max_length=200, blank=True)
    safe_times = models.CharField(_("safe times"), max_length=200, blank=True)
    home_visits_allowed = models.CharField(
        _("home visits allowed"),
        max_length=10,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )
    safe_contact_notes = models.TextField(
        _("safe contact notes"),
        blank=True,
        help_text=_("Who knows what happened, what to say if someone else answers, what to avoid."),
    )
    address = models.TextField(_("address"), blank=True)
    accommodation = models.CharField(
        _("accommodation"), max_length=30, choices=Accommodation.choices
    )

    # Situation
    identification_status = models.CharField(
        _("identification status"), max_length=20, choices=IdentificationStatus.choices
    )
    referral_source = models.CharField(
        _("referral source"), max_length=30, choices=ReferralSource.choices
    )
    referral_details = models.CharField(_("referral details"), max_length=200, blank=True)
    exploitation_forms = models.JSONField(
        _("exploitation forms"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(ExploitationForm)],
    )
    trafficking_scope = models.CharField(
        _("trafficking scope"),
        max_length=20,
        choices=TraffickingScope.choices,
        default=TraffickingScope.UNKNOWN,
    )
    exploitation_ended_on = models.DateField(_("exploitation ended on"), null=True, blank=True)
    admitted_on = models.DateField(_("admitted on"))
    complex_factors = models.JSONField(
        _("complex factors"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(ComplexFactor)],
    )
    security_risk = models.CharField(_("security risk"), max_length=10, choices=RiskLevel.choices)
    security_notes = models.TextField(_("security notes"), blank=True)
    witness_status = models.CharField(
        _("witness status"),
        max_length=20,
        choices=WitnessStatus.choices,
        default=WitnessStatus.NOT_INVOLVED,
    )
    documents_notes = models.TextField(
        _("documents notes"),
        blank=True,
        help_text=_("Identity and civil documents, residence or legal status."),
    )
    registration_place = models.CharField(
        _("place of registration"),
        max_length=200,
        blank=True,
        help_text=_("Where the person is registered: it decides which services they can use."),
    )

    # Where the case stands; changed only through the stage and closure services.
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.CRISIS)
    stage_since = models.DateField(_("stage since"))
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.ACTIVE
    )
    # Set when the personal details were erased after the retention period (cases.retention).
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True, editable=False)
    anonymised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("anonymised by"),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
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
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["case_code"]
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
    def exploitation_form_labels(self) -> list[StrOrPromise]:
        return [ExploitationForm(v).label for v in self.exploitation_forms]

    @property
    def complex_factor_labels(self) -> list[StrOrPromise]:
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

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="team", verbose_name=_("beneficiary")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)
    discipline = models.CharField(_("discipline"), max_length=20, choices=Discipline.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("ended by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
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
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="family", verbose_name=_("beneficiary")
    )
    name = models.CharField(_("name"), max_length=200)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    lives_with_beneficiary = models.BooleanField(_("lives with beneficiary"), default=False)
    attitude = models.CharField(
        _("attitude"), max_length=20, choices=FamilyAttitude.choices, default=FamilyAttitude.UNKNOWN
    )
    knows_what_happened = models.CharField(
        _("knows what happened"),
        max_length=20,
        choices=FamilyKnowledge.choices,
        default=FamilyKnowledge.UNKNOWN,
    )
    risk = models.CharField(
        _("risk"), max_length=10, choices=FamilyRisk.choices, default=FamilyRisk.UNKNOWN
    )
    risk_notes = models.TextField(_("risk notes"), blank=True)
    own_needs = models.TextField(
        _("own needs"), blank=True, help_text=_("Their own needs for assistance.")
    )
    services = models.TextField(
        _("services"), blank=True, help_text=_("Services they receive or were referred to.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"


class Child(CaseRecord):
    """A child of the beneficiary, with needs of their own."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("beneficiary"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=20, choices=Sex.choices, default=Sex.NOT_STATED)
    situation = models.CharField(_("situation"), max_length=20, choices=ChildSituation.choices)
    lives_with_beneficiary = models.BooleanField(_("lives with beneficiary"), default=False)
    current_carer = models.CharField(_("current carer"), max_length=200, blank=True)
    needs = models.TextField(_("needs"), blank=True)
    services = models.TextField(_("services"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["date_of_birth", "id"]

    def __str__(self) -> str:
        return self.first_name


class Consent(CaseRecord):
    """One consent given for one scope. Withdrawn, never deleted."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("beneficiary"),
    )
    scope = models.CharField(_("scope"), max_length=20, choices=ConsentScope.choices)
    shared_with = models.CharField(
        _("shared with"),
        max_length=200,
        blank=True,
        help_text=_(
            "Who information may be shared with, when they are not in the service directory."
        ),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("Organisation (from the service directory)"),
        help_text=_(
            "Referrals to this organisation can be sent only while this consent is active."
        ),
    )
    information = models.JSONField(
        default=list,
        blank=True,
        validators=[ChoiceListValidator(InformationCategory)],
        verbose_name=_("Information that may be shared"),
    )
    details = models.CharField(_("details"), max_length=300, blank=True)
    given_by = models.CharField(_("given by"), max_length=20, choices=ConsentGiver.choices)
    given_by_name = models.CharField(_("given by name"), max_length=200, blank=True)
    child_view = models.TextField(
        _("child view"),
        blank=True,
        help_text=_("For a child: what the child said about it, in their own words."),
    )
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("method"), max_length=20, choices=ConsentMethod.choices)
    witness = models.CharField(_("witness"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("withdrawal reason"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("withdrawn by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
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
    def information_labels(self) -> list[StrOrPromise]:
        return [InformationCategory(c).label for c in self.information]

    @property
    def shared_with_label(self) -> str:
        return str(self.provider) if self.provider_id else self.shared_with


class Setback(CaseRecord):
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="setbacks",
        verbose_name=_("beneficiary"),
    )
    category = models.CharField(_("category"), max_length=30, choices=SetbackCategory.choices)
    occurred_on = models.DateField(_("occurred on"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("description"), help_text=_("What happened."))
    response = models.TextField(_("response"), blank=True, help_text=_("What was done about it."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("setback")
        verbose_name_plural = _("setbacks")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return self.get_category_display()


class CrisisAlarm(CaseRecord):
    """Raised by a setback that signals danger: it stays on the case file and at the top of
    the supervisors' review until someone acknowledges it and says what was done."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="crisis_alarms",
        verbose_name=_("beneficiary"),
    )
    setback = models.OneToOneField(
        Setback, on_delete=models.PROTECT, related_name="alarm", verbose_name=_("setback")
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    action_taken = models.TextField(_("what was done"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("crisis alarm")
        verbose_name_plural = _("crisis alarms")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["acknowledged_at", "beneficiary"])]

    def __str__(self) -> str:
        return f"crisis alarm {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


class Threat(CaseRecord):
    """A threat to the person's safety, from whom and how serious, open until resolved.

    Read by the case manager and supervisors only, like the address (see
    `cases.selectors.RESTRICTED_MODELS`).
    """

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="threats", verbose_name=_("beneficiary")
    )
    source = models.CharField(_("from whom"), max_length=20, choices=ThreatSource.choices)
    kind = models.CharField(_("kind of threat"), max_length=30, choices=ThreatKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=THREAT_LEVELS)
    identified_on = models.DateField(_("identified on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ThreatStatus.choices, default=ThreatStatus.OPEN
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    details = models.TextField(
        _("details"),
        help_text=_("What happened or was said, who is behind it, and what is known of them."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("threat")
        verbose_name_plural = _("threats")
        ordering = ["-identified_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=[value for value, _label in THREAT_LEVELS]),
                name="threat_level_assessed",
            ),
            models.CheckConstraint(
                condition=Q(status=ThreatStatus.OPEN, resolved_on__isnull=True)
                | Q(status=ThreatStatus.RESOLVED, resolved_on__isnull=False),
                name="threat_resolved_with_date",
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True)
                | Q(resolved_on__gte=models.F("identified_on")),
                name="threat_resolved_after_identified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_level_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == ThreatStatus.OPEN


class SafetyPlan(CaseRecord):
    """The safety plan agreed with the person: one per case, kept current by reviewing it.

    Each review is an update with a new review date; the change history keeps every earlier
    version. Read by the case manager and supervisors only.
    """

    beneficiary = models.OneToOneField(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="safety_plan",
        verbose_name=_("beneficiary"),
    )
    safe_places = models.TextField(
        _("safe places"), blank=True, help_text=_("Where the person can go when in danger.")
    )
    safe_people = models.TextField(
        _("safe people"), blank=True, help_text=_("People the person trusts and can turn to.")
    )
    emergency_contacts = models.TextField(
        _("emergency contacts"),
        blank=True,
        help_text=_("Names and numbers to call in an emergency, the organisation's included."),
    )
    code_word = models.CharField(
        _("code word"),
        max_length=100,
        blank=True,
        help_text=_("A word the person can say or send to tell staff they cannot speak freely."),
    )
    what_to_do = models.TextField(
        _("what to do and whom to call"),
        help_text=_("The steps the person agreed to take if the danger comes close."),
    )
    organisation_measures = models.TextField(
        _("measures by the organisation"),
        blank=True,
        help_text=_("What the organisation does: escorts, changed routines, contact with police."),
    )
    agreed_on = models.DateField(_("agreed on"))
    reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    review_on = models.DateField(_("next review on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("updated by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__gt=models.F("agreed_on")),
                name="safety_plan_review_after_agreement",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True)
                | Q(reviewed_on__gte=models.F("agreed_on"), review_on__gt=models.F("reviewed_on")),
                name="safety_plan_reviewed_in_order",
            ),
        ]
        # The reminder scan looks for reviews falling due.
        indexes = [models.Index(fields=["review_on"])]

    def __str__(self) -> str:
        return f"safety plan {self.pk}"

    @property
    def review_is_due(self) -> bool:
        return self.review_on <= timezone.localdate()


class RiskFlag(CaseRecord):
    """A raised risk of re-trafficking: its signs, why and when it was raised, and once the
    risk has passed, why and when it was cleared. One open flag per case at a time; while
    it is open every contact made says how the risk looks (`Contact.risk_review`)."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="risk_flags",
        verbose_name=_("beneficiary"),
    )
    indicators = models.JSONField(
        _("signs"), default=list, validators=[ChoiceListValidator(RiskIndicator)]
    )
    raised_on = models.DateField(_("raised on"))
    raised_reason = models.TextField(_("why it was raised"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("raised by"),
    )
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    cleared_reason = models.TextField(_("why it was cleared"), blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cleared by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("re-trafficking risk flag")
        verbose_name_plural = _("re-trafficking risk flags")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(cleared_on__isnull=True),
                name="one_open_risk_flag_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"risk flag {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.cleared_on is None

    def indicator_labels(self) -> list[str]:
        labels = dict(RiskIndicator.choices)
        return [str(labels.get(code, code)) for code in self.indicators]


class Disclosure(CaseRecord):
    """Who beyond the family knows about the person's past, and what the person wants them
    to know: read by the whole team, and shown on the contact form, so that a visit or call
    that may meet them says nothing the person does not want said."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="disclosures",
        verbose_name=_("beneficiary"),
    )
    who = models.CharField(_("who"), max_length=20, choices=DisclosureWho.choices)
    name_or_role = models.CharField(
        _("name or role"),
        max_length=200,
        blank=True,
        help_text=_("e.g. her manager at the bakery, the class teacher."),
    )
    knows = models.CharField(_("knows"), max_length=20, choices=DisclosureKnowledge.choices)
    wishes = models.TextField(
        _("what the person wants"),
        blank=True,
        help_text=_("What the person wants them to know, or not to know."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_who_display()}: {self.get_knows_display()}"


class Document(CaseRecord):
    """An identity, civil or administrative document of the person, or of one of their
    children: where it stands, who is seeing to it, and the steps taken (`DocumentStep`).
    Getting documents can take months or years; read by the whole team."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("beneficiary"),
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
        verbose_name=_("for the child"),
        help_text=_("Leave empty for the person's own document."),
    )
    kind = models.CharField(_("kind of document"), max_length=30, choices=DocumentKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=DocumentStatus.choices)
    responsible = models.CharField(
        _("who is responsible"),
        max_length=200,
        blank=True,
        help_text=_(
            "A person or an organisation, e.g. the person herself, our lawyer, the civil registry."
        ),
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["child_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.ISSUED) | Q(issued_on__isnull=False),
                name="document_issued_with_date",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gt=models.F("issued_on")),
                name="document_expires_after_issue",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_on"])]

    def __str__(self) -> str:
        return self.get_kind_display()

    def label(self) -> str:
        """The kind, and the child's first name for a child's document."""
        if self.child_id is None:
            return self.get_kind_display()
        return gettext("%(kind)s (%(child)s)") % {
            "kind": self.get_kind_display(),
            "child": self.child.first_name if self.child else "",
        }

    def expiry_warning(self) -> str:
        """'past' or 'soon' (within DOCUMENT_EXPIRY_WARNING_DAYS) for an expiry date, else ''."""
        if self.expires_on is None or self.status not in (
            DocumentStatus.ISSUED,
            DocumentStatus.EXPIRED,
        ):
            return ""
        today = timezone.localdate()
        if self.expires_on < today:
            return "past"
        if (self.expires_on - today).days <= settings.DOCUMENT_EXPIRY_WARNING_DAYS:
            return "soon"
        return ""


class DocumentStep(CaseRecord):
    """A step taken towards a document, with its date: an application filed, a visit to the
    registry, a fee paid, an appeal."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="steps", verbose_name=_("document")
    )
    taken_on = models.DateField(_("date"))
    step = models.CharField(_("what was done"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document step")
        verbose_name_plural = _("document steps")
        ordering = ["-taken_on", "-id"]

    def __str__(self) -> str:
        return self.step


class StageChange(CaseRecord):
    """An entry in the stage history: the first one is the stage at admission."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="stage_changes",
        verbose_name=_("beneficiary"),
    )
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Stage.choices)
    changed_on = models.DateField(_("changed on"))
    reason = models.TextField(_("reason"))
    setback = models.OneToOneField(
        Setback,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stage_change",
        verbose_name=_("setback"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
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

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="closures",
        verbose_name=_("beneficiary"),
    )
    closed_on = models.DateField(_("closed on"))
    reason = models.CharField(_("reason"), max_length=20, choices=ClosureReason.choices)
    mutually_agreed = models.BooleanField(_("mutually agreed"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    reopened_on = models.DateField(_("reopened on"), null=True, blank=True)
    reopen_reason = models.TextField(_("reopen reason"), blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("reopened by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
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

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="declines",
        verbose_name=_("beneficiary"),
    )
    declined_on = models.DateField(_("declined on"))
    scope = models.CharField(_("scope"), max_length=10, choices=DeclineScope.choices)
    services_declined = models.CharField(_("services declined"), max_length=300, blank=True)
    reasons = models.TextField(
        _("reasons"), help_text=_("The person's reasons, in their own words where possible.")
    )
    told_help_remains_available = models.BooleanField(
        _("told help remains available"), default=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assistance decline")
        verbose_name_plural = _("assistance declines")
        ordering = ["-declined_on", "-id"]

    def __str__(self) -> str:
        return self.get_scope_display()


class CaseAccess(AppendOnlyModel):
    """Append-only log of every time someone opened or changed something in a case."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="+", verbose_name=_("beneficiary")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    action = models.CharField(_("action"), max_length=30, choices=AccessAction.choices)
    what = models.CharField(
        _("what"), max_length=100, help_text=_("The page or document, by its name.")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("case access")
        verbose_name_plural = _("case accesses")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["beneficiary", "-at"]),
            models.Index(fields=["user", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.beneficiary_id}"


class RefusedAccess(AppendOnlyModel):
    """Append-only: a logged-in user asked for a case page and was refused (404 or 403).

    Someone probing case ids leaves a trace here. The case is recorded by the id asked for,
    with its organisation only where such a case exists: the page refused says nothing of
    that, and each organisation's supervisors see only its own staff's attempts and the
    attempts on its own cases.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("organisation of the user"),
    )
    asked_for = models.UUIDField(_("case id asked for"))
    case = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("case, if it exists"),
    )
    status = models.PositiveSmallIntegerField(_("answer"))
    what = models.CharField(_("what"), max_length=100)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("refused access")
        verbose_name_plural = _("refused accesses")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-at"]),
            models.Index(fields=["user", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.status} for user {self.user_id} at {self.at:%Y-%m-%d %H:%M}"


class ExportLog(AppendOnlyModel):
    """Append-only: who exported which report or list, for which period, and how many rows."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    what = models.CharField(_("what"), max_length=100)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log entries")
        db_table = "monitoring_exportlog"  # the export log began inside monitoring
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.what} by {self.user_id}"

    @property
    def what_display(self) -> str:
        """What was exported, in the reader's language. The record itself is kept in English
        (reports.exports), from texts the catalogs translate."""
        prefix = "Report: "
        if self.what.startswith(prefix):
            title = self.what.removeprefix(prefix)
            return gettext("Report: %(title)s") % {"title": gettext(title)}
        return gettext(self.what)


class EmergencyAccess(CaseRecord):
    """Someone off the case team opened the file in an emergency ("break-glass"): for a few
    hours, read-only, with a reason, and reviewed afterwards by a supervisor."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="emergency_accesses",
        verbose_name=_("beneficiary"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="emergency_accesses",
        verbose_name=_("user"),
    )
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["user", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.beneficiary_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ends_at > timezone.now()
