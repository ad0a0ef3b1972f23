"""The person's family, as it bears on their safety and return."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import (
    FamilyAttitude,
    FamilyKnowledge,
    FamilyRisk,
    Relationship,
)
from .beneficiary import Beneficiary, CaseRecord


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
