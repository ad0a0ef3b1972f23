"""Celery tasks: thin wrappers that take ids only, never personal data."""

from __future__ import annotations

from celery import shared_task

from notifications.tasks import send_notification_email

from . import reminders


@shared_task(name="monitoring.scan_reminders")
def scan_reminders() -> int:
    """Run by beat every few minutes: create due notifications and queue their e-mails."""
    pending = reminders.scan()
    for notification_id in pending:
        send_notification_email.delay(notification_id)
    return len(pending)
