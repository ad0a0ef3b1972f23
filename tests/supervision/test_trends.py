"""The caseload review's pictures over its period: each case manager's caseload at the end of
every month (handovers, closures and reopenings counted on their day) and the follow-up trend."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from accounts.models import Role
from cases import services as case_services
from cases.models import Beneficiary, TeamMembership
from monitoring.trends import caseload_trend
from tests.conftest import World
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db


def _case_since(worker: Any, admitted_on: date, name: str) -> Beneficiary:
    case = make_case(case_manager=worker, first_name=name, admitted_on=admitted_on)
    TeamMembership.objects.filter(beneficiary=case).update(started_on=admitted_on)
    return case


@pytest.fixture
def history(world: World) -> dict[str, Any]:
    """Two workers over the first half of 2026.

    - one: admitted in November 2025 to Ana, handed to Ben on 15 March.
    - two: admitted 10 February to Ana, closed 5 April, reopened 31 May.
    - a case of another organisation, which never counts.
    """
    ana = UserFactory(username="ana", organisation=world.org, role=Role.CASE_WORKER)
    ben = UserFactory(username="ben", organisation=world.org, role=Role.CASE_WORKER)
    one = _case_since(ana, date(2025, 11, 1), "One")
    case_services.case_manager_handover(
        beneficiary=one,
        actor=world.supervisor,
        new_manager=ben,
        handover_on=date(2026, 3, 15),
        note="",
    )
    two = _case_since(ana, date(2026, 2, 10), "Two")
    case_services.case_close(
        beneficiary=two,
        actor=ana,
        closed_on=date(2026, 4, 5),
        reason="goals_achieved",
        mutually_agreed=True,
    )
    case_services.case_reopen(
        beneficiary=two, actor=ana, reopened_on=date(2026, 5, 31), reason="Asked for help again"
    )
    elsewhere = UserFactory(organisation=world.other_org, role=Role.CASE_WORKER)
    _case_since(elsewhere, date(2025, 11, 1), "Elsewhere")
    return {"ana": ana, "ben": ben}


def test_each_month_end_counts_the_cases_then_open_with_each_manager(
    world: World, history: dict
) -> None:
    trend = caseload_trend(world.org.pk, date(2026, 1, 1), date(2026, 6, 30))

    assert trend.monthly
    assert trend.periods[0] == date(2026, 1, 1) and len(trend.periods) == 6
    counts = {row.worker.username: row.counts for row in trend.workers}
    # Jan, Feb, Mar (handed over), Apr (closed), May (reopened on the 31st), Jun.
    assert counts == {"ana": [1, 2, 1, 0, 1, 1], "ben": [0, 0, 1, 1, 1, 1]}


def test_a_short_period_goes_week_by_week_and_ends_on_its_last_day(
    world: World, history: dict
) -> None:
    trend = caseload_trend(world.org.pk, date(2026, 3, 1), date(2026, 4, 1))

    assert not trend.monthly
    assert all(period.weekday() == 0 for period in trend.periods)
    counts = {row.worker.username: row.counts for row in trend.workers}
    # Weeks ending 1, 8, 15 (the handover day: Ben's), 22, 29 March, and 1 April (the period's
    # end, before the closure on the 5th).
    assert counts["ben"] == [0, 0, 1, 1, 1, 1]
    assert counts["ana"] == [2, 2, 1, 1, 1, 1]


def test_the_caseload_review_draws_both_trends(client: Any, world: World, history: dict) -> None:
    client.force_login(world.supervisor)
    response = client.get(
        reverse("supervision:review"), {"start": "2026-01-01", "end": "2026-06-30"}
    )
    html = response.content.decode()
    trends = html[html.index('id="trends-h"') :]

    assert "Cases falling behind on follow-up contact, per month" in trends
    assert "Active cases per case manager, at the end of each month" in trends
    ana = re.escape(str(history["ana"]))
    ana_row = re.search(rf'<tr><th scope="row">{ana}</th>(.*?)</tr>', trends, re.S)
    assert ana_row, trends
    cells = re.findall(r'<td class="text-end">(\d+)</td>', ana_row.group(1))
    assert cells == ["1", "1"]  # the first and latest month
    assert "Jan 2026: 1; Feb: 2; Mar: 1; Apr: 0; May: 1; Jun: 1" in ana_row.group(1)
    assert "Elsewhere" not in trends
