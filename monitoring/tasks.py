"""Celery tasks: thin wrappers that take ids only, never personal data."""

from __future__ import annotations

from celery import shared_task

from notifications.services import digests_due
from notifications.tasks import send_digest_email, send_notification_email

from . import reminders


@shared_task(name="monitoring.scan_reminders")
def scan_reminders() -> int:
    """Run by beat every few minutes: create due notifications and queue their e-mails: the
    urgent ones one by one, and the daily digest of each person whose hour has come."""
    pending = reminders.scan()
    for notification_id in pending:
        send_notification_email.delay(notification_id)
    day, recipients = digests_due()
    for recipient_id in recipients:
        send_digest_email.delay(recipient_id, day.isoformat())
    return len(pending) + len(recipients)
