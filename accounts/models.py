from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.crypto import salted_hmac


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NGO = "ngo", "Non-governmental organisation"
        STATE = "state", "State social service"

    name = models.CharField(max_length=200, unique=True)
    code = models.CharField(
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,6}$", "Use 2 to 6 capital letters.")],
        help_text="Short capital-letter prefix for case codes, e.g. DE gives DE-2026-0042.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NGO)
    programme_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="Neutral programme name printed on documents instead of the organisation's "
        "name, where the name itself could reveal why someone receives help.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def printed_name(self) -> str:
        return self.programme_name or self.name


class Role(models.TextChoices):
    CASE_WORKER = "case_worker", "Case worker"
    MDT_MEMBER = "mdt_member", "MDT member"
    SUPERVISOR = "supervisor", "Supervisor"
    ADMINISTRATOR = "administrator", "Administrator"


class Discipline(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    PSYCHOLOGIST = "psychologist", "Psychologist"
    DOCTOR = "doctor", "Doctor"
    LAWYER = "lawyer", "Lawyer"
    TEACHER = "teacher", "Teacher"
    OTHER = "other", "Other"


# Who opens new case files (and so holds caseloads).
CASE_REGISTRARS = (Role.CASE_WORKER, Role.SUPERVISOR)


class User(AbstractUser):
    """A member of staff. Every staff user belongs to one organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CASE_WORKER)
    discipline = models.CharField(
        max_length=20,
        choices=Discipline.choices,
        blank=True,
        help_text="The professional area an MDT member assesses; case workers are social workers.",
    )

    caseload_capacity = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Weighted cases this person can carry before the supervisors' review flags "
        "overload. Empty: the organisation's default (CASELOAD_DEFAULT_CAPACITY).",
    )
    must_change_password = models.BooleanField(
        default=False,
        help_text="The password was given by an administrator: the person chooses their own "
        "at their next login before anything else.",
    )
    # Raised to end every login of this person at once (the admin's "Log out everywhere").
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django ends a login whose stored hash no longer matches this one: changing the
        password does that, and so does raising `session_generation`. Generation 0 keeps
        Django's own hash, so logins from before this field existed were not ended."""
        if not self.session_generation:
            # A private Django method, missing from django-stubs.
            return super()._get_session_auth_hash(secret)  # type: ignore[misc]
        return salted_hmac(
            "accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    def supervises(self, organisation_id: int | None) -> bool:
        """Whether this person is a supervisor of that organisation."""
        return (
            self.is_supervisor
            and organisation_id is not None
            and self.organisation_id == organisation_id
        )

    @property
    def can_register_cases(self) -> bool:
        return self.role in CASE_REGISTRARS

    @property
    def effective_discipline(self) -> str:
        if self.discipline:
            return self.discipline
        return Discipline.SOCIAL_WORKER if self.role == Role.CASE_WORKER else Discipline.OTHER
