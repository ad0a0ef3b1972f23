"""Outcome breakdowns: exact changes per group from known scores, small groups hidden on the
page and in the CSV, supervisors of the organisation only, and a constant number of queries."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assessments import services as assessment_services
from assessments.choices import OutcomeDomain
from assessments.models import Assessment
from cases import services as case_services
from cases.models import ExportLog
from core import charts
from reports import breakdowns
from tests.conftest import World
from tests.factories import UserFactory, make_case, score_versions

TODAY = timezone.localdate
ACCOMMODATION = "Safe, satisfactory and affordable accommodation"
SAFETY = "Safety and security"


def _days_ago(days: int) -> date:
    return TODAY() - timedelta(days=days)


def _assessed(case: Any, actor: Any, on: date, scores: int | dict[str, int]) -> None:
    """A completed assessment on `on` with these scores (one for every domain, or some):
    the initial assessment first, reviews after it."""
    if not case.assessments.filter(scores__isnull=False).exists():
        assessment = case.assessments.get()
    else:
        assessment = assessment_services.assessment_start(
            beneficiary=case, actor=actor, kind="review", started_on=on, reason="Review"
        )
    given = scores if isinstance(scores, dict) else dict.fromkeys(OutcomeDomain.values, scores)
    assessment_services.scores_save(
        assessment=assessment,
        actor=actor,
        scores={domain: (score, "") for domain, score in given.items()},
        opened_at=score_versions(assessment),
    )
    Assessment.objects.filter(pk=assessment.pk).update(completed_on=on)


@pytest.fixture
def scored(world: World) -> dict[str, Any]:
    """People with known scores; the period is the last 100 days.

    - anna: woman of 27, sexual exploitation, admitted 400 days ago: 2, 3, then 4 ten days
      ago in every domain: +2 (her first assessment was long before the period).
    - bora: girl of 15, begging and sexual exploitation, admitted 60 days ago: 1 then 2,
      but 1 then 1 in mental health: +1 (0 in mental health).
    - cen: man of 36, forced labour in construction, in transition, admitted 300 days ago:
      4 then 3: -1.
    - dita: woman with no form recorded, admitted 90 days ago: safety 2 then 5 (+3);
      economic well-being scored only at the second assessment (not counted there).
    - not counted: eda (latest assessment before the period), fat (assessed once), the
      world's case (never scored), and a case of the other organisation.
    """
    cm = world.case_manager
    anna = make_case(
        case_manager=cm,
        first_name="Anna",
        date_of_birth=_days_ago(400 + 27 * 366),
        admitted_on=_days_ago(400),
        exploitation_forms=["sexual"],
    )
    _assessed(anna, cm, _days_ago(390), 2)
    _assessed(anna, cm, _days_ago(200), 3)
    _assessed(anna, cm, _days_ago(10), 4)
    bora = make_case(
        case_manager=cm,
        first_name="Bora",
        date_of_birth=_days_ago(60 + 15 * 366),
        admitted_on=_days_ago(60),
        exploitation_forms=["begging", "sexual"],
    )
    _assessed(bora, cm, _days_ago(55), 1)
    _assessed(
        bora, cm, _days_ago(5), {**dict.fromkeys(OutcomeDomain.values, 2), "mental_health": 1}
    )
    cen = make_case(
        case_manager=cm,
        first_name="Cen",
        sex="male",
        date_of_birth=_days_ago(300 + 36 * 366),
        admitted_on=_days_ago(300),
        exploitation_forms=["labour_construction"],
    )
    case_services.stage_change(
        beneficiary=cen, actor=cm, to_stage="transition", changed_on=_days_ago(100), reason="On"
    )
    _assessed(cen, cm, _days_ago(290), 4)
    _assessed(cen, cm, _days_ago(20), 3)
    dita = make_case(
        case_manager=cm,
        first_name="Dita",
        date_of_birth=_days_ago(90 + 30 * 366),
        admitted_on=_days_ago(90),
    )
    _assessed(dita, cm, _days_ago(80), {"safety": 2})
    _assessed(dita, cm, _days_ago(15), {"safety": 5, "economic": 3})
    eda = make_case(case_manager=cm, first_name="Eda", admitted_on=_days_ago(500))
    _assessed(eda, cm, _days_ago(490), 1)
    _assessed(eda, cm, _days_ago(150), 5)
    fat = make_case(case_manager=cm, first_name="Fat", sex="male", admitted_on=_days_ago(40))
    _assessed(fat, cm, _days_ago(30), 3)
    other_worker = UserFactory(organisation=world.other_org, role=Role.CASE_WORKER)
    elsewhere = make_case(
        case_manager=other_worker, first_name="Iva", sex="intersex", admitted_on=_days_ago(90)
    )
    _assessed(elsewhere, other_worker, _days_ago(80), 1)
    _assessed(elsewhere, other_worker, _days_ago(8), 5)
    return {"anna": anna, "bora": bora, "cen": cen, "dita": dita, "eda": eda}


def _figures(world: World, by: str, start: date | None = None, end: date | None = None) -> dict:
    """{group label: {domain label: (average change, people)}} for the groups shown."""
    groups = breakdowns.build(world.org.pk, start or _days_ago(100), end or TODAY(), by)
    labels = dict(OutcomeDomain.choices)
    return {
        str(group.label): {str(labels[domain]): cell for domain, cell in group.cells.items()}
        for group in groups
    }


class TestFigures:
    def test_by_sex(self, world: World, scored: dict) -> None:
        figures = _figures(world, "sex")
        assert list(figures) == ["Female", "Male"]  # nobody intersex or not stated here
        female, male = figures["Female"], figures["Male"]
        assert female[ACCOMMODATION] == (1.5, 2)  # anna +2, bora +1
        assert female[SAFETY] == (2.0, 3)  # and dita +3
        assert female["Mental health and well-being"] == (1.0, 2)  # anna +2, bora 0
        assert female["Economic well-being"] == (1.5, 2)  # dita scored it once only
        assert all(cell == (-1.0, 1) for cell in male.values())  # cen; fat assessed once

    def test_by_form_of_exploitation_counts_a_person_under_each_form(
        self, world: World, scored: dict
    ) -> None:
        figures = _figures(world, "exploitation")
        assert list(figures) == [
            "Sexual exploitation",
            "Forced labour: construction",
            "Forced begging or street selling",
            "Not recorded",
        ]
        assert figures["Sexual exploitation"][ACCOMMODATION] == (1.5, 2)  # anna and bora
        assert figures["Forced begging or street selling"][ACCOMMODATION] == (1.0, 1)
        assert figures["Forced labour: construction"][SAFETY] == (-1.0, 1)
        assert figures["Not recorded"][SAFETY] == (3.0, 1)
        assert figures["Not recorded"][ACCOMMODATION] == (None, 0)

    def test_by_age_stage_and_months(self, world: World, scored: dict) -> None:
        ages = _figures(world, "age")
        assert list(ages) == ["12-17", "25-34", "35-49"]
        assert ages["25-34"][SAFETY] == (2.5, 2)  # anna +2, dita +3
        assert ages["12-17"][SAFETY] == (1.0, 1)
        stages = _figures(world, "stage")
        assert list(stages) == ["Crisis intervention", "Transition"]
        assert stages["Crisis intervention"][SAFETY] == (2.0, 3)
        assert stages["Transition"][SAFETY] == (-1.0, 1)
        months = _figures(world, "months")
        assert list(months) == ["Months 1 to 6", "Months 7 to 12", "Months 13 to 24"]
        assert months["Months 1 to 6"][SAFETY] == (2.0, 2)  # bora +1, dita +3
        assert months["Months 7 to 12"][SAFETY] == (-1.0, 1)  # cen, 280 days in
        assert months["Months 13 to 24"][SAFETY] == (2.0, 1)  # anna, 390 days in

    def test_the_period_decides_whose_latest_score_counts(self, world: World, scored: dict) -> None:
        # 200 to 100 days ago: anna's change to her review 200 days ago (+1), eda's (+4);
        # the later assessments are after the period, and nobody else was assessed twice.
        figures = _figures(world, "sex", start=_days_ago(200), end=_days_ago(100))
        assert list(figures) == ["Female"]
        assert figures["Female"][ACCOMMODATION] == (2.5, 2)
        assert _figures(world, "sex", start=_days_ago(4)) == {}

    def test_month_bands_follow_the_stages(self) -> None:
        def band(months: int) -> str:
            admitted = date(2020, 1, 15)
            on = date(2020 + (months // 12), 1 + months % 12, 15)
            change = breakdowns.Change(1, "safety", 1, 2, on, "female", None, admitted, (), "")
            return str(dict(breakdowns.GROUPS["months"][0])[breakdowns._months_band(change)[0]])

        assert [band(m) for m in (0, 5, 6, 11, 12, 23, 24, 35, 36, 60)] == [
            "Months 1 to 6", "Months 1 to 6", "Months 7 to 12", "Months 7 to 12",
            "Months 13 to 24", "Months 13 to 24", "Months 25 to 36", "Months 25 to 36",
            "After 36 months", "After 36 months",
        ]  # fmt: skip


def _page(client: Any, **query: Any) -> str:
    params = {"start": _days_ago(100).isoformat(), "end": TODAY().isoformat(), **query}
    response = client.get(reverse("reports:outcome_breakdowns"), params)
    assert response.status_code == 200
    return response.content.decode()


def _csv_rows(client: Any, **query: Any) -> list[list[str]]:
    params = {"start": _days_ago(100).isoformat(), "end": TODAY().isoformat(), **query}
    response = client.get(reverse("reports:outcome_breakdowns_export"), params)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


class TestPage:
    @override_settings(REPORT_MIN_COUNT=2)
    def test_shows_averages_and_hides_small_groups(
        self, client: Any, world: World, scored: dict
    ) -> None:
        client.force_login(world.supervisor)
        page = _page(client, by="sex")
        assert "Change in outcome scores, by sex" in page
        row = page.split(ACCOMMODATION + "</th>")[1].split("</tr>")[0]
        # Women: +1.5 of 2 people; men: 1 person, fewer than 2: the average is hidden.
        assert row.count("<td") == 4
        assert ">+1.5</td>" in row and ">2</td>" in row
        assert ">hidden</span>" in row and ">1</td>" in row
        assert "-1" not in row
        assert "hidden: fewer than 2 people" in page  # said so in the chart too
        assert "<svg" in page and "+1.5" in page.split("<svg")[1]

    def test_default_threshold_hides_every_group_here(
        self, client: Any, world: World, scored: dict
    ) -> None:
        client.force_login(world.supervisor)
        page = _page(client, by="exploitation")
        assert "+1.5" not in page and "+3" not in page
        assert "hidden: fewer than 5 people" in page

    def test_a_wrong_breakdown_says_so_by_the_field(
        self, client: Any, world: World, scored: dict
    ) -> None:
        client.force_login(world.supervisor)
        page = _page(client, by="religion")
        assert "Select a valid choice" in page
        assert "Change in outcome scores, by sex" in page  # the default is shown
        assert _page(client, start="yesterday", by="stage")  # a wrong date: the default period
        response = client.get(reverse("reports:outcome_breakdowns_export"), {"by": "religion"})
        assert response.status_code == 404

    def test_nobody_counted(self, client: Any, world: World) -> None:
        client.force_login(world.supervisor)
        assert "Nobody counts in this period" in _page(client)

    def test_the_reports_page_links_to_it(self, client: Any, world: World) -> None:
        client.force_login(world.supervisor)
        page = client.get(reverse("reports:report")).content.decode()
        assert reverse("reports:outcome_breakdowns") in page


class TestAccess:
    def test_supervisors_only(self, client: Any, world: World, scored: dict) -> None:
        for persona in (world.case_manager, world.mdt, world.colleague, world.administrator):
            client.force_login(persona)
            assert client.get(reverse("reports:outcome_breakdowns")).status_code == 403
            assert client.get(reverse("reports:outcome_breakdowns_export")).status_code == 403

    @override_settings(REPORT_MIN_COUNT=1)
    def test_only_the_own_organisation(self, client: Any, world: World, scored: dict) -> None:
        client.force_login(world.supervisor)
        page = _page(client, by="sex")
        assert "Intersex" not in page and ">+4</td>" not in page
        client.force_login(world.outsider)  # the other organisation's supervisor
        page = _page(client, by="sex")
        assert "Intersex" in page and "Female" not in page
        assert page.split(ACCOMMODATION + "</th>")[1].split("</tr>")[0].count(">+4</td>") == 1
        rows = _csv_rows(client, by="sex")
        assert rows[2] == ["Area", "Intersex: average change", "Intersex: people"]


class TestExport:
    @override_settings(REPORT_MIN_COUNT=2)
    def test_csv_suppresses_small_groups_and_is_logged(
        self, client: Any, world: World, scored: dict
    ) -> None:
        client.force_login(world.supervisor)
        rows = _csv_rows(client, by="sex")
        assert rows[0] == ["Change in outcome scores, by sex"]
        assert rows[1] == [f"{_days_ago(100):%Y-%m-%d} to {TODAY():%Y-%m-%d}"]
        assert rows[2] == [
            "Area",
            "Female: average change",
            "Female: people",
            "Male: average change",
            "Male: people",
        ]
        body = {row[0]: row[1:] for row in rows[3:13]}
        assert list(body) == [str(label) for label in OutcomeDomain.labels]
        assert body[ACCOMMODATION] == ["1.5", "2", "", "<2"]
        assert body[SAFETY] == ["2.0", "3", "", "<2"]
        assert ["Counts from 1 to 1 are shown as <2."] in rows
        assert ["Averages of fewer than 2 people are left out."] in rows
        assert any(row and row[0].startswith("Change: the latest score minus") for row in rows)
        log = ExportLog.objects.get()
        assert (log.user, log.what, log.period_start, log.period_end, log.rows) == (
            world.supervisor,
            "Report: Change in outcome scores, by sex",
            _days_ago(100),
            TODAY(),
            10,
        )

    def test_csv_with_the_default_threshold_hides_every_average_here(
        self, client: Any, world: World, scored: dict
    ) -> None:
        client.force_login(world.supervisor)
        rows = _csv_rows(client, by="months")
        body = {row[0]: row[1:] for row in rows[3:13]}
        assert body[SAFETY] == ["", "<5", "", "<5", "", "<5"]
        assert body["Economic well-being"] == ["", "<5", "", "<5", "", "<5"]


def test_query_counts_do_not_grow(client: Any, world: World) -> None:
    client.force_login(world.supervisor)
    urls = [
        reverse("reports:outcome_breakdowns"),
        reverse("reports:outcome_breakdowns_export"),
    ]

    def count() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, {"by": "exploitation"}).status_code == 200
            found.append(len(captured))
        return found

    def grow(n: int, prefix: str) -> None:
        for i in range(n):
            case = make_case(
                case_manager=world.case_manager,
                first_name=f"{prefix}{i}",
                exploitation_forms=["sexual", "begging"] if i % 2 else ["criminal"],
                admitted_on=_days_ago(60),
            )
            _assessed(case, world.case_manager, _days_ago(50), 2)
            _assessed(case, world.case_manager, _days_ago(5), 3 + i % 2)

    grow(1, "A")
    few = count()
    grow(6, "B")
    assert count() == few


def test_the_chart_escapes_its_texts_and_draws_both_ways() -> None:
    svg = charts.change_bars(
        "<b>Title</b>",
        [
            (
                "<i>Area</i>",
                [("<script>x</script>", 1.5, ""), ("Down", -2.0, ""), ("None", None, "no one")],
            )
        ],
        reach=2,
        sides=("worse", "better"),
    )
    assert "<script>" not in svg and "<i>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;x&lt;/script&gt;" in svg and "&lt;i&gt;Area&lt;/i&gt;" in svg
    assert ">+1.5</text>" in svg and ">-2</text>" in svg and ">no one</text>" in svg
    assert "← worse" in svg and "better →" in svg
