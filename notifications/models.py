"""Notifications: reminders of due work and news of events, one row per person told.

Rows, never delayed broker messages: the reminder scan (`monitoring.reminders`) and the
services that report events create them idempotently by their key; e-mails follow.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import dateformat
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import Beneficiary


class NotificationKind(models.TextChoices):
    CONTACT_OVERDUE = "contact_overdue", _("Follow-up contact overdue")
    ASSESSMENT_OVERDUE = "assessment_overdue", _("Needs assessment overdue")
    PLAN_OVERDUE = "plan_overdue", _("First signed plan overdue")
    TASK_OVERDUE = "task_overdue", _("Plan task overdue")
    STAGE_REVIEW = "stage_review", _("Longer than typical in a stage: review")
    RETENTION_DUE = "retention_due", _("Retention period over: anonymise the file")
    # Events rather than deadlines: due_on is the day it happened.
    REFERRAL_CONSENT_WITHDRAWN = (
        "referral_consent",
        _("Consent withdrawn: an open referral relied on it"),
    )
    OVERRIDE_REQUESTED = "override_requested", _("Referral override requested")
    OVERRIDE_DECIDED = "override_decided", _("Referral override decided")
    TRANSFER_REQUESTED = "transfer_requested", _("Case transfer to your organisation requested")
    TRANSFER_DECLINED = "transfer_declined", _("Case transfer declined")
    EMERGENCY_ACCESS = "emergency_access", _("Emergency access to a case: review it")
    COMPLAINT_RECEIVED = "complaint_received", _("Complaint or feedback received")
    REFUSED_ACCESS = (
        "refused_access",
        _("Case pages refused again and again: review the access log"),
    )
    # Safety (the wording is neutral: these go by e-mail too).
    CRISIS_ALARM = "crisis_alarm", _("Urgent: a case needs attention now")
    UNSAFE_CONTACT = (
        "unsafe_contact",
        _("Contact against the safe-contact instructions: review it"),
    )
    RISK_RAISED = "risk_raised", _("Risk flag raised on a case: review it")
    SAFETY_PLAN_REVIEW = "safety_plan_review", _("Safety plan review due")
    KEEP_OPEN_DUE = "keep_open_due", _("Open beyond three years: say why the case stays open")
    HEARING_SOON = "hearing_soon", _("A hearing is coming up")
    CASE_REVIEW_DUE = "case_review_due", _("Multidisciplinary case review due")
    DOCUMENT_EXPIRING = "document_expiring", _("A document expires soon: renew it")
    # Due soon: the day before and on the day, never escalated (`monitoring.reminders`).
    CONTACT_DUE_SOON = "contact_due_soon", _("Follow-up contact due soon")
    ASSESSMENT_DUE_SOON = "assessment_due_soon", _("Needs assessment due soon")
    PLAN_DUE_SOON = "plan_due_soon", _("First signed plan due soon")
    TASK_DUE_SOON = "task_due_soon", _("Plan task due soon")
    SAFETY_PLAN_DUE_SOON = "safety_plan_due_soon", _("Safety plan review due tomorrow")
    CASE_REVIEW_DUE_SOON = "case_review_due_soon", _("Multidisciplinary case review due soon")
    KEEP_OPEN_DUE_SOON = (
        "keep_open_due_soon",
        _("Due tomorrow: say why the case stays open beyond three years"),
    )


EVENT_KINDS = {
    NotificationKind.REFERRAL_CONSENT_WITHDRAWN,
    NotificationKind.OVERRIDE_REQUESTED,
    NotificationKind.OVERRIDE_DECIDED,
    NotificationKind.TRANSFER_REQUESTED,
    NotificationKind.TRANSFER_DECLINED,
    NotificationKind.EMERGENCY_ACCESS,
    NotificationKind.COMPLAINT_RECEIVED,
    NotificationKind.REFUSED_ACCESS,
    NotificationKind.CRISIS_ALARM,
    NotificationKind.UNSAFE_CONTACT,
    NotificationKind.RISK_RAISED,
}

# Events e-mailed one by one, as soon as the scan (or the change itself) sends them: everything
# else (reminders and the other events) waits for the person's daily digest, unless they chose
# immediate e-mails.
URGENT_KINDS = {
    NotificationKind.CRISIS_ALARM,
    NotificationKind.UNSAFE_CONTACT,
    NotificationKind.RISK_RAISED,
    NotificationKind.EMERGENCY_ACCESS,
    NotificationKind.REFUSED_ACCESS,
    NotificationKind.REFERRAL_CONSENT_WITHDRAWN,  # sharing must stop
    NotificationKind.COMPLAINT_RECEIVED,
}

# The due-soon reminder of each kind of overdue work that has one.
DUE_SOON_OF: dict[str, str] = {
    NotificationKind.CONTACT_OVERDUE: NotificationKind.CONTACT_DUE_SOON,
    NotificationKind.ASSESSMENT_OVERDUE: NotificationKind.ASSESSMENT_DUE_SOON,
    NotificationKind.PLAN_OVERDUE: NotificationKind.PLAN_DUE_SOON,
    NotificationKind.TASK_OVERDUE: NotificationKind.TASK_DUE_SOON,
    NotificationKind.SAFETY_PLAN_REVIEW: NotificationKind.SAFETY_PLAN_DUE_SOON,
    NotificationKind.CASE_REVIEW_DUE: NotificationKind.CASE_REVIEW_DUE_SOON,
    NotificationKind.KEEP_OPEN_DUE: NotificationKind.KEEP_OPEN_DUE_SOON,
}
DUE_SOON_KINDS = {*DUE_SOON_OF.values(), NotificationKind.HEARING_SOON}
# Told ahead of time, not overdue work.
WARNING_KINDS = {NotificationKind.STAGE_REVIEW, NotificationKind.DOCUMENT_EXPIRING}


class Timing(models.TextChoices):
    """The inbox's filters, in the order of urgency its groups follow."""

    EVENTS = "events", _("Events")
    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due soon")
    WARNINGS = "warnings", _("Ahead of time")


