"""MDT needs assessments: one section per service domain, each completed by its owner."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Beneficiary, CaseRecord
from directory.choices import ServiceDomain

from .choices import SCORE_CHOICES, AssessmentKind, OutcomeDomain, Priority, SectionOwner


class SectionOwnership(models.Model):
    """Reference data: which discipline completes each section, and who may read it."""

    domain = models.CharField(
        max_length=20, choices=ServiceDomain.choices, unique=True, verbose_name=_("domain")
    )
    owner = models.CharField(max_length=20, choices=SectionOwner.choices, verbose_name=_("owner"))
    sensitive = models.BooleanField(
        default=False,
        verbose_name=_("sensitive"),
        help_text=_("Only the owning discipline, the case manager and supervisors may read it."),
    )

    class Meta:
        ordering = ["domain"]
        verbose_name = _("assessment section owner")
        verbose_name_plural = _("assessment section owners")

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.get_owner_display()}"


class Assessment(CaseRecord):
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("beneficiary"),
    )
    kind = models.CharField(max_length=10, choices=AssessmentKind.choices, verbose_name=_("kind"))
    reason = models.CharField(
        max_length=300,
        blank=True,
        verbose_name=_("reason"),
        help_text=_("Why a review is needed."),
    )
    started_on = models.DateField(verbose_name=_("started on"))
    due_on = models.DateField(verbose_name=_("due on"))
    beneficiary_present = models.BooleanField(
        null=True, blank=True, verbose_name=_("beneficiary present")
    )
    beneficiary_views = models.TextField(blank=True, verbose_name=_("beneficiary views"))
    summary = models.TextField(blank=True, verbose_name=_("summary"))
    completed_on = models.DateField(null=True, blank=True, verbose_name=_("completed on"))
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("completed by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"], condition=Q(kind="initial"), name="one_initial_assessment"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("started_on")), name="due_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({dateformat.format(self.started_on, 'd M Y')})"

    @property
    def is_complete(self) -> bool:
        return self.completed_on is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_complete and timezone.localdate() > self.due_on

    @property
    def completed_late(self) -> bool:
        return self.completed_on is not None and self.completed_on > self.due_on


class AssessmentSection(CaseRecord):
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        related_name="sections",
        verbose_name=_("assessment"),
    )
    domain = models.CharField(
        max_length=20, choices=ServiceDomain.choices, verbose_name=_("domain")
    )
    # Copied from SectionOwnership when the assessment starts: a later change of the
    # reference data does not move work that is already assigned.
    owner = models.CharField(max_length=20, choices=SectionOwner.choices, verbose_name=_("owner"))
    sensitive = models.BooleanField(default=False, verbose_name=_("sensitive"))
    needs = models.TextField(
        blank=True,
        verbose_name=_("needs"),
        help_text=_("Needs and problems, in the professional's words."),
    )
    beneficiary_words = models.TextField(
        blank=True,
        verbose_name=_("beneficiary words"),
        help_text=_("In the person's own words, where they gave them."),
    )
    priority = models.CharField(
        max_length=10, choices=Priority.choices, blank=True, verbose_name=_("priority")
    )
    strengths = models.TextField(
        blank=True,
        verbose_name=_("strengths"),
        help_text=_("Strengths, resources and sources of support."),
    )
    vulnerabilities_before = models.TextField(blank=True, verbose_name=_("vulnerabilities before"))
    vulnerabilities_because = models.TextField(
        blank=True, verbose_name=_("vulnerabilities because")
    )
    vulnerabilities_during = models.TextField(blank=True, verbose_name=_("vulnerabilities during"))
    recommended_services = models.TextField(blank=True, verbose_name=_("recommended services"))
    not_applicable = models.BooleanField(default=False, verbose_name=_("not applicable"))
    not_applicable_reason = models.CharField(
        max_length=300, blank=True, verbose_name=_("not applicable reason")
    )
    completed_on = models.DateField(null=True, blank=True, verbose_name=_("completed on"))
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("completed by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("assessment section")
        verbose_name_plural = _("assessment sections")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="one_section_per_domain"),
        ]

    def __str__(self) -> str:
        return self.get_domain_display()

    @property
    def is_done(self) -> bool:
        return self.completed_on is not None

    @property
    def has_content(self) -> bool:
        return any(getattr(self, f) for f in CONTENT_FIELDS)


CONTENT_FIELDS = (
    "needs",
    "beneficiary_words",
    "priority",
    "strengths",
    "vulnerabilities_before",
    "vulnerabilities_because",
    "vulnerabilities_during",
    "recommended_services",
)


class OutcomeScore(CaseRecord):
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("assessment"),
    )
    domain = models.CharField(
        max_length=20, choices=OutcomeDomain.choices, verbose_name=_("domain")
    )
    score = models.PositiveSmallIntegerField(
        choices=SCORE_CHOICES,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        verbose_name=_("score"),
    )
    note = models.CharField(max_length=300, blank=True, verbose_name=_("note"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("outcome score")
        verbose_name_plural = _("outcome scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="one_score_per_domain"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="score_between_1_and_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.score}"
