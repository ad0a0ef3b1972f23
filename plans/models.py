"""Individual reintegration plans: versions that are signed, goals, tasks and signatures.

A version's agreed content (goals, indicators, tasks, dates, owners) is locked once the
first signature is recorded. Progress on goals and tasks (their status) is implementation,
not a change of the agreement: it can change on a signed version without signing again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from assessments.choices import OutcomeDomain
from assessments.models import Assessment
from cases.models import Beneficiary, CaseRecord, Document
from directory.choices import ServiceDomain


class PlanStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    AWAITING_SIGNATURES = "awaiting_signatures", _("Awaiting signatures")
    SIGNED = "signed", _("Signed")
    SUPERSEDED = "superseded", _("Superseded")


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    REVISED = "revised", _("Revised")
    DROPPED = "dropped", _("Dropped")


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("task status", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# A task still to be done: what reminders, My tasks and "late" look at.
ACTIVE_TASK_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


class SignerRole(models.TextChoices):
    BENEFICIARY = "beneficiary", _("Participant")
    CASE_MANAGER = "case_manager", _("Case manager")
    GUARDIAN = "guardian", _("Parent or legal guardian")


class SignatureMethod(models.TextChoices):
    PAPER = "paper", _("On paper, in person, witnessed")
    ON_SCREEN = "on_screen", _("On screen: typed name and attestation")


class TargetDirection(models.TextChoices):
    """Which way an indicator should move for the goal to count as reached."""

    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    REACH_OR_KEEP = "reach_or_keep", _("Reach or keep")


# The languages an indicator is written in besides English, each with its own pair of
# fields (`name_sq`, `verification_sq`, ...). A language added to settings.LANGUAGES needs
# its fields here too (a test checks it).
INDICATOR_LANGUAGES = ("sq", "id")


class Indicator(models.Model):
    """One line of an organisation's indicator matrix: a sign, in one outcome domain, that a
    plan goal is reached, and how it is verified. Goals may choose one, so that the reports
    can count goals of a kind; the agreement itself prints the goal's own text."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    domain = models.CharField(
        max_length=20, choices=OutcomeDomain.choices, verbose_name=_("outcome domain")
    )
    name = models.CharField(max_length=200, verbose_name=_("name (English)"))
    name_sq = models.CharField(max_length=200, blank=True, verbose_name=_("name (Albanian)"))
    name_id = models.CharField(max_length=200, blank=True, verbose_name=_("name (Indonesian)"))
    verification = models.TextField(
        verbose_name=_("means of verification (English)"),
        help_text=_("What shows the indicator is met: a document, an observation, a record."),
    )
    verification_sq = models.TextField(
        blank=True,
        verbose_name=_("means of verification (Albanian)"),
        help_text=_("Empty: the English text is shown."),
    )
    verification_id = models.TextField(
        blank=True,
        verbose_name=_("means of verification (Indonesian)"),
        help_text=_("Empty: the English text is shown."),
    )
    direction = models.CharField(
        max_length=20,
        choices=TargetDirection.choices,
        default=TargetDirection.REACH_OR_KEEP,
        verbose_name=_("target direction"),
    )
    active = models.BooleanField(
        default=True,
        verbose_name=_("in use"),
        help_text=_(
            "Only indicators in use are offered for new goals. Goals that chose one keep it, "
            "and the reports still count them."
        ),
    )

    class Meta:
        ordering = ["domain", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "domain", "name"], name="one_indicator_name_per_domain"
            ),
        ]

    def __str__(self) -> str:
        return self.localised_name

    def text(self, field: str, language: str | None = None) -> str:
        """The field's text in `language` (default: the current one), else in English."""
        code = (language or get_language() or "").split("-")[0]
        if code in INDICATOR_LANGUAGES:
            translated: str = getattr(self, f"{field}_{code}")
            if translated.strip():
                return translated
        english: str = getattr(self, field)
        return english

    @property
    def localised_name(self) -> str:
        return self.text("name")

    @property
    def localised_verification(self) -> str:
        return self.text("verification")


