"""Reference lists for needs assessments (DOMAIN.md sections 1 and 5)."""

from __future__ import annotations

from django.db import models

from directory.choices import ServiceDomain


class SectionOwner(models.TextChoices):
    """Who completes a section: the case manager, or an MDT member of one discipline."""

    CASE_MANAGER = "case_manager", "Case manager"
    PSYCHOLOGIST = "psychologist", "Psychologist"
    DOCTOR = "doctor", "Doctor"
    LAWYER = "lawyer", "Lawyer"
    TEACHER = "teacher", "Teacher"
    SOCIAL_WORKER = "social_worker", "Social worker"
    OTHER = "other", "Other MDT member"


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
    NONE = "none", "None"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class AssessmentKind(models.TextChoices):
    INITIAL = "initial", "Initial assessment"
    REVIEW = "review", "Review assessment"


class AssessmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class OutcomeDomain(models.TextChoices):
    """The ten areas of well-being of a person who has reintegrated (DOMAIN.md section 1)."""

    ACCOMMODATION = "accommodation", "Safe, satisfactory and affordable accommodation"
    PHYSICAL_HEALTH = "physical_health", "Physical health and well-being"
    MENTAL_HEALTH = "mental_health", "Mental health and well-being"
    LEGAL_STATUS = "legal_status", "Legal status and access to services"
    JUSTICE = "justice", "Access to justice"
    SAFETY = "safety", "Safety and security"
    ECONOMIC = "economic", "Economic well-being"
    EDUCATION = "education", "Education and training opportunities"
    SOCIAL = "social", "Healthy social environment and relationships"
    FAMILY = "family", "Well-being of family and dependants"


SCORE_CHOICES = [
    (1, "1 (serious difficulty)"),
    (2, "2 (difficulty)"),
    (3, "3 (getting by)"),
    (4, "4 (doing well)"),
    (5, "5 (thriving)"),
]
