"""Safety: crisis alarms, threats, safety plans, the re-trafficking risk flag, who knows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import ChoiceListValidator

from ..choices import (
    THREAT_LEVELS,
    DisclosureKnowledge,
    DisclosureWho,
    RiskIndicator,
    ThreatKind,
    ThreatSource,
    ThreatStatus,
)
from .beneficiary import Beneficiary, CaseRecord
from .course import Setback


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
