"""Legal proceedings the person takes part in, and their hearings.

Trials can last years; the details (the authority, the reference, protection measures) can
endanger the person if they travel, so they are read only by the case manager, a lawyer on
the team and supervisors (`cases.selectors.reads_legal`)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import ProceedingKind, ProceedingOutcome, ProceedingRole, ProceedingStage
from .beneficiary import Beneficiary, CaseRecord


class LegalProceeding(CaseRecord):
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="proceedings",
        verbose_name=_("beneficiary"),
    )
    kind = models.CharField(_("kind of proceedings"), max_length=20, choices=ProceedingKind.choices)
    authority = models.CharField(
        _("court or authority"),
        max_length=200,
        help_text=_("E.g. the district court, the prosecutor's office, the labour inspectorate."),
    )
    reference = models.CharField(_("case reference"), max_length=100, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=ProceedingStage.choices)
    role = models.CharField(_("the person's role"), max_length=30, choices=ProceedingRole.choices)
    lawyer = models.CharField(
        _("lawyer"),
        max_length=200,
        blank=True,
        help_text=_("Who represents the person: a name and their organisation."),
    )
    protection_measures = models.TextField(
        _("protection measures"),
        blank=True,
        help_text=_("E.g. testimony by video, a closed hearing, a restraining order, an escort."),
    )
    started_on = models.DateField(_("started on"))
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=ProceedingOutcome.choices,
        default=ProceedingOutcome.PENDING,
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    compensation_claimed = models.DecimalField(
        _("compensation claimed"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    compensation_received = models.DecimalField(
        _("compensation received"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("Three letters, e.g. ALL, EUR, IDR.")
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("legal proceedings")
        verbose_name_plural = _("legal proceedings")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="pending") | Q(outcome_on__isnull=False),
                name="proceeding_outcome_with_date",
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=models.F("started_on")),
                name="proceeding_outcome_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_open(self) -> bool:
        return self.stage != ProceedingStage.ENDED


class Hearing(CaseRecord):
    """A dated hearing, interview or court appearance in one set of proceedings."""

    proceeding = models.ForeignKey(
        LegalProceeding,
        on_delete=models.PROTECT,
        related_name="hearings",
        verbose_name=_("legal proceedings"),
    )
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    purpose = models.CharField(
        _("what it is for"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the person's testimony, a preliminary hearing, the verdict."),
    )
    person_attends = models.BooleanField(
        _("the person attends"),
        default=False,
        help_text=_("The person has to be there: plan transport, company and support."),
    )
    result = models.TextField(_("what happened"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["held_on", "starts_at", "id"]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self) -> str:
        return self.purpose or str(self.held_on)
