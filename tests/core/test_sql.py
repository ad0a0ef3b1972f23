"""`core.sql.LocalDate` gives TruncDate's local date, by SQLite's own clock where it can."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db.models.functions import TruncDate
from django.test import override_settings
from django.utils import timezone

from accounts.models import Organisation
from core.sql import LocalDate, _c_clock_keeps

pytestmark = pytest.mark.django_db

# Around the spring and autumn clock changes in Albania, and around midnight in Indonesia.
MOMENTS = (
    [datetime(2026, 3, 28, 22, 30, tzinfo=UTC) + timedelta(minutes=30 * n) for n in range(8)]
    + [datetime(2026, 10, 24, 21, 30, tzinfo=UTC) + timedelta(minutes=30 * n) for n in range(8)]
    + [datetime(2026, 6, 30, 16, 59, tzinfo=UTC), datetime(2026, 6, 30, 17, 0, tzinfo=UTC)]
)


def _dates(zone: ZoneInfo) -> tuple[list, list]:
    for n, moment in enumerate(MOMENTS):
        Organisation.objects.create(name=f"Org {n}", code=f"LD{n:02d}")
        Organisation.objects.filter(code=f"LD{n:02d}").update(created_at=moment)
    orgs = Organisation.objects.filter(code__startswith="LD").order_by("code")
    ours = list(orgs.annotate(on=LocalDate("created_at", zone)).values_list("on", flat=True))
    truncated = list(
        orgs.annotate(on=TruncDate("created_at", tzinfo=zone)).values_list("on", flat=True)
    )
    return ours, truncated


@pytest.mark.parametrize("name", ["Europe/Tirane", "Asia/Jakarta", "UTC"])
def test_the_local_date_is_truncdates_in_the_sites_time_zone(name: str) -> None:
    with override_settings(TIME_ZONE=name):
        assert _c_clock_keeps(name, os.environ.get("TZ"))  # SQLite's own clock is used
        ours, truncated = _dates(timezone.get_current_timezone())
    assert ours == truncated
    assert ours == [m.astimezone(ZoneInfo(name)).date() for m in MOMENTS]


def test_without_the_systems_zone_rules_it_falls_back_to_truncdate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A container without /usr/share/zoneinfo: TZ names the zone, the C library keeps UTC."""
    # Before TZ changes: the C library reads a zone's rules when TZ changes, not on every call.
    monkeypatch.setenv("TZDIR", str(tmp_path))  # an empty folder of zone rules
    _c_clock_keeps.cache_clear()
    try:
        with override_settings(TIME_ZONE="Europe/Tirane"):
            assert not _c_clock_keeps("Europe/Tirane", os.environ.get("TZ"))
            ours, truncated = _dates(ZoneInfo("Europe/Tirane"))
    finally:
        monkeypatch.delenv("TZDIR")
        _c_clock_keeps.cache_clear()
    assert ours == truncated
    assert ours == [m.astimezone(ZoneInfo("Europe/Tirane")).date() for m in MOMENTS]


def test_another_zone_than_the_sites_falls_back_to_truncdate() -> None:
    with override_settings(TIME_ZONE="Europe/Tirane"):
        ours, truncated = _dates(ZoneInfo("Asia/Jakarta"))
    assert ours == truncated
    assert ours == [m.astimezone(ZoneInfo("Asia/Jakarta")).date() for m in MOMENTS]
