from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NGO = "ngo", _("Non-governmental organisation")
        STATE = "state", _("State social service")

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(
        _("code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,6}$", _("Use 2 to 6 capital letters."))],
        help_text=_("Short capital-letter prefix for case codes, e.g. DE gives DE-2026-0042."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NGO)
    programme_name = models.CharField(
        _("programme name"),
        max_length=200,
        blank=True,
        help_text=_(
            "Neutral programme name printed on documents instead of the organisation's "
            "name, where the name itself could reveal why someone receives help."
        ),
    )
    digest_hour = models.PositiveSmallIntegerField(
        _("hour of the daily digest"),
        default=7,
        validators=[MaxValueValidator(23)],
        help_text=_(
            "Hour of the day (0 to 23) at which each member of staff gets one e-mail with "
            "their new reminders, unless they chose immediate e-mails."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest_hour__lte=23), name="digest_hour_of_the_day"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def printed_name(self) -> str:
        return self.programme_name or self.name


class Role(models.TextChoices):
    CASE_WORKER = "case_worker", _("Case worker")
    MDT_MEMBER = "mdt_member", _("MDT member")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMINISTRATOR = "administrator", _("Administrator")


class Discipline(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    DOCTOR = "doctor", _("Doctor")
    LAWYER = "lawyer", _("Lawyer")
    TEACHER = "teacher", _("Teacher")
    OTHER = "other", pgettext_lazy("discipline", "Other")


class ReminderEmails(models.TextChoices):
    DIGEST = "digest", _("One e-mail a day with my new reminders")
    IMMEDIATE = "immediate", _("An e-mail for each reminder, as it comes")


# The hour of the daily digest for staff without an organisation (administrators).
DEFAULT_DIGEST_HOUR = 7

# Who opens new case files (and so holds caseloads).
CASE_REGISTRARS = (Role.CASE_WORKER, Role.SUPERVISOR)


class User(AbstractUser):
    """A member of staff. Every staff user belongs to one organisation."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.CASE_WORKER
    )
    discipline = models.CharField(
        _("discipline"),
        max_length=20,
        choices=Discipline.choices,
        blank=True,
        help_text=_(
            "The professional area an MDT member assesses; case workers are social workers."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        # Each language in its own words, as the switcher names them.
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language of their pages and e-mails, as they last chose it. Empty: their "
            "browser's language."
        ),
    )

    caseload_capacity = models.PositiveSmallIntegerField(
        _("caseload capacity"),
        null=True,
        blank=True,
        help_text=_(
            "Weighted cases this person can carry before the supervisors' review flags "
            "overload. Empty: the organisation's default (CASELOAD_DEFAULT_CAPACITY)."
        ),
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_(
            "The password was given by an administrator: the person chooses their own "
            "at their next login before anything else."
        ),
    )
    reminder_emails = models.CharField(
        _("reminder e-mails"),
        max_length=10,
        choices=ReminderEmails.choices,
        default=ReminderEmails.DIGEST,
        help_text=_(
            "Urgent events (a crisis alarm, a raised risk, an emergency access) are e-mailed "
            "at once either way."
        ),
    )
    # Raised to end every login of this person at once (the admin's "Log out everywhere").
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

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
    def working_language(self) -> str:
        """The language of what is sent to them: their choice, else the organisation's."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def digest_hour(self) -> int:
        return self.organisation.digest_hour if self.organisation else DEFAULT_DIGEST_HOUR

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


class EnrolmentCode(models.Model):
    """A one-time code an administrator gives with a new account, or with a reset two-step
    login: setting up an authenticator then asks for it beside the password, so that
    whoever else learns the password cannot enrol a phone of their own first."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="enrolment_code", verbose_name=_("user")
    )
    # Only a keyed digest is kept: the code itself is shown once, to the administrator.
    digest = models.CharField(_("digest"), max_length=64)
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")

    def __str__(self) -> str:
        return f"enrolment code of user {self.user_id}"
