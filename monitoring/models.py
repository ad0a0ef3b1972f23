"""Monitoring: contacts (visits and calls) and the minimum interval between them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from accounts.models import Discipline, Organisation
from cases.choices import Stage
from cases.models import Beneficiary, CaseRecord, ChoiceListValidator
from reintegration.appendonly import AppendOnlyModel

from .choices import (
    CadencePhase,
    ComplaintChannel,
    ComplaintStatus,
    ComplaintSubject,
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


class NotificationKind(models.TextChoices):
    CONTACT_OVERDUE = "contact_overdue", "Follow-up contact overdue"
    ASSESSMENT_OVERDUE = "assessment_overdue", "Needs assessment overdue"
    PLAN_OVERDUE = "plan_overdue", "First signed plan overdue"
    TASK_OVERDUE = "task_overdue", "Plan task overdue"
    STAGE_REVIEW = "stage_review", "Longer than typical in a stage: review"
    RETENTION_DUE = "retention_due", "Retention period over: anonymise the file"
    # Events rather than deadlines: due_on is the day it happened.
    REFERRAL_CONSENT_WITHDRAWN = (
        "referral_consent",
        "Consent withdrawn: an open referral relied on it",
    )
    OVERRIDE_REQUESTED = "override_requested", "Referral override requested"
    OVERRIDE_DECIDED = "override_decided", "Referral override decided"
    TRANSFER_REQUESTED = "transfer_requested", "Case transfer to your organisation requested"
    TRANSFER_DECLINED = "transfer_declined", "Case transfer declined"
    EMERGENCY_ACCESS = "emergency_access", "Emergency access to a case: review it"
    COMPLAINT_RECEIVED = "complaint_received", "Complaint or feedback received"


EVENT_KINDS = {
    NotificationKind.REFERRAL_CONSENT_WITHDRAWN,
    NotificationKind.OVERRIDE_REQUESTED,
    NotificationKind.OVERRIDE_DECIDED,
    NotificationKind.TRANSFER_REQUESTED,
    NotificationKind.TRANSFER_DECLINED,
    NotificationKind.EMERGENCY_ACCESS,
    NotificationKind.COMPLAINT_RECEIVED,
}


class Notification(models.Model):
    """One reminder to one person about one due item. The key makes creating it idempotent."""

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    due_on = models.DateField()
    escalated = models.BooleanField(
        default=False, help_text="Sent to a supervisor after the grace period."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.beneficiary.case_code}"

    @property
    def is_event(self) -> bool:
        return self.kind in EVENT_KINDS

    @property
    def text(self) -> str:
        """Neutral wording, case code only: safe in an e-mail."""
        if self.is_event:
            return f"{self.get_kind_display()}: case {self.beneficiary.case_code}, {self.due_on:%d %b %Y}."
        escalation = " (escalated: overdue past the grace period)" if self.escalated else ""
        return f"{self.get_kind_display()} for case {self.beneficiary.case_code}, due {self.due_on:%d %b %Y}{escalation}."

    @property
    def url(self) -> str:
        """Where to act on it. A receiving supervisor cannot open a case before accepting it."""
        if self.kind == NotificationKind.TRANSFER_REQUESTED:
            return reverse("referrals:review")
        if self.kind == NotificationKind.RETENTION_DUE:
            return reverse("monitoring:retention")
        if self.kind == NotificationKind.EMERGENCY_ACCESS:
            return reverse("monitoring:emergency_reviews")
        if self.kind == NotificationKind.COMPLAINT_RECEIVED:
            return reverse("monitoring:complaints")
        if self.is_event:
            return reverse("referrals:case", args=[self.beneficiary.public_id])
        return reverse("cases:detail", args=[self.beneficiary.public_id])


class SupervisionKind(models.TextChoices):
    CASE_REVIEW = "case_review", "Case review"
    MEETING = "meeting", "Supervision meeting with a worker"


class SupervisionRecord(models.Model):
    """A supervisor's case review or supervision meeting: what was decided, and when next."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=SupervisionKind.choices)
    held_on = models.DateField()
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The worker met, for a supervision meeting.",
    )
    cases = models.ManyToManyField(Beneficiary, related_name="supervision_records", blank=True)
    discussion = models.TextField(blank=True)
    decisions = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True)
                | Q(next_review_on__gte=models.F("held_on")),
                name="next_review_after_supervision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on}"


class ExportLog(AppendOnlyModel):
    """Append-only: who exported which report or list, for which period, and how many rows."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=100)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    rows = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.what} by {self.user_id}"


class Complaint(CaseRecord):
    """Feedback or a complaint from a beneficiary, named or anonymous (no case).

    Seen by the organisation's supervisors only: it may be about someone on the case team.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="complaints",
        null=True,
        blank=True,
        help_text="Empty for an anonymous complaint.",
    )
    received_on = models.DateField()
    channel = models.CharField(max_length=20, choices=ComplaintChannel.choices)
    subject = models.CharField(max_length=20, choices=ComplaintSubject.choices)
    details = models.TextField(help_text="What the person said, in their words where possible.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    response = models.TextField(
        blank=True, help_text="What was done, and what the person was told."
    )
    resolved_on = models.DateField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} ({self.received_on})"
