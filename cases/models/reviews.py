"""Multidisciplinary case reviews: prompted when a complex factor is set on a case, held by
the team, and planned again from their own "next review" date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import ChoiceListValidator

from ..choices import ComplexFactor
from .beneficiary import Beneficiary, CaseRecord


class CaseReview(CaseRecord):
    """A review that is due (`held_on` empty) or was held."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="case_reviews",
        verbose_name=_("beneficiary"),
    )
    due_on = models.DateField(_("due on"))
    # The complex factors newly set when the review was asked for; empty for a review
    # planned at the previous one.
    factors = models.JSONField(
        _("prompted by"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(ComplexFactor)],
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    participants = models.TextField(
        _("who took part"), blank=True, help_text=_("Names and roles or disciplines.")
    )
    decisions = models.TextField(_("decisions"), blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case review")
        verbose_name_plural = _("case reviews")
        ordering = ["-due_on", "-id"]
        constraints = [
            # One review waiting at a time: a new factor joins the one already due.
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(held_on__isnull=True),
                name="one_pending_case_review",
            ),
            models.CheckConstraint(
                condition=Q(held_on__isnull=True)
                | (~Q(participants="") & ~Q(decisions="") & Q(recorded_by__isnull=False)),
                name="case_review_held_with_record",
            ),
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True)
                | Q(held_on__isnull=False, next_review_on__gt=models.F("held_on")),
                name="case_review_next_after_held",
            ),
        ]
        indexes = [models.Index(fields=["held_on", "due_on"])]

    def __str__(self) -> str:
        return str(self.held_on or self.due_on)

    @property
    def is_pending(self) -> bool:
        return self.held_on is None

    @property
    def is_overdue(self) -> bool:
        return self.held_on is None and self.due_on < timezone.localdate()

    @property
    def factor_labels(self) -> list[str]:
        return [str(ComplexFactor(v).label) for v in self.factors]
