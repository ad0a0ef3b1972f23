"""The follow-up trend chart reads at every period: week by week for a short period, month by
month for a long one, with labels as wide as they need."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from core import charts
from monitoring import trends as reports
from notifications.models import Notification, NotificationKind
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _overdue_reminder(world: World, on: date, recipient: Any = None) -> None:
    row = Notification.objects.create(
        key=f"test:{on}:{recipient}",
        recipient=recipient or world.case_manager,
        beneficiary=world.case,
        kind=NotificationKind.CONTACT_OVERDUE,
        due_on=on,
    )
    moment = timezone.make_aware(datetime.combine(on, datetime.min.time()).replace(hour=9))
    Notification.objects.filter(pk=row.pk).update(created_at=moment)


def test_a_year_is_counted_month_by_month(world: World) -> None:
    end = date(2026, 11, 30)
    start = end - timedelta(days=364)
    _overdue_reminder(world, date(2026, 3, 10))
    _overdue_reminder(world, date(2026, 3, 20), world.supervisor)  # the same case: counted once

    trend = reports.overdue_trend(world.org.pk, start, end)

    assert trend.monthly
    assert [when for when, _n in trend.points][:2] == [date(2025, 12, 1), date(2026, 1, 1)]
    assert len(trend.points) == 12
    assert dict(trend.points)[date(2026, 3, 1)] == 1
    assert sum(n for _when, n in trend.points) == 1


def test_a_short_period_is_counted_week_by_week(world: World) -> None:
    end = date(2026, 11, 30)
    start = end - timedelta(days=60)
    _overdue_reminder(world, date(2026, 11, 4))

    trend = reports.overdue_trend(world.org.pk, start, end)

    assert not trend.monthly
    assert all(when.weekday() == 0 for when, _n in trend.points)
    assert 9 <= len(trend.points) <= 10
    assert dict(trend.points)[date(2026, 11, 2)] == 1


def test_the_report_page_draws_a_year_as_twelve_legible_columns(client: Any, world: World) -> None:
    client.force_login(world.supervisor)
    html = client.get(reverse("reports:report")).content.decode()
    chart = html[html.index("per month") :]
    chart = chart[chart.index("<svg") : chart.index("</svg>")]
    assert 12 <= chart.count("<rect") <= 13
    sizes = {int(size) for size in re.findall(r'font-size="(\d+)"', chart)}
    assert sizes == {11}
    assert re.search(r">\d{4}</text>", chart)  # the year under the first month


def test_columns_widen_to_their_longest_label() -> None:
    narrow = charts.columns("t", [("Jan", 1), ("Feb", 2)])
    wide = charts.columns("t", [("Sept. bis Oktober", 1), ("Feb", 2)])
    width = lambda svg: int(re.search(r'viewBox="0 0 (\d+)', svg).group(1))  # noqa: E731
    assert width(wide) > width(narrow)
    assert "Sept. bis Oktober" in wide
