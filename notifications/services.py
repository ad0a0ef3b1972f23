"""Writes of notifications: telling people of an event, e-mailing what is new.

Urgent events are e-mailed one by one, at once (`deliver`). Reminders, and events that can
wait, go to each person in one digest e-mail a day, at their organisation's digest hour
(`digest_send`), unless the person chose an e-mail for each reminder.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext, ngettext
from kombu.exceptions import OperationalError

from accounts.models import DEFAULT_DIGEST_HOUR, ReminderEmails, User
from accounts.selectors import supervisors_of
from cases.choices import TeamRole
from cases.models import Beneficiary, CrisisAlarm, EmergencyAccess, RefusedAccess

from .models import URGENT_KINDS, DigestEmail, Notification, NotificationKind

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


# --- Reading ---------------------------------------------------------------------------------


def notifications_mark_read(
    *,
    recipient: User,
    notification_id: int | None = None,
    kind: str = "",
    case_id: uuid.UUID | None = None,
) -> int:
    """Mark a person's own notifications read: one (`notification_id`), one group of the inbox
    (`kind` on the case `case_id`, or on no case), or all of them. Returns how many."""
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    elif kind:
        on_case = Q(beneficiary__public_id=case_id) if case_id else Q(beneficiary__isnull=True)
        unread = unread.filter(on_case, kind=kind)
    return unread.update(read_at=timezone.now())


# --- Which e-mails are due -----------------------------------------------------------------


def emails_one_by_one() -> list[int]:
    """Notifications not yet e-mailed that go on their own: urgent events, and everything of
    those who chose an e-mail for each reminder."""
    return list(
        Notification.objects.filter(emailed_at__isnull=True)
        .filter(Q(kind__in=URGENT_KINDS) | Q(recipient__reminder_emails=ReminderEmails.IMMEDIATE))
        .values_list("pk", flat=True)
    )


def _in_digest(recipient_id: int) -> QuerySet[Notification]:
    """What a person's next digest lists: unread, not yet e-mailed, not urgent (sent alone)."""
    return Notification.objects.filter(
        recipient_id=recipient_id, read_at__isnull=True, emailed_at__isnull=True
    ).exclude(kind__in=URGENT_KINDS)


def digests_due(now: datetime | None = None) -> tuple[date, list[int]]:
    """The day, and who gets their digest now: people on the daily digest with something to
    list, their organisation's hour come, and no digest sent yet today. One query."""
    local = timezone.localtime(now or timezone.now())
    hour_come = Q(recipient__organisation__digest_hour__lte=local.hour)
    if local.hour >= DEFAULT_DIGEST_HOUR:
        hour_come |= Q(recipient__organisation__isnull=True)
    sent_today = DigestEmail.objects.filter(day=local.date(), sent_at__isnull=False)
    recipients = (
        Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True)
        .exclude(kind__in=URGENT_KINDS)
        .filter(
            hour_come,
            recipient__is_active=True,
            recipient__reminder_emails=ReminderEmails.DIGEST,
        )
        .exclude(recipient__email="")
        .exclude(recipient_id__in=sent_today.values("recipient_id"))
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return local.date(), sorted(set(recipients))


def emails_send_due() -> tuple[int, int]:
    """Send, in this process, every e-mail now due: the one-by-one ones and the digests.
    `manage.py send_reminders` runs it after the scan, without Celery or Redis."""
    sent = sum(deliver(pk) for pk in emails_one_by_one())
    day, recipients = digests_due()
    digests = sum(digest_send(recipient_id=pk, day=day) for pk in recipients)
    return sent, digests


# --- The daily digest ------------------------------------------------------------------------


DIGEST_LINES = 60  # the rest is counted, and waits in the inbox


def digest_send(*, recipient_id: int, day: date) -> bool:
    """One e-mail listing a person's new reminders, once a day: at least once, and in
    practice once, like `deliver`.

    The (person, day) row is unique, so however many scans or workers race, one of them
    claims it (a conditional update); the claim runs out after SENDING_LEASE if that worker
    dies, and the resend carries the same Message-ID. Neutral wording only: the kind, the
    case code, the due date and a link to the inbox; never a subject (it may name people).
    """
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None or not recipient.email:
        return False
    if recipient.reminder_emails != ReminderEmails.DIGEST:
        return False
    DigestEmail.objects.bulk_create(
        [DigestEmail(recipient_id=recipient_id, day=day)], ignore_conflicts=True
    )
    now = timezone.now()
    claimed = (
        DigestEmail.objects.filter(recipient_id=recipient_id, day=day, sent_at__isnull=True)
        .filter(Q(sending_since__isnull=True) | Q(sending_since__lt=now - SENDING_LEASE))
        .update(sending_since=now)
    )
    if not claimed:
        return False
    digest = DigestEmail.objects.get(recipient_id=recipient_id, day=day)
    rows = list(_in_digest(recipient_id).select_related("beneficiary").order_by("due_on", "id"))
    if not rows:
        # Nothing to tell (read in the meantime): today's digest may still go if more comes.
        DigestEmail.objects.filter(pk=digest.pk, sent_at__isnull=True).delete()
        return False
    with translation.override(recipient.working_language):
        subject, body = _digest_text(rows)
    email = EmailMessage(
        subject=subject,
        body=body,
        to=[recipient.email],
        headers={"Message-ID": digest.message_id},
    )
    try:
        email.send()
    except Exception:
        DigestEmail.objects.filter(pk=digest.pk).update(sending_since=None)
        raise
    with transaction.atomic():
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(emailed_at=now)
        DigestEmail.objects.filter(pk=digest.pk).update(
            sent_at=timezone.now(), sending_since=None, reminders=len(rows)
        )
    return True


def _digest_text(rows: list[Notification]) -> tuple[str, str]:
    """The subject and body of a digest, in the active language: one line per case and kind
    (with how many), the most urgent first, then the link to the inbox."""
    groups: Counter[tuple[str, str, str, bool]] = Counter()
    first_due: dict[tuple[str, str, str, bool], date] = {}
    for row in rows:
        group = (row.case_code, row.kind, row.get_kind_display(), row.is_event)
        groups[group] += 1
        first_due.setdefault(group, row.due_on)
    lines = []
    for group, count in sorted(groups.items(), key=lambda item: first_due[item[0]]):
        code, _kind, label, is_event = group
        values = {"kind": label, "code": code, "date": dateformat.format(first_due[group], "d M Y")}
        if not code:
            line = gettext("%(kind)s, %(date)s") % values
        elif is_event:
            line = gettext("%(kind)s: case %(code)s, %(date)s") % values
        else:
            line = gettext("%(kind)s: case %(code)s, due %(date)s") % values
        if count > 1:
            line += " " + ngettext("(%(n)s item)", "(%(n)s items)", count) % {"n": count}
        lines.append(f"- {line}")
    shown = lines[:DIGEST_LINES]
    if len(lines) > DIGEST_LINES:
        more = len(lines) - DIGEST_LINES
        shown.append(
            ngettext(
                "… and %(n)s more line in the app.", "… and %(n)s more lines in the app.", more
            )
            % {"n": more}
        )
    link = f"{settings.SITE_URL.rstrip('/')}{reverse('notifications:inbox')}"
    subject = ngettext(
        "Casework reminders: %(n)s new", "Casework reminders: %(n)s new", len(rows)
    ) % {"n": len(rows)}
    intro = gettext("Your reminders since the last e-mail, the earliest due first:")
    inbox = gettext("Open your notifications: %(link)s") % {"link": link}
    body = "\n".join([intro, "", *shown, "", inbox, ""])
    return subject, body
