"""Celery and the cache against a real Redis, with a real worker (no eager mode)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from reintegration.celery import app

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_worker(redis_url: str) -> Iterator[None]:
    """A worker thread consuming from Redis, as `celery -A reintegration worker` would."""
    test_conf = {"broker_url": redis_url, "result_backend": redis_url, "task_always_eager": False}
    saved = {key: app.conf[key] for key in test_conf}
    app.conf.update(test_conf)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.update(saved)


def test_the_cache_is_redis_when_redis_url_is_set(redis_url: str) -> None:
    # Django's Redis cache, which answers as an empty cache while Redis is down (core/cache.py).
    assert type(caches["default"]).__name__ == "OutageTolerantRedisCache"
    cache.set("healthcheck", "ok", timeout=30)
    assert cache.get("healthcheck") == "ok"
    cache.set("counter-check", 1, timeout=30)
    assert cache.incr("counter-check") == 2
    cache.delete_many(["healthcheck", "counter-check"])
    assert cache.get("healthcheck") is None


@pytest.mark.django_db(transaction=True)
def test_a_task_runs_on_a_worker_through_redis(redis_worker: None) -> None:
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    current = SessionStore()
    current.create()

    # Results are normally ignored (reminders are rows, not results); this test reads one.
    deleted = clear_expired_sessions.apply_async(ignore_result=False).get(timeout=30)

    assert deleted == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]


@pytest.mark.django_db(transaction=True)
def test_beats_reminder_task_runs_on_a_worker_and_sends_emails(
    redis_worker: None, world: Any
) -> None:
    from django.core import mail

    from monitoring.tasks import scan_reminders
    from notifications.models import Notification

    world.case_manager.email = "cm@example.org"
    world.case_manager.save()
    world.org.digest_hour = 0  # the daily digest is due whatever the hour the test runs at
    world.org.save()

    queued = scan_reminders.apply_async(ignore_result=False).get(timeout=30)

    assert queued >= 1
    assert Notification.objects.filter(recipient=world.case_manager).count() == 2
    deadline = time.monotonic() + 30  # the e-mail tasks run after the scan, on the same worker
    while (
        not [m for m in mail.outbox if m.to == ["cm@example.org"]] and time.monotonic() < deadline
    ):
        time.sleep(0.1)
    time.sleep(0.5)  # a second e-mail would be a failure: give it the chance to show
    (digest,) = [m for m in mail.outbox if m.to == ["cm@example.org"]]  # both reminders, once
    assert world.case.case_code in digest.body
    assert not Notification.objects.filter(
        recipient=world.case_manager, emailed_at__isnull=True
    ).exists()
