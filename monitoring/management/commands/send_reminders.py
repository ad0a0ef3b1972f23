"""Run the reminder scan and send its e-mails in this process, without Celery or Redis."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from monitoring import reminders
from notifications import services as notification_services


class Command(BaseCommand):
    help = "Create the notifications now due and send their e-mails (the same work as Celery beat's task)."

    def handle(self, *args: Any, **options: Any) -> None:
        pending = reminders.scan()
        sent = sum(notification_services.deliver(pk) for pk in pending)
        self.stdout.write(f"Reminders: {len(pending)} new, {sent} delivered.")
