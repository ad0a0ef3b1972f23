"""Individual reintegration plans: versions that are signed, goals, tasks and signatures.

A version's agreed content (goals, indicators, tasks, dates, owners) is locked once the
first signature is recorded. Progress on goals and tasks (their status) is implementation,
not a change of the agreement: it can change on a signed version without signing again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from assessments.models import Assessment
from cases.models import Beneficiary, CaseRecord
from directory.choices import ServiceDomain


class PlanStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    AWAITING_SIGNATURES = "awaiting_signatures", "Awaiting signatures"
    SIGNED = "signed", "Signed"
    SUPERSEDED = "superseded", "Superseded"


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    REVISED = "revised", "Revised"
    DROPPED = "dropped", "Dropped"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class SignerRole(models.TextChoices):
    BENEFICIARY = "beneficiary", "Participant"
    CASE_MANAGER = "case_manager", "Case manager"
    GUARDIAN = "guardian", "Parent or legal guardian"


class SignatureMethod(models.TextChoices):
    PAPER = "paper", "On paper, in person, witnessed"
    ON_SCREEN = "on_screen", "On screen: typed name and attestation"


class PlanVersion(CaseRecord):
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="plan_versions"
    )
    number = models.PositiveIntegerField()
    based_on_assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    own_goals = models.TextField(
        blank=True, help_text="The person's own goals, in their own words."
    )
    participants = models.TextField(blank=True, help_text="Who took part in the planning meeting.")
    change_reason = models.CharField(
        max_length=300, blank=True, help_text="Why this version replaces the last."
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    signed_on = models.DateField(
        null=True, blank=True, help_text="When the last required signature was given."
    )
    fingerprint = models.CharField(max_length=64, blank=True)
    superseded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "number"], name="one_plan_version_number"
            ),
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(superseded_on__isnull=True),
                name="one_current_plan_version",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan version {self.number}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None

    @property
    def status(self) -> PlanStatus:
        if self.superseded_on:
            return PlanStatus.SUPERSEDED
        if self.is_signed:
            return PlanStatus.SIGNED
        return PlanStatus.AWAITING_SIGNATURES if self.is_locked else PlanStatus.DRAFT


class Goal(CaseRecord):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(max_length=20, choices=ServiceDomain.choices)
    description = models.TextField()
    target_date = models.DateField()
    indicator = models.CharField(
        max_length=300, help_text="How everyone will know the goal is reached."
    )
    status = models.CharField(
        max_length=20, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED
    )
    status_note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["target_date", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class Task(CaseRecord):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="tasks")
    description = models.CharField(max_length=300)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    external_organisation = models.CharField(max_length=200, blank=True)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assigned_to__isnull=False) | ~Q(external_organisation=""),
                name="task_has_an_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def owner_label(self) -> str:
        return str(self.assigned_to) if self.assigned_to_id else self.external_organisation


class Signature(CaseRecord):
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField(max_length=20, choices=SignerRole.choices)
    signer_name = models.CharField(max_length=200)
    relationship = models.CharField(
        max_length=100, blank=True, help_text="For a parent or guardian."
    )
    signed_on = models.DateField()
    method = models.CharField(max_length=20, choices=SignatureMethod.choices)
    witness = models.CharField(max_length=200, blank=True)
    attested = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "role"], name="one_signature_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.signer_name}"
