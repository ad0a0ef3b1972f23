"""Monitoring: contacts (visits and calls), the minimum interval between them, milestones."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import Discipline, Organisation
from cases.choices import Stage
from cases.models import Beneficiary, CaseRecord
from core.validators import ChoiceListValidator

from .choices import (
    CadencePhase,
    ContactType,
    Observation,
)

MAX_INTERVAL_DAYS = 366


class ContactInterval(models.Model):
    """Organisation setting: the minimum days between contacts in one phase of the work."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contact_intervals"
    )
    phase = models.CharField(max_length=20, choices=CadencePhase.choices)
    days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_DAYS)]
    )

    class Meta:
        ordering = ["organisation", "phase"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "phase"], name="one_interval_per_phase")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_phase_display()} every {self.days} days"


class CadenceOverride(CaseRecord):
    """A case's own contact interval, in place of its organisation's for the current phase."""

    beneficiary = models.OneToOneField(
        Beneficiary, on_delete=models.PROTECT, related_name="cadence_override"
    )
    days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_DAYS)]
    )
    reason = models.CharField(max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"every {self.days} days"


class Contact(CaseRecord):
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="contacts")
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=ContactType.choices)
    made = models.BooleanField(
        default=True,
        help_text="Unticked: contact was attempted but not made (it does not reset the due date).",
    )
    location = models.CharField(max_length=200, blank=True)
    participants = models.CharField(max_length=300, blank=True)
    summary = models.TextField()
    observations = models.JSONField(
        default=list, blank=True, validators=[ChoiceListValidator(Observation)]
    )
    needs_raised = models.TextField(blank=True)
    follow_up = models.TextField(blank=True)
    safety_checked = models.BooleanField(default=False)
    restricted = models.BooleanField(
        default=False,
        help_text="Only the author's discipline, the case manager and supervisors read it.",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_discipline = models.CharField(max_length=20, choices=Discipline.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["beneficiary", "made", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%d %b %Y}"


class Milestone(models.Model):
    """Reference data: a sign of progress typical of one stage (DOMAIN.md 3)."""

    stage = models.CharField(max_length=20, choices=Stage.choices)
    text = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "text"], name="unique_milestone_text")
        ]

    def __str__(self) -> str:
        return self.text


class CaseMilestone(CaseRecord):
    """A milestone reached by one person, with when and how; un-marking keeps the record."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="milestones"
    )
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="+")
    achieved_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    unmarked_reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "milestone"], name="one_record_per_milestone"
            )
        ]

    def __str__(self) -> str:
        return str(self.milestone)
