"""The Celery application: worker and beat read their settings from Django's (CELERY_*)."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegration.settings.base")

app = Celery("reintegration")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work is declared here, in code, so every deployment runs the same schedule.
app.conf.beat_schedule = {
    # The reminder scan is idempotent, so a frequent run is cheap and safe.
    "scan-reminders": {
        "task": "monitoring.scan_reminders",
        "schedule": crontab(minute="*/5"),
    },
    # https://crontab.guru/#15_3_*_*_*
    "clear-expired-sessions": {
        "task": "accounts.clear_expired_sessions",
        "schedule": crontab(minute=15, hour=3),
    },
    "clear-old-login-records": {
        "task": "accounts.clear_old_login_records",
        "schedule": crontab(minute=45, hour=3),
    },
    # Uploaded HTCDS workbooks expire after a day (exchange.importing): delete them hourly.
    "purge-pending-imports": {
        "task": "exchange.purge_pending_imports",
        "schedule": crontab(minute=30),
    },
}
