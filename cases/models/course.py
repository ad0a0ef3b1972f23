"""The course of a case: stage history, setbacks, closure and declined assistance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import (
    ClosureReason,
    DeclineScope,
    SetbackCategory,
    Severity,
    Stage,
)
from .beneficiary import Beneficiary, CaseRecord


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
