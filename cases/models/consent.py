"""Consents: what may be shared, with whom, given by whom."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import ChoiceListValidator
from directory.choices import InformationCategory
from directory.models import Provider

from ..choices import (
    ConsentGiver,
    ConsentMethod,
    ConsentScope,
)

if TYPE_CHECKING:  # django-stubs-ext is a development tool, not installed in production
    from django_stubs_ext import StrOrPromise

from .beneficiary import Beneficiary, CaseRecord


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
