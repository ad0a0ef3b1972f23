"""Notifications: reminders of due work and news of events, one row per person told.

Rows, never delayed broker messages: the reminder scan (`monitoring.reminders`) and the
services that report events create them idempotently by their key; e-mails follow.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from cases.models import Beneficiary


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
        db_table = "monitoring_notification"  # notifications began inside the monitoring app
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
            return reverse("supervision:retention")
        if self.kind == NotificationKind.EMERGENCY_ACCESS:
            return reverse("supervision:emergency_reviews")
        if self.kind == NotificationKind.COMPLAINT_RECEIVED:
            return reverse("supervision:complaints")
        if self.is_event:
            return reverse("referrals:case", args=[self.beneficiary.public_id])
        return reverse("casework:detail", args=[self.beneficiary.public_id])
