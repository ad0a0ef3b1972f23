"""Nightly housekeeping of logins: expired sessions and old login records."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="accounts.clear_old_login_records")
def clear_old_login_records() -> int:
    """Delete records of logins older than LOGIN_RECORDS_DAYS; returns how many.

    Who logged in from where is kept long enough to investigate an incident, not for ever.
    """
    age_days = settings.LOGIN_RECORDS_DAYS  # never None: None would delete every record
    return AxesProxyHandler.reset_logs(age_days=age_days) + AxesProxyHandler.reset_failure_logs(
        age_days=age_days
    )


@shared_task(name="accounts.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Delete expired login sessions so stale sessions cannot be replayed; returns how many."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
