"""The beneficiary: identity, safe contact, situation and where the case stands."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from core.languages import language_choices
from core.validators import ChoiceListValidator

from ..choices import (
    Accommodation,
    CaseStatus,
    ComplexFactor,
    ExploitationForm,
    IdentificationStatus,
    Literacy,
    ReferralSource,
    RiskLevel,
    Sex,
    Stage,
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


TYPICAL_STAGE_MONTHS = 6  # crisis, then transition: about six months each (DOMAIN.md 3)


def expected_stage_after(months: int, extra_months: int) -> Stage:
    """The stage a person is typically in after so many whole months since admission.

    Typically month 1-6 is crisis, 7-12 transition, 13 onwards inclusion (DOMAIN.md section
    3). `extra_months` (the organisation's timeline extensions for a child and for the
    case's complex factors, `monitoring.timeline`) stretch each of the first two stages by
    as much: with 3 extra months crisis lasts until month 9 and transition until month 18.
    No default: every caller says which extension it judged by.
    """
    stage_length = TYPICAL_STAGE_MONTHS + max(extra_months, 0)
    if months < stage_length:
        return Stage.CRISIS
    if months < 2 * stage_length:
        return Stage.TRANSITION
    return Stage.INCLUSION


def stage_comparison(stage: str, expected: str) -> str:
    """'longer' when the current stage is earlier than the expected one, 'ahead' or 'typical'."""
    current, typical = Stage.order(stage), Stage.order(expected)
    if current < typical:
        return "longer"
    return "ahead" if current > typical else "typical"


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
    # When the last contact made took place (an attempt does not count), kept by the contact
    # services of `monitoring`: every case's next contact is due from it, and the lists and
    # figures over thousands of cases read it here rather than each case's contacts. Derived
    # from the contacts, which keep their own history.
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["last_contact_at"])

    # Not columns: set on a case as it is read, for the page that shows it. On a case
    # fetched by `cases.access.get_beneficiary_for`: what the user may do there.
    access: set[Any]
    can: dict[str, bool]
    # On the rows of case lists (caseload, reviews, reminders, retention): what the row shows.
    follow_up: Any
    safe_to_call_label: Any  # on My follow-ups: the answers' words, looked up once
    home_visits_allowed_label: Any
    active_case_managers: list[Any]
    assessment_list: list[Any]
    plan_summary: Any
    retention_ends_on: date
    # The expected stage with the organisation's extra months for this person (set by
    # `monitoring.timeline.attach_timelines`): there is no unadjusted one to show instead.
    timeline: Any

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

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Saving an edited case never writes `last_contact_at` back: the copy read when the
        # form opened would undo a contact logged meanwhile. Only the contact services set it.
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            deferred = self.get_deferred_fields()  # as Django saves a partly loaded row
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "last_contact_at" and f.attname not in deferred
            ]
        super().save(*args, **kwargs)

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