def kinds_of(timing: str) -> set[str]:
    if timing == Timing.EVENTS:
        return set(EVENT_KINDS)
    if timing == Timing.DUE_SOON:
        return set(DUE_SOON_KINDS)
    if timing == Timing.WARNINGS:
        return set(WARNING_KINDS)
    return set(NotificationKind.values) - EVENT_KINDS - DUE_SOON_KINDS - WARNING_KINDS


class Notification(models.Model):
    """One reminder to one person about one due item. The key makes creating it idempotent."""

    # Unique through the constraint in Meta, not `unique=True`: on PostgreSQL that also adds
    # a `varchar_pattern_ops` copy of the index for LIKE, which no query uses and every one
    # of the reminder scan's 100,000-odd inserts would maintain.
    key = models.CharField(_("key"), max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        # The index on (recipient, read_at) in Meta serves every lookup by recipient: a
        # second one on the recipient alone would only slow the inserts down.
        db_index=False,
    )
    # Empty for news about no one case (an account refused case pages again and again).
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        verbose_name=_("beneficiary"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    # What is due (the task, the sections still open, the document), in the recipient's
    # language when it was created. Shown in the app only, never e-mailed: it may hold what
    # someone wrote about the person.
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"))
    escalated = models.BooleanField(
        _("escalated"), default=False, help_text=_("Sent to a supervisor after the grace period.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    # Set while a worker sends the e-mail: a worker that dies mid-way leaves it set, and once
    # it is SENDING_LEASE old the next scan sends again (notifications.services.deliver).
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        db_table = "monitoring_notification"  # notifications began inside the monitoring app
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [models.UniqueConstraint(fields=["key"], name="notification_key_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.case_code}"

    @property
    def message_id(self) -> str:
        """The same Message-ID however often the e-mail is sent: a resend after a worker
        died is recognised by mail servers and clients as the message they already have.
        Made of a digest of the key, which holds record numbers only."""
        digest = salted_hmac("notifications.message_id", self.key).hexdigest()[:32]
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        return f"<notification.{digest}@{domain}>"

    @property
    def case_code(self) -> str:
        return self.beneficiary.case_code if self.beneficiary else ""

    @property
    def is_event(self) -> bool:
        return self.kind in EVENT_KINDS

    @property
    def is_urgent(self) -> bool:
        """E-mailed on its own, at once; the rest wait for the daily digest."""
        return self.kind in URGENT_KINDS

    @property
    def text(self) -> str:
        """Neutral wording, case code only: safe in an e-mail. In the active language."""
        values = {
            "kind": self.get_kind_display(),
            "code": self.case_code,
            "date": dateformat.format(self.due_on, "d M Y"),
        }
        if self.beneficiary is None:
            return gettext("%(kind)s, %(date)s.") % values
        if self.is_event:
            return gettext("%(kind)s: case %(code)s, %(date)s.") % values
        if self.escalated:
            return (
                gettext(
                    "%(kind)s for case %(code)s, due %(date)s "
                    "(escalated: overdue past the grace period)."
                )
                % values
            )
        return gettext("%(kind)s for case %(code)s, due %(date)s.") % values

    @property
    def url(self) -> str:
        """Where to act on it. A receiving supervisor cannot open a case before accepting it."""
        if self.kind == NotificationKind.TRANSFER_REQUESTED:
            return reverse("referrals:review")
        if self.kind == NotificationKind.RETENTION_DUE:
            return reverse("supervision:retention")
        if self.kind == NotificationKind.EMERGENCY_ACCESS:
            return reverse("supervision:emergency_reviews")
        if self.kind == NotificationKind.REFUSED_ACCESS:
            return reverse("supervision:organisation_access_log") + "#refused"
        if self.kind == NotificationKind.COMPLAINT_RECEIVED:
            return reverse("supervision:complaints")
        case = self.beneficiary
        if case is None:  # every kind about no one case has its page above
            return reverse("notifications:inbox")
        if self.is_event:
            return reverse("referrals:case", args=[case.public_id])
        if self.kind == NotificationKind.DOCUMENT_EXPIRING:
            return reverse("casework:detail", args=[case.public_id]) + "#documents"
        if self.kind in (NotificationKind.CASE_REVIEW_DUE, NotificationKind.CASE_REVIEW_DUE_SOON):
            return reverse("casework:detail", args=[case.public_id]) + "#case-reviews"
        if self.kind == NotificationKind.HEARING_SOON:
            return reverse("casework:detail", args=[case.public_id]) + "#legal"
        return reverse("casework:detail", args=[case.public_id])


class DigestEmail(models.Model):
    """The one digest e-mail of a person's reminders on a day: the unique row is what makes
    it one, however many scans or workers run. Claimed like a notification's e-mail
    (`sending_since`, run out after SENDING_LEASE), marked when sent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    day = models.DateField(_("day"))
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminders = models.PositiveIntegerField(_("reminders"), default=0)

    class Meta:
        verbose_name = _("digest e-mail")
        verbose_name_plural = _("digest e-mails")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="one_digest_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.day}"

    @property
    def message_id(self) -> str:
        """The same on a resend after a worker died: record numbers and the date only."""
        digest = salted_hmac("notifications.digest", f"{self.recipient_id}:{self.day}")
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        return f"<digest.{digest.hexdigest()[:32]}@{domain}>"
