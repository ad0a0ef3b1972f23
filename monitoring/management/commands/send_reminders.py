"""Run the reminder scan and send its e-mails in this process, without Celery or Redis."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from monitoring import reminders
from notifications import services as notification_services


class Command(BaseCommand):
    help = (
        "Create the notifications now due and send the e-mails due: urgent ones one by one, "
        "the daily digests whose hour has come (the same work as Celery beat's task)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reminders.scan()
        sent, digests = notification_services.emails_send_due()
        self.stdout.write(f"Reminders: {sent} e-mailed one by one, {digests} daily digests.")