class PlanVersion(CaseRecord):
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="plan_versions",
        verbose_name=_("beneficiary"),
    )
    number = models.PositiveIntegerField(verbose_name=_("number"))
    based_on_assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("based on assessment"),
    )
    own_goals = models.TextField(
        blank=True,
        verbose_name=_("own goals"),
        help_text=_("The person's own goals, in their own words."),
    )
    participants = models.TextField(
        blank=True,
        verbose_name=_("participants"),
        help_text=_("Who took part in the planning meeting."),
    )
    change_reason = models.CharField(
        max_length=300,
        blank=True,
        verbose_name=_("change reason"),
        help_text=_("Why this version replaces the last."),
    )
    locked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("locked at"))
    signed_on = models.DateField(
        null=True,
        blank=True,
        verbose_name=_("signed on"),
        help_text=_("When the last required signature was given."),
    )
    fingerprint = models.CharField(max_length=64, blank=True, verbose_name=_("fingerprint"))
    superseded_on = models.DateField(null=True, blank=True, verbose_name=_("superseded on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
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
        return gettext("Plan version %(number)s") % {"number": self.number}

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
    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="goals", verbose_name=_("version")
    )
    domain = models.CharField(
        max_length=20, choices=ServiceDomain.choices, verbose_name=_("domain")
    )
    description = models.TextField(verbose_name=_("description"))
    target_date = models.DateField(verbose_name=_("target date"))
    indicator = models.CharField(
        max_length=300,
        verbose_name=_("indicator"),
        help_text=_("How everyone will know the goal is reached."),
    )
    # The organisation's indicator this goal is counted under in the reports. The agreement
    # prints the free text above (filled from the indicator's name when left empty), not the
    # indicator's current name: an administrator may rename an indicator, a signed plan's
    # printout must not change. For the same reason it is not part of the fingerprint.
    matrix_indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="goals",
        null=True,
        blank=True,
        verbose_name=_("indicator from the organisation's list"),
    )
    # A goal carried into a new version is a copy: `origin` is the goal as first written, so
    # that the reports count the goal once however many versions carry it. Empty: first
    # written in this version.
    origin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("first written as"),
    )
    status = models.CharField(
        max_length=20,
        choices=GoalStatus.choices,
        default=GoalStatus.NOT_STARTED,
        verbose_name=_("status"),
    )
    # The day the status now shown was recorded (copies keep it): when a goal was achieved
    # or dropped, for the reports.
    status_changed_on = models.DateField(
        null=True, blank=True, editable=False, verbose_name=_("status recorded on")
    )
    status_note = models.CharField(max_length=300, blank=True, verbose_name=_("status note"))
    # The person's own view of the goal, in their words: for a child, the child's own, kept
    # apart from what the adults agreed. Not part of the signed agreement's fingerprint.
    own_view = models.TextField(blank=True, verbose_name=_("own view"))
    # An administrative goal (an identity card, a residence permit) can name the document it
    # is about; the case file tracks the document's steps. Not part of the fingerprint.
    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        related_name="goals",
        null=True,
        blank=True,
        verbose_name=_("document"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["target_date", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.description[:60]


class Task(CaseRecord):
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("goal")
    )
    description = models.CharField(max_length=300, verbose_name=_("description"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("assigned to"),
    )
    external_organisation = models.CharField(
        max_length=200, blank=True, verbose_name=_("external organisation")
    )
    due_on = models.DateField(verbose_name=_("due on"))
    status = models.CharField(
        max_length=20,
        choices=TaskStatus.choices,
        default=TaskStatus.OPEN,
        verbose_name=_("status"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
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

    @property
    def is_late(self) -> bool:
        """Not done (nor cancelled) and its due date has passed."""
        return self.status in ACTIVE_TASK_STATUSES and self.due_on < timezone.localdate()


class Signature(CaseRecord):
    version = models.ForeignKey(
        PlanVersion,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("version"),
    )
    role = models.CharField(max_length=20, choices=SignerRole.choices, verbose_name=_("role"))
    signer_name = models.CharField(max_length=200, verbose_name=_("signer name"))
    relationship = models.CharField(
        max_length=100,
        blank=True,
        verbose_name=_("relationship"),
        help_text=_("For a parent or guardian."),
    )
    signed_on = models.DateField(verbose_name=_("signed on"))
    method = models.CharField(
        max_length=20, choices=SignatureMethod.choices, verbose_name=_("method")
    )
    witness = models.CharField(max_length=200, blank=True, verbose_name=_("witness"))
    attested = models.BooleanField(default=False, verbose_name=_("attested"))
    # A plan must be the person's own: which language it was read in, and through whom,
    # is printed under the signature.
    read_in = models.CharField(
        max_length=100,
        blank=True,
        verbose_name=_("language the plan was read in"),
        help_text=_("The language the signer read the plan in, or had it read to them in."),
    )
    interpreter = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("interpreter"),
        help_text=_("Name of the interpreter, if anyone interpreted. Empty: nobody did."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_on", "id"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["version", "role"], name="one_signature_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.signer_name}"
