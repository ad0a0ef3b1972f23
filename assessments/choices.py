"""Reference lists for needs assessments (DOMAIN.md sections 1 and 5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.choices import ServiceDomain


class SectionOwner(models.TextChoices):
    """Who completes a section: the case manager, or an MDT member of one discipline."""

    CASE_MANAGER = "case_manager", _("Case manager")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    DOCTOR = "doctor", _("Doctor")
    LAWYER = "lawyer", _("Lawyer")
    TEACHER = "teacher", _("Teacher")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    OTHER = "other", _("Other MDT member")


# Default owners; administrators change them in the admin (SectionOwnership).
DEFAULT_OWNERS: dict[str, tuple[str, bool]] = {
    ServiceDomain.HOUSING: (SectionOwner.CASE_MANAGER, False),
    ServiceDomain.MEDICAL: (SectionOwner.DOCTOR, True),
    ServiceDomain.PSYCHOLOGICAL: (SectionOwner.PSYCHOLOGIST, True),
    ServiceDomain.EDUCATION: (SectionOwner.TEACHER, False),
    ServiceDomain.ECONOMIC: (SectionOwner.CASE_MANAGER, False),
    ServiceDomain.ADMINISTRATIVE: (SectionOwner.LAWYER, False),
    ServiceDomain.LEGAL: (SectionOwner.LAWYER, False),
    ServiceDomain.SAFETY: (SectionOwner.CASE_MANAGER, False),
    ServiceDomain.FAMILY: (SectionOwner.CASE_MANAGER, False),
    ServiceDomain.RETURN: (SectionOwner.CASE_MANAGER, False),
}


class Priority(models.TextChoices):
    NONE = "none", pgettext_lazy("priority", "None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class AssessmentKind(models.TextChoices):
    INITIAL = "initial", _("Initial assessment")
    REVIEW = "review", _("Review assessment")


class AssessmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", pgettext_lazy("assessment status", "Complete")


class OutcomeDomain(models.TextChoices):
    """The ten areas of well-being of a person who has reintegrated (DOMAIN.md section 1)."""

    ACCOMMODATION = "accommodation", _("Safe, satisfactory and affordable accommodation")
    PHYSICAL_HEALTH = "physical_health", _("Physical health and well-being")
    MENTAL_HEALTH = "mental_health", _("Mental health and well-being")
    LEGAL_STATUS = "legal_status", _("Legal status and access to services")
    JUSTICE = "justice", _("Access to justice")
    SAFETY = "safety", _("Safety and security")
    ECONOMIC = "economic", _("Economic well-being")
    EDUCATION = "education", _("Education and training opportunities")
    SOCIAL = "social", _("Healthy social environment and relationships")
    FAMILY = "family", _("Well-being of family and dependants")


SCORE_CHOICES = [
    (1, _("1 (serious difficulty)")),
    (2, _("2 (difficulty)")),
    (3, _("3 (getting by)")),
    (4, _("4 (doing well)")),
    (5, _("5 (thriving)")),
]
