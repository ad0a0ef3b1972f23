"""Referrals to the services of the directory, unmet needs and case transfers.

Referrals, unmet needs and transfers belong to a case file: nothing is deleted, every change
keeps its history. The directory itself is the `directory` app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from cases.models import Beneficiary, CaseRecord
from core.validators import ChoiceListValidator
from directory.choices import InformationCategory, ServiceDomain
from directory.models import Provider, Service

from .choices import (
    OPEN_STATUSES,
    Barrier,
    OverrideKind,
    OverrideStatus,
    ReferralStatus,
    TransferStatus,
    Treatment,
    UnmetBarrier,
    Urgency,
)


class Referral(CaseRecord):
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("beneficiary"),
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service")
    )
    # Kept on the referral: the service's provider could change its entry later.
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("provider")
    )
    task = models.ForeignKey(
        "plans.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("task"),
    )
    domain = models.CharField(_("domain"), max_length=20, choices=ServiceDomain.choices)
    reason = models.TextField(
        _("reason"),
        help_text=_("Why the person is referred, written as the provider will read it."),
    )
    information = models.JSONField(
        _("information"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(InformationCategory)],
        help_text=_(
            "What case information goes to the provider. Nothing ticked: the person "
            "contacts the service themselves and no case information is shared."
        ),
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    status = models.CharField(
        _("status"), max_length=30, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    status_changed_on = models.DateField(_("status changed on"))
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    closing_reason = models.TextField(_("closing reason"), blank=True)
    consent_withdrawn_on = models.DateField(
        _("consent withdrawn on"),
        null=True,
        blank=True,
        help_text=_("Set when a consent this referral relied on was withdrawn while it was open."),
    )
    outcome = models.TextField(_("outcome"), blank=True)
    treatment = models.CharField(
        max_length=20,
        choices=Treatment.choices,
        default=Treatment.NOT_ASKED,
        verbose_name=_("How the person felt treated"),
    )
    feedback = models.TextField(
        _("feedback"), blank=True, help_text=_("The person's own words about the service.")
    )
    barriers = models.JSONField(
        _("barriers"), default=list, blank=True, validators=[ChoiceListValidator(Barrier)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-status_changed_on", "-id"]
        indexes = [models.Index(fields=["status", "status_changed_on"])]

    def __str__(self) -> str:
        return gettext("Referral to %(service)s") % {"service": self.service.name}

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", args=[self.beneficiary.public_id, self.public_id])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def shares_information(self) -> bool:
        return bool(self.information)

    @property
    def information_labels(self) -> list[str]:
        return [str(InformationCategory(c).label) for c in self.information]

    @property
    def barrier_labels(self) -> list[str]:
        return [str(Barrier(b).label) for b in self.barriers]


class ReferralEvent(models.Model):
    """One status change, with its date: the referral's timeline."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="events", verbose_name=_("referral")
    )
    from_status = models.CharField(
        _("from status"), max_length=30, choices=ReferralStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=30, choices=ReferralStatus.choices)
    happened_on = models.DateField(_("happened on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["happened_on", "id"]

    def __str__(self) -> str:
        return gettext("%(status)s on %(date)s") % {
            "status": self.get_to_status_display(),
            "date": self.happened_on,
        }


class ReferralOverride(CaseRecord):
    """A supervisor's written permission to send despite a failed sharing check."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="overrides", verbose_name=_("referral")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OverrideKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=OverrideStatus.choices, default=OverrideStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    reason = models.TextField(_("reason"), help_text=_("Why the referral must go without it."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral override")
        verbose_name_plural = _("referral overrides")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=OverrideStatus.REQUESTED) | Q(decided_by__isnull=False),
                name="override_decision_has_a_supervisor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class UnmetNeed(CaseRecord):
    """A need no suitable service could meet: evidence for planning and funding."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="unmet_needs",
        verbose_name=_("beneficiary"),
    )
    domain = models.CharField(_("domain"), max_length=20, choices=ServiceDomain.choices)
    barrier = models.CharField(_("barrier"), max_length=20, choices=UnmetBarrier.choices)
    details = models.TextField(_("details"), blank=True)
    recorded_on = models.DateField(_("recorded on"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unmet need")
        verbose_name_plural = _("unmet needs")
        ordering = ["-recorded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("recorded_on")),
                name="unmet_need_resolved_after_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.get_barrier_display()}"


class CaseTransfer(CaseRecord):
    """Handing case responsibility to another organisation that uses the system."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="transfers",
        verbose_name=_("beneficiary"),
    )
    from_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from organisation"),
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("to organisation")
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    new_case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("new case manager"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(status=TransferStatus.REQUESTED),
                name="one_pending_transfer_per_case",
            ),
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")),
                name="transfer_to_another_organisation",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Transfer to %(organisation)s") % {"organisation": self.to_organisation}
