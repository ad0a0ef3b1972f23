"""Monitoring: contacts (visits and calls), the minimum interval between them, milestones."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import dateformat
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Discipline, Organisation
from cases.choices import RiskReview, Stage, timeline_cause_choices
from cases.models import Beneficiary, CaseRecord
from core.validators import ChoiceListValidator

from .choices import (
    CadencePhase,
    ContactException,
    ContactType,
    KeepOpenReason,
    Observation,
)

MAX_INTERVAL_DAYS = 366


class ContactInterval(models.Model):
    """Organisation setting: the minimum days between contacts in one phase of the work."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contact_intervals",
        verbose_name=_("organisation"),
    )
    phase = models.CharField(_("phase"), max_length=20, choices=CadencePhase.choices)
    days = models.PositiveSmallIntegerField(
        _("days"), validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_DAYS)]
    )

    class Meta:
        verbose_name = _("contact interval")
        verbose_name_plural = _("contact intervals")
        ordering = ["organisation", "phase"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "phase"], name="one_interval_per_phase")
        ]

    def __str__(self) -> str:
        return ngettext(
            "%(organisation)s: %(phase)s every %(days)s day",
            "%(organisation)s: %(phase)s every %(days)s days",
            self.days,
        ) % {
            "organisation": self.organisation,
            "phase": self.get_phase_display(),
            "days": self.days,
        }


MAX_EXTRA_MONTHS = 24


class TimelineExtension(models.Model):
    """Organisation setting: months added to the expected stage timeline of some cases.

    A child, or a person with a complex factor (a disability, no documents, …) typically
    needs longer in each stage; without these months such cases read "longer than typical"
    unfairly."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="timeline_extensions",
        verbose_name=_("organisation"),
    )
    cause = models.CharField(_("for"), max_length=30, choices=timeline_cause_choices)
    months = models.PositiveSmallIntegerField(
        _("months added"),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_EXTRA_MONTHS)],
        help_text=_("Added to the typical time in each stage; several causes add up."),
    )

    class Meta:
        verbose_name = _("timeline extension")
        verbose_name_plural = _("timeline extensions")
        ordering = ["organisation", "cause"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "cause"], name="one_timeline_extension_per_cause"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_cause_display()}: +{self.months}"


class CadenceOverride(CaseRecord):
    """A case's own contact interval, in place of its organisation's for the current phase."""

    beneficiary = models.OneToOneField(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="cadence_override",
        verbose_name=_("beneficiary"),
    )
    days = models.PositiveSmallIntegerField(
        _("days"), validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_DAYS)]
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cadence override")
        verbose_name_plural = _("cadence overrides")

    def __str__(self) -> str:
        return ngettext("every %(days)s day", "every %(days)s days", self.days) % {
            "days": self.days
        }


class Contact(CaseRecord):
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("beneficiary"),
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    kind = models.CharField(_("kind"), max_length=20, choices=ContactType.choices)
    made = models.BooleanField(
        _("made"),
        default=True,
        help_text=_(
            "Unticked: contact was attempted but not made (it does not reset the due date)."
        ),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    summary = models.TextField(_("summary"))
    observations = models.JSONField(
        _("observations"), default=list, blank=True, validators=[ChoiceListValidator(Observation)]
    )
    needs_raised = models.TextField(_("needs raised"), blank=True)
    follow_up = models.TextField(_("follow up"), blank=True)
    safety_checked = models.BooleanField(_("safety checked"), default=False)
    # Set only on a visit or call the safe-contact instructions rule out: the supervisors
    # are told of each one (see services._check_contact).
    exception_reason = models.CharField(
        _("exception to the safe-contact instructions"),
        max_length=20,
        choices=ContactException.choices,
        blank=True,
        help_text=_("Only for a visit or call the safe-contact instructions rule out."),
    )
    exception_details = models.TextField(_("why the instructions were not followed"), blank=True)
    # While a re-trafficking risk is raised on the case, every contact made says how it looks.
    risk_review = models.CharField(
        _("re-trafficking risk now"), max_length=10, choices=RiskReview.choices, blank=True
    )
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Only the author's discipline, the case manager and supervisors read it."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    author_discipline = models.CharField(
        _("author discipline"), max_length=20, choices=Discipline.choices
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["beneficiary", "made", "-occurred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exception_reason="") | ~models.Q(exception_details=""),
                name="contact_exception_has_details",
                violation_error_message=_(
                    "Say why the safe-contact instructions could not be followed."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {dateformat.format(self.occurred_at, 'd M Y')}"

    @property
    def against_instructions(self) -> bool:
        """Made (or attempted) against the case's safe-contact instructions, with a reason."""
        return bool(self.exception_reason)


class Milestone(models.Model):
    """Reference data: a sign of progress typical of one stage (DOMAIN.md 3).

    `text` stays in English (it identifies the row); `label` is the text in the user's
    language (the texts are marked in `choices.MILESTONE_TEXTS`).
    """

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    text = models.CharField(_("text"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "text"], name="unique_milestone_text")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return gettext(self.text)


class CaseMilestone(CaseRecord):
    """A milestone reached by one person, with when and how; un-marking keeps the record."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="milestones",
        verbose_name=_("beneficiary"),
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, related_name="+", verbose_name=_("milestone")
    )
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    unmarked_reason = models.CharField(_("unmarked reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case milestone")
        verbose_name_plural = _("case milestones")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "milestone"], name="one_record_per_milestone"
            )
        ]

    def __str__(self) -> str:
        return str(self.milestone)


class KeepOpenDecision(CaseRecord):
    """Why a case open beyond KEEP_OPEN_AFTER_MONTHS stays open: asked of the case manager
    when it passes the mark, and again every KEEP_OPEN_ASKED_EVERY_MONTHS."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="keep_open_decisions",
        verbose_name=_("beneficiary"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=KeepOpenReason.choices)
    notes = models.TextField(_("notes"), blank=True)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reason to keep the case open")
        verbose_name_plural = _("reasons to keep the case open")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"keep open {self.pk}"
