"""The caseload counts an organisation's cases only so far (`CappedPaginator.CAP` past the
page asked for), so the page does not slow down as the organisation grows; beyond that it
says "N+ cases" and every page can still be reached."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.views import CappedPaginator
from tests.conftest import World
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def six_cases(world: World, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Six cases in the organisation (the world's and five more), two a page, counted to 3."""
    settings.CASES_PAGE_SIZE = 2
    monkeypatch.setattr(CappedPaginator, "CAP", 3)
    for n in range(5):
        make_case(case_manager=world.case_manager, first_name=f"Person{n}")


def _page(client: Any, world: World, page: str = "") -> str:
    client.force_login(world.supervisor)
    response = client.get(reverse("casework:caseload"), {"page": page} if page else {})
    assert response.status_code == 200
    return response.content.decode()


def test_past_the_cap_the_page_says_more_than(client: Any, world: World, six_cases: None) -> None:
    html = _page(client, world)
    assert "3+ cases" in html
    assert "Page 1 of 2+" in html
    assert 'page=2">Next<' in html


def test_every_page_can_still_be_reached(client: Any, world: World, six_cases: None) -> None:
    html = _page(client, world, "3")
    # From the third page the count reaches the end: exact again, and no next page.
    assert "6 cases" in html
    assert "Page 3 of 3" in html
    assert ">Next<" not in html
    assert len(re.findall(r'class="case-code"', html)) == 2


def test_under_the_cap_the_count_is_exact(client: Any, world: World, settings: Any) -> None:
    settings.CASES_PAGE_SIZE = 2
    html = _page(client, world)
    assert "1 case<" in html
    assert "+ cases" not in html


def test_the_count_reads_no_further_than_the_cap(
    client: Any, world: World, six_cases: None
) -> None:
    client.force_login(world.supervisor)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("casework:caseload"))
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert any("LIMIT 4" in sql for sql in counts), counts


@pytest.mark.parametrize("page", ["99999999999999999999", "-3", "last", "1e9"])
def test_nonsense_pages_are_never_an_error(
    client: Any, world: World, six_cases: None, page: str
) -> None:
    assert "case-code" in _page(client, world, page)
