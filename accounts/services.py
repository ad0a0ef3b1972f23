"""Writes for staff accounts: passwords, logins, and the second step of logging in.

The devices are django-otp's: an authenticator app (TOTP: a new six-digit code every 30
seconds, each usable once) and a set of single-use backup codes for a lost or flat phone.
django-otp slows down guessing by itself: after each wrong code the next try waits twice as
long as the one before.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import EnrolmentCode, ReminderEmails, User

logger = logging.getLogger(__name__)

AUTHENTICATOR = "Authenticator app"
BACKUP_CODES = "Backup codes"
BACKUP_CODE_COUNT = 10


@dataclass(frozen=True)
class CodeCheck:
    """What checking a code found: accepted, or refused and perhaps until when."""

    accepted: bool
    used_backup_code: bool = False
    wait_until: datetime | None = None
    # Setting up: the backup codes made when the authenticator was confirmed.
    backup_codes: tuple[str, ...] = ()


def two_step_setup_begin(*, user: User) -> TOTPDevice:
    """The authenticator being set up: the same key until it is confirmed, so that going
    back to the page shows the same QR code the phone may already have read."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


@transaction.atomic
def two_step_setup_confirm(*, user: User, code: str) -> CodeCheck:
    """Confirm the authenticator with a code it shows, and make the backup codes. An older
    authenticator of the same person is removed."""
    device = (
        TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("id")
    ).first()
    if device is None:
        return CodeCheck(accepted=False)
    if not device.verify_token(_digits(code)):
        return CodeCheck(accepted=False, wait_until=_wait_until([device]))
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    EnrolmentCode.objects.filter(user=user).delete()  # used: it opens nothing again
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    logger.info("two-step login set up for user %s", user.pk)
    return CodeCheck(accepted=True, backup_codes=tuple(_new_backup_codes(user)))


@transaction.atomic
def two_step_check(*, user: User, code: str) -> CodeCheck:
    """Check a code from the authenticator (six digits) or a backup code (letters and
    digits, used up when accepted). Locked rows: two guesses at once count as two."""
    digits = _digits(code)
    if digits.isdigit() and len(digits) == 6:
        devices: list[Device] = list(
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
        )
        token, backup = digits, False
    else:
        devices = list(StaticDevice.objects.select_for_update().filter(user=user, confirmed=True))
        token, backup = backup_code_digest(code), True
    for device in devices:
        if device.verify_token(token):
            return CodeCheck(accepted=True, used_backup_code=backup)
    return CodeCheck(accepted=False, wait_until=_wait_until(devices))


@transaction.atomic
def two_step_backup_codes_renew(*, user: User) -> list[str]:
    """New backup codes; the old ones stop working."""
    logger.info("new backup codes for user %s", user.pk)
    return _new_backup_codes(user)


@transaction.atomic
def two_step_remove(*, user: User, by: User) -> None:
    """Remove the authenticator and backup codes: by the person (a new phone) or an
    administrator (a lost phone). Where two-step login is required, the next login sets up
    a new authenticator before anything else."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    logger.info("two-step login removed for user %s by user %s", user.pk, by.pk)


def language_choose(*, user: User, language: str) -> None:
    """Keep someone's choice of language for their pages and e-mails."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def reminder_emails_choose(*, user: User, choice: str) -> None:
    """Keep someone's choice between the daily digest and an e-mail for each reminder."""
    if choice not in ReminderEmails.values:
        raise ValidationError({"reminder_emails": gettext("Choose one of the options.")})
    if user.reminder_emails != choice:
        user.reminder_emails = choice
        user.save(update_fields=["reminder_emails"])


def password_change(*, user: User, password: str) -> None:
    """The person's own new password (already checked against the password rules). Their
    other logins end: the session hash follows the password."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    logger.info("password changed by user %s", user.pk)


def logins_end(*, user: User, by: User) -> None:
    """End every login of this person, on every computer (a lost laptop, a departure)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    logger.info("all logins of user %s ended by user %s", user.pk, by.pk)


ENROLMENT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I to misread


@transaction.atomic
def enrolment_code_issue(*, user: User, by: User | None) -> str:
    """A new one-time enrolment code for this person (any earlier one stops working), valid
    TWO_STEP_ENROLMENT_HOURS. Returned once, for the administrator to hand over."""
    code = "".join(secrets.choice(ENROLMENT_ALPHABET) for _position in range(10))
    EnrolmentCode.objects.update_or_create(
        user=user,
        defaults={
            "digest": _enrolment_digest(code),
            "expires_at": timezone.now() + timedelta(hours=settings.TWO_STEP_ENROLMENT_HOURS),
            "created_by": by,
        },
    )
    logger.info("enrolment code issued for user %s by user %s", user.pk, by.pk if by else None)
    return f"{code[:5]}-{code[5:]}"


def two_step_setup_restart(*, user: User) -> None:
    """Forget any authenticator key shown before the enrolment code was given: a key seen
    then (by whoever held only the password) never becomes the one that works."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()


def enrolment_code_valid(*, user: User, code: str) -> bool:
    held = EnrolmentCode.objects.filter(user=user, expires_at__gt=timezone.now()).first()
    return held is not None and constant_time_compare(held.digest, _enrolment_digest(code))


def _enrolment_digest(code: str) -> str:
    typed = "".join(ch for ch in code.upper() if ch.isalnum())
    return salted_hmac("accounts.enrolment_code", typed, algorithm="sha256").hexdigest()


def _wait_until(devices: list[Device]) -> datetime | None:
    """When the next try will be heard, if wrong codes have made it wait."""
    waits = [
        info["locked_until"]
        for allowed, info in (device.verify_is_allowed() for device in devices)
        if not allowed and info and "locked_until" in info
    ]
    return max(waits, default=None)


def _new_backup_codes(user: User) -> list[str]:
    """Ten new codes, shown once; only their digests are kept."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_CODES, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=backup_code_digest(code)) for code in codes
    )
    return codes


def backup_code_digest(code: str) -> str:
    """What is stored of a backup code: a keyed digest, so that a copy of the database alone
    does not give anyone a way in. It fits django-otp's 16-character token column. Codes
    made before SECRET_KEY changes stop working: make new ones."""
    typed = "".join(code.split()).lower()
    return salted_hmac("accounts.backup_code", typed, algorithm="sha256").hexdigest()[:16]


def _digits(code: str) -> str:
    """Codes are often typed with a space in the middle, as apps show them."""
    return "".join(code.split())
