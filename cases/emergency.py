"""Emergency ("break-glass") access: reading a case file from outside its team.

A person calls in crisis at night and their case manager is away: a case worker or MDT
member of the same organisation can open the file by its case code, after writing why. The
file opens for EMERGENCY_ACCESS_HOURS, to read and to log the contact (nothing else is
changed from outside the team); the supervisors are notified at once, and
one of them reviews every such access afterwards. Every page opened meanwhile is in the
case's access log as usual.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Role, User

from . import signals
from .models import Beneficiary, EmergencyAccess, TeamMembership

logger = logging.getLogger(__name__)

MAY_ASK = {Role.CASE_WORKER, Role.MDT_MEMBER}  # supervisors see their cases anyway


@transaction.atomic
def emergency_access_open(*, user: User, case_code: str, reason: str) -> EmergencyAccess:
    if user.role not in MAY_ASK or user.organisation_id is None:
        raise ValidationError(gettext("Emergency access is for case workers and MDT members."))
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": gettext("Write down what the emergency is.")})
    case = Beneficiary.objects.filter(
        organisation_id=user.organisation_id, case_code__iexact=case_code.strip()
    ).first()
    if case is None:
        raise ValidationError({"case_code": gettext("No case of your organisation has this code.")})
    if case.anonymised_on:
        raise ValidationError(
            {"case_code": gettext("This file was anonymised: nothing is left to read.")}
        )
    if TeamMembership.objects.filter(beneficiary=case, user=user, ended_on__isnull=True).exists():
        raise ValidationError(
            {"case_code": gettext("You are on this case's team: open it from My cases.")}
        )
    now = timezone.now()
    access = EmergencyAccess.objects.create(
        beneficiary=case,
        user=user,
        reason=reason.strip(),
        started_at=now,
        ends_at=now + timedelta(hours=settings.EMERGENCY_ACCESS_HOURS),
    )
    signals.emergency_access_opened.send(sender=EmergencyAccess, access=access)
    logger.info("emergency access %s to case %s by user %s", access.pk, case.pk, user.pk)
    return access


@transaction.atomic
def emergency_access_review(*, access: EmergencyAccess, actor: User, note: str) -> EmergencyAccess:
    if not actor.supervises(access.beneficiary.organisation_id):
        raise ValidationError(gettext("Only a supervisor of the case's organisation reviews this."))
    if access.reviewed_at:
        raise ValidationError(gettext("This emergency access has already been reviewed."))
    if not note.strip():
        raise ValidationError({"note": gettext("Write down what the review found.")})
    access.reviewed_by = actor
    access.reviewed_at = timezone.now()
    access.review_note = note.strip()
    access.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    return access


def emergency_accesses_of(organisation_id: int) -> QuerySet[EmergencyAccess]:
    """Not yet reviewed first, then the latest."""
    return (
        EmergencyAccess.objects.filter(beneficiary__organisation_id=organisation_id)
        .select_related("beneficiary", "user", "reviewed_by")
        .order_by(F("reviewed_at").asc(nulls_first=True), "-started_at")
    )
