"""The caseload sorts by its columns and filters overdue follow-ups and risk, in the database,
so that every page holds its share of the order; paging keeps the filters and the order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Beneficiary
from monitoring import services as monitoring_services
from monitoring.selectors import attach_follow_ups, with_follow_up_facts
from tests.cases.test_hostile_input import NONSENSE
from tests.conftest import World
from tests.factories import add_mdt, close_case, make_case

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
INDICATOR = "exploiter_contact"  # cases.choices.RiskIndicator


@pytest.fixture
def small_pages(settings: Any) -> None:
    settings.CASES_PAGE_SIZE = 2


@pytest.fixture
def cases(world: World) -> list[Beneficiary]:
    """Five cases of the world's case manager besides the world's own, every column apart."""
    made = [
        make_case(
            case_manager=world.case_manager,
            first_name=first,
            last_name=last,
            admitted_on=TODAY() - timedelta(days=days),
            security_risk=risk,
        )
        for first, last, days, risk in [
            ("Bora", "Zeqiri", 3, "low"),
            ("Ana", "Mehmeti", 45, "high"),
            ("Dita", "Alia", 10, "medium"),
            ("Cara", "Mehmeti", 90, "low"),
            ("Eda", "Krasniqi", 30, "low"),
        ]
    ]
    case_services.stage_change(
        beneficiary=made[0],
        actor=world.case_manager,
        to_stage="transition",
        changed_on=TODAY(),
        reason="Moving on",
    )
    Beneficiary.objects.filter(pk=made[4].pk).update(stage="inclusion")
    for case in (made[1], made[3]):  # contacted: due later than their admission says
        monitoring_services.contact_log(
            beneficiary=case,
            actor=world.case_manager,
            data={"occurred_at": timezone.now(), "kind": "office_visit", "summary": "Met."},
        )
    return made


def _codes(client: Any, user: Any, **query: str) -> list[str]:
    """Every page of the caseload, in order."""
    client.force_login(user)
    codes: list[str] = []
    page = 1
    while True:
        response = client.get(reverse("casework:caseload"), {**query, "page": str(page)})
        assert response.status_code == 200
        codes += [c.case_code for c in response.context["cases"]]
        if not response.context["page"].has_next():
            return codes
        page += 1


def _all(world: World) -> list[Beneficiary]:
    return attach_follow_ups(list(with_follow_up_facts(Beneficiary.objects.all())))


@pytest.mark.usefixtures("small_pages")
class TestSorting:
    def test_each_column_both_ways_across_pages(
        self, client: Any, world: World, cases: list[Beneficiary]
    ) -> None:
        rows = _all(world)
        stage_order = {"crisis": 0, "transition": 1, "inclusion": 2}
        keys = {
            "code": lambda c: c.case_code,
            "name": lambda c: (c.last_name.lower(), c.first_name.lower()),
            "stage": lambda c: stage_order[c.stage],
            "next_contact": lambda c: c.follow_up.due_on,
            "admitted": lambda c: c.admitted_on,
        }
        for sort, key in keys.items():
            # Ties by case code, either way.
            ascending = [c.case_code for c in sorted(rows, key=lambda c: (key(c), c.case_code))]
            assert _codes(client, world.case_manager, mine="1", sort=sort) == ascending, sort
            by_key = sorted(rows, key=lambda c: c.case_code, reverse=True)
            descending = [c.case_code for c in sorted(by_key, key=key, reverse=True)]
            assert _codes(client, world.case_manager, mine="1", sort=f"-{sort}") == descending

    def test_the_default_order_stays(self, client: Any, world: World, cases: list) -> None:
        close_case(cases[0], world.case_manager)
        rows = sorted(_all(world), key=lambda c: (c.status, c.case_code))
        expected = [c.case_code for c in rows]
        assert _codes(client, world.case_manager, mine="1") == expected
        for nonsense in ("nonsense", "-", "--code", "pk", "first_name", "name;drop", "?"):
            assert _codes(client, world.case_manager, mine="1", sort=nonsense) == expected

    def test_closed_files_without_a_next_contact_come_last(
        self, client: Any, world: World, cases: list
    ) -> None:
        close_case(cases[0], world.case_manager)
        Beneficiary.objects.filter(pk=cases[0].pk).update(admitted_on=TODAY().replace(year=2001))
        for sort in ("next_contact", "-next_contact"):
            assert _codes(client, world.case_manager, sort=sort)[-1] == cases[0].case_code

    def test_the_head_links_turn_the_order_round_and_say_it(
        self, client: Any, world: World, cases: list
    ) -> None:
        client.force_login(world.case_manager)
        caseload = reverse("casework:caseload")
        body = client.get(caseload, {"mine": "1", "stage": "crisis"}).content.decode()
        assert 'href="?mine=1&amp;stage=crisis&amp;sort=code"' in body
        assert "aria-sort" not in body  # the default order is not one column's
        response = client.get(caseload, {"mine": "1", "sort": "admitted", "page": "2"})
        body = response.content.decode()
        assert (
            '<th scope="col" aria-sort="ascending"><a class="text-nowrap" href="?mine=1&amp;sort=-admitted">'
            in body
        )
        assert body.count("aria-sort") == 1
        # The pager keeps the filters and the order.
        assert response.context["query"] == "mine=1&sort=admitted"
        assert "?mine=1&amp;sort=admitted&amp;page=1" in body
        body = client.get(caseload, {"mine": "1", "sort": "-admitted"}).content.decode()
        assert 'aria-sort="descending"' in body and "sort=admitted" in body

    def test_a_search_keeps_the_order(self, client: Any, world: World, cases: list) -> None:
        client.force_login(world.case_manager)
        caseload = reverse("casework:caseload")
        body = client.get(caseload, {"sort": "-stage"}).content.decode()
        assert '<input type="hidden" name="sort" value="-stage">' in body
        response = client.post(caseload, {"q": "Mehmeti", "sort": "-stage"})
        assert response["Location"] == f"{caseload}?sort=-stage&search=1"
        response = client.post(caseload, {"q": "Mehmeti", "sort": "<script>"})
        assert response["Location"] == f"{caseload}?search=1"

    def test_by_name_only_among_the_names_the_viewer_sees(
        self, client: Any, world: World, cases: list
    ) -> None:
        """A supervisor sees the names of the cases they are on the team of: those come
        first by name, the others after by case code, so the order tells nothing of names."""
        add_mdt(cases[4], world.supervisor, actor=world.case_manager)  # Krasniqi
        add_mdt(cases[0], world.supervisor, actor=world.case_manager)  # Zeqiri
        others = sorted(c.case_code for c in [world.case, *cases[:4]] if c != cases[0])
        expected = [cases[4].case_code, cases[0].case_code, *others]
        assert _codes(client, world.supervisor, sort="name") == expected
        client.force_login(world.supervisor)
        caseload = reverse("casework:caseload")
        # No name column to sort by in the organisation's caseload; in My cases there is.
        assert "sort=name" not in client.get(caseload).content.decode()
        assert "sort=name" in client.get(caseload, {"mine": "1"}).content.decode()


@pytest.mark.usefixtures("small_pages")
class TestFilters:
    def test_follow_up_overdue(self, client: Any, world: World, cases: list) -> None:
        overdue = sorted(c.case_code for c in _all(world) if c.follow_up.state == "overdue")
        # Never contacted: admitted 3 days ago (transition, 7 days), 10 and 20 days ago
        # (crisis, 7 days: both overdue), 30 days ago (inclusion, 30 days: due today).
        assert overdue == sorted([cases[2].case_code, world.case.case_code])
        assert _codes(client, world.case_manager, follow_up="overdue") == overdue

    def test_risk(self, client: Any, world: World, cases: list) -> None:
        case_services.risk_flag_raise(
            beneficiary=cases[2],
            actor=world.case_manager,
            indicators=[INDICATOR],
            raised_on=TODAY(),
            reason="Calls at night.",
        )
        high = [cases[1].case_code]
        flagged = [cases[2].case_code]
        assert _codes(client, world.case_manager, risk="high") == high
        assert _codes(client, world.case_manager, risk="retrafficking") == flagged
        assert _codes(client, world.case_manager, risk="either") == sorted(high + flagged)
        assert _codes(client, world.case_manager, risk="either", follow_up="overdue") == flagged

    @pytest.mark.parametrize("kind", list(NONSENSE))
    def test_nonsense_in_the_address_is_never_an_error(
        self, client: Any, world: World, kind: str
    ) -> None:
        client.force_login(world.supervisor)
        text = NONSENSE[kind]
        response = client.get(
            reverse("casework:caseload"),
            {"sort": text, "follow_up": text, "risk": text, "page": text, "stage": text},
        )
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_sorting_and_filtering_read_in_constant_queries(client: Any, world: World) -> None:
    client.force_login(world.supervisor)
    url = reverse("casework:caseload")
    query = {"sort": "-next_contact", "follow_up": "overdue", "risk": "either"}

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, query).status_code == 200
        return len(captured)

    for n in range(2):
        make_case(case_manager=world.colleague, first_name=f"Few{n}", security_risk="high")
    few = count()
    for n in range(20):
        make_case(case_manager=world.colleague, first_name=f"Many{n}", security_risk="high")
    assert count() == few
