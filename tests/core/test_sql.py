"""`core.sql.LocalDate` gives TruncDate's local date, by SQLite's own clock where it can."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models.functions import TruncDate
from django.test import override_settings
from django.utils import timezone

from accounts.models import Organisation
from core.sql import LocalDate

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
        ours, truncated = _dates(timezone.get_current_timezone())
    assert ours == truncated
    assert ours == [m.astimezone(ZoneInfo(name)).date() for m in MOMENTS]


def test_another_zone_than_the_sites_falls_back_to_truncdate() -> None:
    with override_settings(TIME_ZONE="Europe/Tirane"):
        ours, truncated = _dates(ZoneInfo("Asia/Jakarta"))
    assert ours == truncated
    assert ours == [m.astimezone(ZoneInfo("Asia/Jakarta")).date() for m in MOMENTS]
