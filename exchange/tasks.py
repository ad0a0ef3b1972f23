"""Periodic work of the exchange app."""

from __future__ import annotations

from celery import shared_task

from .importing import pending_imports_purge


@shared_task(name="exchange.purge_pending_imports")
def purge_pending_imports() -> int:
    """Delete uploaded HTCDS workbooks left unconfirmed past their expiry; returns how many.

    They hold personal data: an abandoned upload must not outlive its day."""
    return pending_imports_purge()
