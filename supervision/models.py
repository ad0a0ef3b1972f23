"""What supervisors keep: records of case reviews and supervision meetings, and the
complaints and feedback that only they see."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from cases.models import Beneficiary, CaseRecord


class ComplaintChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    WRITTEN = "written", _("In writing (letter, e-mail, message)")
    BOX = "box", _("Feedback box or form (anonymous)")
    THROUGH_SOMEONE = "through_someone", _("Through someone else")


class ComplaintSubject(models.TextChoices):
    PLAN = "plan", _("The plan or its goals")
    SERVICE = "service", _("A service or provider")
    STAFF = "staff", _("How a member of staff behaved")
    ORGANISATION = "organisation", _("The organisation or premises")
    OTHER = "other", _("Something else")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Answered and closed")


class SupervisionKind(models.TextChoices):
    CASE_REVIEW = "case_review", _("Case review")
    MEETING = "meeting", _("Supervision meeting with a worker")


class SupervisionRecord(models.Model):
    """A supervisor's case review or supervision meeting: what was decided, and when next."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SupervisionKind.choices)
    held_on = models.DateField(_("held on"))
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("worker"),
        help_text=_("The worker met, for a supervision meeting."),
    )
    cases = models.ManyToManyField(
        Beneficiary, related_name="supervision_records", blank=True, verbose_name=_("cases")
    )
    discussion = models.TextField(_("discussion"), blank=True)
    decisions = models.TextField(_("decisions"))
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(table_name="monitoring_historicalsupervisionrecord")

    class Meta:
        db_table = "monitoring_supervisionrecord"  # supervision began inside monitoring
        verbose_name = _("supervision record")
        verbose_name_plural = _("supervision records")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True)
                | Q(next_review_on__gte=models.F("held_on")),
                name="next_review_after_supervision",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(kind)s on %(date)s") % {
            "kind": self.get_kind_display(),
            "date": self.held_on,
        }


class Complaint(CaseRecord):
    """Feedback or a complaint from a beneficiary, named or anonymous (no case).

    Seen by the organisation's supervisors only: it may be about someone on the case team.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="complaints",
        null=True,
        blank=True,
        verbose_name=_("beneficiary"),
        help_text=_("Empty for an anonymous complaint."),
    )
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=20, choices=ComplaintChannel.choices)
    subject = models.CharField(_("subject"), max_length=20, choices=ComplaintSubject.choices)
    details = models.TextField(
        _("details"), help_text=_("What the person said, in their words where possible.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    response = models.TextField(
        _("response"), blank=True, help_text=_("What was done, and what the person was told.")
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("resolved by"),
    )
    history = HistoricalRecords(table_name="monitoring_historicalcomplaint")

    class Meta:
        db_table = "monitoring_complaint"
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} ({self.received_on})"
