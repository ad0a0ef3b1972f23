"""Records of logins are kept for LOGIN_RECORDS_DAYS, then deleted by the nightly task."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.utils import timezone

from accounts.tasks import clear_old_login_records
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _aged(model: Any, days: int) -> Any:
    record = model.objects.create(
        user_agent="browser", ip_address="10.0.0.1", username="cm", http_accept="*/*", path_info="/"
    )
    model.objects.filter(pk=record.pk).update(attempt_time=timezone.now() - timedelta(days=days))
    return record


def test_logins_and_wrong_passwords_are_recorded(client: Any, world: World) -> None:
    client.post("/accounts/login/", {"username": "cm", "password": "wrong"})
    client.post("/accounts/login/", {"username": "cm", "password": "test-pass-123"})
    assert AccessFailureLog.objects.filter(username="cm").count() == 1
    assert AccessLog.objects.filter(username="cm").count() == 1


def test_records_older_than_a_year_are_deleted(settings: Any) -> None:
    assert settings.LOGIN_RECORDS_DAYS == 365
    old = [_aged(AccessLog, 400), _aged(AccessFailureLog, 366)]
    recent = [_aged(AccessLog, 300), _aged(AccessFailureLog, 10)]

    assert clear_old_login_records.delay().get() == 2

    for record in old:
        assert not type(record).objects.filter(pk=record.pk).exists()
    for record in recent:
        assert type(record).objects.filter(pk=record.pk).exists()
