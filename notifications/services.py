"""Writes of notifications: telling people of an event, e-mailing what is new."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from kombu.exceptions import OperationalError

from accounts.models import User
from accounts.selectors import supervisors_of
from cases.choices import TeamRole
from cases.models import Beneficiary, CrisisAlarm, EmergencyAccess, RefusedAccess

from .models import Notification, NotificationKind

logger = logging.getLogger(__name__)


def notify(
    recipients: list[User],
    beneficiary: Beneficiary | None,
    kind: str,
    on: date,
    key: str,
    *,
    email_now: bool = False,
) -> None:
    """One notification of an event per recipient. `key` names the event, so telling the same
    people twice adds nothing. `email_now`: e-mail them as soon as the change is saved,
    rather than at the next reminder scan."""
    keys = [f"{key}:{user.pk}" for user in recipients]
    Notification.objects.bulk_create(
        (
            Notification(
                key=f"{key}:{user.pk}",
                recipient=user,
                beneficiary=beneficiary,
                kind=kind,
                due_on=on,
            )
            for user in recipients
        ),
        ignore_conflicts=True,
    )
    if email_now:
        transaction.on_commit(lambda: _email_now(keys))


def emergency_access_notify(*, access: EmergencyAccess) -> None:
    """The supervisors hear of an emergency access at once: they review each one."""
    notify(
        supervisors_of(access.beneficiary.organisation_id),
        access.beneficiary,
        NotificationKind.EMERGENCY_ACCESS,
        timezone.localdate(),
        f"emergency:{access.pk}",
    )


def refused_access_notify(*, user: User, refused: RefusedAccess) -> None:
    """An account refused case pages again and again: its organisation's supervisors hear
    of it at once. The notification names no one: the access log shows who."""
    if user.organisation_id is None:
        return  # no organisation, no supervisors (its refusals stay on record)
    notify(
        supervisors_of(user.organisation_id),
        None,
        NotificationKind.REFUSED_ACCESS,
        timezone.localdate(),
        f"refused:{refused.pk}",
    )


def _email_now(keys: list[str]) -> None:
    """Queue the e-mails of these notifications. Without a broker they wait for the next scan,
    which sends every notification not yet e-mailed: saving never fails for want of Redis."""
    from .tasks import send_notification_email  # tasks wrap these services

    pending = Notification.objects.filter(key__in=keys, emailed_at__isnull=True)
    for notification_id in pending.values_list("pk", flat=True):
        try:
            send_notification_email.delay(notification_id)
        except OperationalError:
            logger.warning(
                "Broker unreachable: notification %s waits for the scan", notification_id
            )
            return


def crisis_alarm_notify(*, alarm: CrisisAlarm) -> None:
    """A crisis: the case manager and the organisation's supervisors, at once, by e-mail too."""
    beneficiary = alarm.beneficiary
    managers = User.objects.filter(
        case_memberships__beneficiary=beneficiary,
        case_memberships__role=TeamRole.CASE_MANAGER,
        case_memberships__ended_on__isnull=True,
        is_active=True,
    )
    everyone = [*managers, *supervisors_of(beneficiary.organisation_id)]
    notify(
        list({user.pk: user for user in everyone}.values()),
        beneficiary,
        NotificationKind.CRISIS_ALARM,
        timezone.localdate(),
        f"crisis:{alarm.pk}",
        email_now=True,
    )


def unsafe_contact_notify(*, beneficiary: Beneficiary, contact_id: int) -> None:
    """A visit or call against the safe-contact instructions: the supervisors review it."""
    notify(
        supervisors_of(beneficiary.organisation_id),
        beneficiary,
        NotificationKind.UNSAFE_CONTACT,
        timezone.localdate(),
        f"unsafe_contact:{contact_id}",
    )


def risk_raised_notify(*, beneficiary: Beneficiary, flag_id: int) -> None:
    """A re-trafficking risk raised on a case: the supervisors hear of it at once."""
    notify(
        supervisors_of(beneficiary.organisation_id),
        beneficiary,
        NotificationKind.RISK_RAISED,
        timezone.localdate(),
        f"risk:{flag_id}",
        email_now=True,
    )


# How long a worker may take to send one e-mail before another may send it instead.
SENDING_LEASE = timedelta(minutes=10)


def deliver(notification_id: int) -> bool:
    """E-mail one notification: at least once, and in practice once.

    An outbox in three steps. Claim it (a conditional update: two workers never both send),
    send, then mark it sent. A worker that dies after claiming leaves the claim to run out
    (SENDING_LEASE), and the next scan sends again: nothing is lost. One that dies after
    sending but before marking makes a resend with the same Message-ID, which mail servers
    and clients recognise: as near to exactly once as SMTP allows.
    """
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True)
        .filter(Q(sending_since__isnull=True) | Q(sending_since__lt=now - SENDING_LEASE))
        .update(sending_since=now)
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient", "beneficiary").get(
        pk=notification_id
    )
    if not notification.recipient.email:
        _mark_sent(notification_id)
        return True  # in-app only; nothing to send
    link = f"{settings.SITE_URL.rstrip('/')}{notification.url}"
    # In the recipient's language, whatever language the scan or the page that queued it ran in.
    with translation.override(notification.recipient.working_language):
        open_case = gettext("Open the case: %(link)s") % {"link": link}
        subject = (
            gettext("Casework reminder: %(code)s") % {"code": notification.case_code}
            if notification.beneficiary
            else gettext("Casework reminder")
        )
        message = f"{notification.text}\n\n{open_case}\n"
    email = EmailMessage(
        subject=subject,
        body=message,
        to=[notification.recipient.email],
        headers={"Message-ID": notification.message_id},
    )
    try:
        email.send()
    except Exception:
        # Let the next scan try again rather than lose the reminder.
        Notification.objects.filter(pk=notification_id).update(sending_since=None)
        raise
    _mark_sent(notification_id)
    return True


def _mark_sent(notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id).update(
        emailed_at=timezone.now(), sending_since=None
    )
