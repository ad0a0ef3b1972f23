"""Identity, civil and administrative documents, and the steps taken to get them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import (
    DocumentKind,
    DocumentStatus,
)
from .beneficiary import Beneficiary, CaseRecord
from .children import Child


class Document(CaseRecord):
    """An identity, civil or administrative document of the person, or of one of their
    children: where it stands, who is seeing to it, and the steps taken (`DocumentStep`).
    Getting documents can take months or years; read by the whole team."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("beneficiary"),
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
        verbose_name=_("for the child"),
        help_text=_("Leave empty for the person's own document."),
    )
    kind = models.CharField(_("kind of document"), max_length=30, choices=DocumentKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=DocumentStatus.choices)
    responsible = models.CharField(
        _("who is responsible"),
        max_length=200,
        blank=True,
        help_text=_(
            "A person or an organisation, e.g. the person herself, our lawyer, the civil registry."
        ),
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["child_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.ISSUED) | Q(issued_on__isnull=False),
                name="document_issued_with_date",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gt=models.F("issued_on")),
                name="document_expires_after_issue",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_on"])]

    def __str__(self) -> str:
        return self.get_kind_display()

    def label(self) -> str:
        """The kind, and the child's first name for a child's document."""
        if self.child_id is None:
            return self.get_kind_display()
        return gettext("%(kind)s (%(child)s)") % {
            "kind": self.get_kind_display(),
            "child": self.child.first_name if self.child else "",
        }

    def expiry_warning(self) -> str:
        """'past' or 'soon' (within DOCUMENT_EXPIRY_WARNING_DAYS) for an expiry date, else ''."""
        if self.expires_on is None or self.status not in (
            DocumentStatus.ISSUED,
            DocumentStatus.EXPIRED,
        ):
            return ""
        today = timezone.localdate()
        if self.expires_on < today:
            return "past"
        if (self.expires_on - today).days <= settings.DOCUMENT_EXPIRY_WARNING_DAYS:
            return "soon"
        return ""


class DocumentStep(CaseRecord):
    """A step taken towards a document, with its date: an application filed, a visit to the
    registry, a fee paid, an appeal."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="steps", verbose_name=_("document")
    )
    taken_on = models.DateField(_("date"))
    step = models.CharField(_("what was done"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document step")
        verbose_name_plural = _("document steps")
        ordering = ["-taken_on", "-id"]

    def __str__(self) -> str:
        return self.step
