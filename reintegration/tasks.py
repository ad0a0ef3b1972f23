"""Maintenance tasks that belong to no single app."""

from __future__ import annotations

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="reintegration.tasks.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Delete expired login sessions so stale sessions cannot be replayed; returns how many."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
