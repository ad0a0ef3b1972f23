"""Reads for staff accounts."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Role, User


@dataclass(frozen=True)
class TwoStepState:
    enabled: bool
    required: bool
    backup_codes_left: int


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_step_state(user: User) -> TwoStepState:
    return TwoStepState(
        enabled=has_authenticator(user),
        required=settings.TWO_STEP_LOGIN_REQUIRED,
        backup_codes_left=StaticToken.objects.filter(
            device__user=user, device__confirmed=True
        ).count(),
    )


def supervisors_of(organisation_id: int) -> list[User]:
    """Who is told of events in an organisation's cases that supervisors must see."""
    return list(
        User.objects.filter(organisation_id=organisation_id, role=Role.SUPERVISOR, is_active=True)
    )
