"""Celery tasks: thin wrappers that take ids only, never personal data."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from . import services


# The name is the one it had in the monitoring app: e-mails queued before an upgrade still run.
@shared_task(name="monitoring.send_notification_email", acks_late=True)
def send_notification_email(notification_id: int) -> bool:
    return services.deliver(notification_id)


@shared_task(name="notifications.send_digest_email", acks_late=True)
def send_digest_email(recipient_id: int, day: str) -> bool:
    return services.digest_send(recipient_id=recipient_id, day=date.fromisoformat(day))
