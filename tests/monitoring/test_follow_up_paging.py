"""The next contact's due date worked out in the database (to sort, filter and page lists)
is the one worked out in Python for every rule; My follow-ups is paged, overdue first."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Beneficiary
from monitoring import services
from monitoring.due_dates import (
    _monitored_since,
    no_longer_followed_up,
    organisation_intervals,
    with_next_contact_due,
)
from monitoring.models import ContactInterval
from monitoring.selectors import attach_follow_ups, with_follow_up_facts
from monitoring.views import FOLLOW_UPS_PAGE_SIZE
from tests.conftest import World
from tests.factories import close_case, make_case

pytestmark = pytest.mark.django_db


def _contact(case: Beneficiary, world: World, at: datetime, *, made: bool = True) -> None:
    services.contact_log(
        beneficiary=case,
        actor=world.case_manager,
        data={"occurred_at": at, "kind": "office_visit", "summary": "Met.", "made": made},
    )


def _alarm(case: Beneficiary, world: World, on: date) -> None:
    case_services.setback_record(
        beneficiary=case,
        actor=world.case_manager,
        data={
            "category": "illness",
            "occurred_on": on,
            "severity": "critical",
            "description": "Taken to hospital.",
        },
    )


def _variety(world: World) -> None:
    """A case for every rule of the due date."""
    today = timezone.localdate()
    now = timezone.now()
    ContactInterval.objects.create(organisation=world.org, phase="inclusion", days=21)
    ContactInterval.objects.create(organisation=world.org, phase="child", days=10)
    ContactInterval.objects.create(organisation=world.org, phase="after_alarm", days=3)
    adult_today = today - relativedelta(years=18)
    births = [date(1990, 1, 1), adult_today, adult_today + timedelta(days=1), None]
    for stage in ("crisis", "transition", "inclusion"):
        for n, born in enumerate(births):
            case = make_case(
                case_manager=world.case_manager,
                first_name=f"{stage}{n}",
                date_of_birth=born,
                admitted_on=today - timedelta(days=60 + n),
            )
            Beneficiary.objects.filter(pk=case.pk).update(stage=stage)
    # Contacts: late in the evening (another day in some time zones), and an attempt only.
    evening = make_case(case_manager=world.case_manager, first_name="Evening")
    _contact(evening, world, (now - timedelta(days=3)).replace(hour=22, minute=30))
    _contact(evening, world, now - timedelta(days=1), made=False)
    morning = make_case(case_manager=world.case_manager, first_name="Morning")
    _contact(morning, world, (now - timedelta(days=2)).replace(hour=1, minute=15))
    # The case's own interval, open and after closure.
    own = make_case(case_manager=world.case_manager, first_name="Own")
    services.cadence_override_set(
        beneficiary=own, actor=world.case_manager, days=3, reason="", opened_at=""
    )
    # Crisis alarms: today, with a contact since, and one whose closer follow-up ended.
    _alarm(make_case(case_manager=world.case_manager, first_name="Alarm"), world, today)
    contacted = make_case(case_manager=world.case_manager, first_name="AlarmContacted")
    _alarm(contacted, world, today)
    _contact(contacted, world, now)
    # Closed: monitored for five years after admission, then not at all.
    since = _monitored_since(today)
    admissions = [since, since - timedelta(days=1), today - timedelta(days=400)]
    admissions += [date(today.year - 5, today.month, 1) + timedelta(days=d) for d in (28, 29, 30)]
    for n, admitted in enumerate(admissions):
        case = make_case(case_manager=world.case_manager, first_name=f"Closed{n}")
        close_case(case, world.case_manager)
        Beneficiary.objects.filter(pk=case.pk).update(admitted_on=admitted)
    closed_own = make_case(case_manager=world.case_manager, first_name="ClosedOwn")
    services.cadence_override_set(
        beneficiary=closed_own, actor=world.case_manager, days=5, reason="", opened_at=""
    )
    close_case(closed_own, world.case_manager)


def _both(world: World) -> tuple[dict[int, Any], dict[int, Any]]:
    cases = Beneficiary.objects.all()
    in_sql = dict(with_next_contact_due(cases).values_list("pk", "next_contact_due"))
    # The same with the organisation's intervals read once, as the caseload review does.
    with_constants = with_next_contact_due(
        cases, organisation_days=organisation_intervals(world.org.pk)
    )
    assert dict(with_constants.values_list("pk", "next_contact_due")) == in_sql
    # The filter My follow-ups uses instead of the expression's NULL.
    gone = cases.filter(no_longer_followed_up(timezone.localdate()))
    assert set(gone.values_list("pk", flat=True)) == {pk for pk, on in in_sql.items() if on is None}
    in_python = {
        c.pk: c.follow_up.due_on for c in attach_follow_ups(list(with_follow_up_facts(cases)))
    }
    return in_sql, in_python


@pytest.mark.parametrize("zone", ["UTC", "Asia/Jakarta", "America/Bogota"])
def test_the_database_due_date_is_the_python_one(world: World, zone: str) -> None:
    with override_settings(TIME_ZONE=zone):
        _variety(world)
        for days in (0, 1, 2, 13, 14, 15, 40, 400, 365 * 5):
            with time_machine.travel(timezone.now() + timedelta(days=days), tick=False):
                in_sql, in_python = _both(world)
                assert in_sql == in_python, f"{days} days on"
        assert None in in_python.values()  # a file no longer monitored


def _page(client: Any, user: Any, **query: Any) -> Any:
    client.force_login(user)
    response = client.get(reverse("monitoring:my_follow_ups"), query)
    assert response.status_code == 200
    return response


def test_my_follow_ups_is_paged_overdue_first_with_the_totals(client: Any, world: World) -> None:
    today = timezone.localdate()
    late = [
        make_case(
            case_manager=world.case_manager,
            first_name=f"Late{n}",
            admitted_on=today - timedelta(days=30 + n),
        )
        for n in range(3)
    ]
    for n in range(FOLLOW_UPS_PAGE_SIZE):
        case = make_case(case_manager=world.case_manager, first_name=f"Seen{n}")
        _contact(case, world, timezone.now() - timedelta(hours=n))
    first = _page(client, world.case_manager)
    rows = first.context["cases"]
    assert len(rows) == FOLLOW_UPS_PAGE_SIZE
    # The most overdue first: the world's case (admitted 20 days ago) after the three late.
    assert [c.pk for c in rows[:4]] == [*(c.pk for c in reversed(late)), world.case.pk]
    dues = [c.follow_up.due_on for c in rows]
    assert dues == sorted(dues)
    body = first.content.decode()
    assert f"{FOLLOW_UPS_PAGE_SIZE + 4} cases" in body and "4 overdue" in body
    assert "Page 1 of 2" in body and "?page=2" in body
    second = _page(client, world.case_manager, page=2)
    rest = second.context["cases"]
    assert len(rest) == 4
    assert rest[0].follow_up.due_on >= dues[-1]
    assert not {c.pk for c in rows} & {c.pk for c in rest}
    # The hearings and case reviews are still there, on every page.
    assert 'id="hearings"' in second.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "999", "x", "1e9", "<b>", "2" * 40])
def test_a_page_number_from_nowhere_gives_a_page(client: Any, world: World, page: str) -> None:
    assert [c.pk for c in _page(client, world.case_manager, page=page).context["cases"]] == [
        world.case.pk
    ]


def test_a_closed_file_past_monitoring_is_not_listed(client: Any, world: World) -> None:
    close_case(world.case, world.case_manager)
    Beneficiary.objects.filter(pk=world.case.pk).update(admitted_on=date(2000, 1, 1))
    assert _page(client, world.case_manager).context["cases"] == []


def test_my_follow_ups_reads_in_constant_queries(client: Any, world: World) -> None:
    def count() -> int:
        client.force_login(world.case_manager)
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("monitoring:my_follow_ups"), {"page": "2"})
        return len(captured)

    for n in range(FOLLOW_UPS_PAGE_SIZE + 2):
        make_case(case_manager=world.case_manager, first_name=f"C{n}")
    few = count()
    for n in range(FOLLOW_UPS_PAGE_SIZE):
        make_case(case_manager=world.case_manager, first_name=f"D{n}")
    assert count() == few
