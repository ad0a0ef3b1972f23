"""Nightly housekeeping of login records."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from celery import shared_task
from django.conf import settings


@shared_task(name="accounts.clear_old_login_records")
def clear_old_login_records() -> int:
    """Delete records of logins older than LOGIN_RECORDS_DAYS; returns how many.

    Who logged in from where is kept long enough to investigate an incident, not for ever.
    """
    age_days = settings.LOGIN_RECORDS_DAYS  # never None: None would delete every record
    return AxesProxyHandler.reset_logs(age_days=age_days) + AxesProxyHandler.reset_failure_logs(
        age_days=age_days
    )
