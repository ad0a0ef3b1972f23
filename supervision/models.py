"""What supervisors keep: records of case reviews and supervision meetings, and the
complaints and feedback that only they see."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from cases.models import Beneficiary, CaseRecord


class ComplaintChannel(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    WRITTEN = "written", "In writing (letter, e-mail, message)"
    BOX = "box", "Feedback box or form (anonymous)"
    THROUGH_SOMEONE = "through_someone", "Through someone else"


class ComplaintSubject(models.TextChoices):
    PLAN = "plan", "The plan or its goals"
    SERVICE = "service", "A service or provider"
    STAFF = "staff", "How a member of staff behaved"
    ORGANISATION = "organisation", "The organisation or premises"
    OTHER = "other", "Something else"


class ComplaintStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Answered and closed"


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
    history = HistoricalRecords(table_name="monitoring_historicalsupervisionrecord")

    class Meta:
        db_table = "monitoring_supervisionrecord"  # supervision began inside monitoring
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
    history = HistoricalRecords(table_name="monitoring_historicalcomplaint")

    class Meta:
        db_table = "monitoring_complaint"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} ({self.received_on})"
