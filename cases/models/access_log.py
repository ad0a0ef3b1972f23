"""Who read a case, who was refused, what was exported, and emergency access."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.appendonly import AppendOnlyModel

from ..choices import (
    AccessAction,
)
from .beneficiary import Beneficiary, CaseRecord


class CaseAccess(AppendOnlyModel):
    """Append-only log of every time someone opened or changed something in a case."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="+", verbose_name=_("beneficiary")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    action = models.CharField(_("action"), max_length=30, choices=AccessAction.choices)
    what = models.CharField(
        _("what"), max_length=100, help_text=_("The page or document, by its name.")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("case access")
        verbose_name_plural = _("case accesses")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["beneficiary", "-at"]),
            models.Index(fields=["user", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.beneficiary_id}"


class RefusedAccess(AppendOnlyModel):
    """Append-only: a logged-in user asked for a case page and was refused (404 or 403).

    Someone probing case ids leaves a trace here. The case is recorded by the id asked for,
    with its organisation only where such a case exists: the page refused says nothing of
    that, and each organisation's supervisors see only its own staff's attempts and the
    attempts on its own cases.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("organisation of the user"),
    )
    asked_for = models.UUIDField(_("case id asked for"))
    case = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("case, if it exists"),
    )
    status = models.PositiveSmallIntegerField(_("answer"))
    what = models.CharField(_("what"), max_length=100)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("refused access")
        verbose_name_plural = _("refused accesses")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-at"]),
            models.Index(fields=["user", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.status} for user {self.user_id} at {self.at:%Y-%m-%d %H:%M}"


class ExportLog(AppendOnlyModel):
    """Append-only: who exported which report or list, for which period, and how many rows."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    what = models.CharField(_("what"), max_length=100)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log entries")
        db_table = "monitoring_exportlog"  # the export log began inside monitoring
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.what} by {self.user_id}"

    @property
    def what_display(self) -> str:
        """What was exported, in the reader's language. The record itself is kept in English
        (reports.exports), from texts the catalogs translate."""
        prefix = "Report: "
        if self.what.startswith(prefix):
            title = self.what.removeprefix(prefix)
            return gettext("Report: %(title)s") % {"title": gettext(title)}
        return gettext(self.what)


class EmergencyAccess(CaseRecord):
    """Someone off the case team opened the file in an emergency ("break-glass"): for a few
    hours, read-only, with a reason, and reviewed afterwards by a supervisor."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="emergency_accesses",
        verbose_name=_("beneficiary"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="emergency_accesses",
        verbose_name=_("user"),
    )
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["user", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.beneficiary_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ends_at > timezone.now()
