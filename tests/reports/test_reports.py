"""Reports and exports: exact figures from a known organisation, small counts suppressed,
nothing identifying in the case list, and every export logged."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.choices import OutcomeDomain
from assessments.models import Assessment
from cases import services as case_services
from cases.models import CaseAccess, CrisisAlarm, ExportLog
from core.records import version_of
from referrals import services as referral_services
from reports import tables as reports
from reports.exports import age_band
from tests.conftest import World
from tests.factories import close_case, make_case, make_referral, score_versions

TODAY = timezone.localdate


def _days_ago(days: int) -> date:
    return TODAY() - timedelta(days=days)


def _scored(case: Any, actor: Any, score: int, on: date, kind: str = "review") -> None:
    assessment = (
        case.assessments.get()
        if kind == "initial"
        else assessment_services.assessment_start(
            beneficiary=case, actor=actor, kind=kind, started_on=on, reason="Review"
        )
    )
    assessment_services.scores_save(
        assessment=assessment,
        actor=actor,
        scores={d: (score, "") for d in OutcomeDomain.values},
        opened_at=score_versions(assessment),
    )
    Assessment.objects.filter(pk=assessment.pk).update(completed_on=on)


@pytest.fixture
def organisation(world: World) -> dict[str, Any]:
    """In the last 100 days: three admissions (a woman, a girl, a man exploited in two ways),
    one of them closed and reopened, another closed; outcome scores rising for two people."""
    cm = world.case_manager
    woman = make_case(
        case_manager=cm, first_name="W", admitted_on=_days_ago(90), exploitation_forms=["sexual"]
    )
    girl = make_case(
        case_manager=cm,
        first_name="G",
        sex="female",
        date_of_birth=_days_ago(15 * 366),
        admitted_on=_days_ago(60),
        exploitation_forms=["begging"],
    )
    man = make_case(
        case_manager=cm,
        first_name="M",
        sex="male",
        admitted_on=_days_ago(30),
        exploitation_forms=["labour_construction", "criminal"],
    )
    old = make_case(case_manager=cm, first_name="O", admitted_on=_days_ago(500))
    close_case(woman, cm)
    case_services.case_reopen(beneficiary=woman, actor=cm, reopened_on=TODAY(), reason="Back")
    close_case(old, cm)
    _scored(woman, cm, 2, _days_ago(80), kind="initial")
    _scored(woman, cm, 4, _days_ago(10))
    _scored(old, cm, 1, _days_ago(400), kind="initial")
    _scored(old, cm, 3, _days_ago(100))
    make_referral(girl, cm)
    referral_services.unmet_need_record(
        beneficiary=man,
        actor=cm,
        data={"domain": "economic", "barrier": "too_costly", "recorded_on": TODAY()},
    )
    return {"woman": woman, "girl": girl, "man": man, "old": old}


def _table(key: str, org: Any, start: date | None = None) -> reports.Table:
    tables = reports.build(org.pk, start or _days_ago(100), TODAY())
    return next(t for t in tables if t.key == key)


def _rows(key: str, org: Any) -> dict[str, list[Any]]:
    return {row[0]: row[1:] for row in _table(key, org).rows}


def test_caseload_movement(world: World, organisation: dict) -> None:
    rows = _rows("movement", world.org)
    # The world's own case was admitted 20 days ago: four admissions in all.
    assert rows["Admitted"] == [4]
    assert rows[f"Active on {TODAY():%d %b %Y}"] == [4]  # all but the old, closed one
    assert rows["Closed"] == [2]
    assert rows["Reopened (returns)"] == [1]
    assert _rows("closures", world.org)["Plan goals achieved"] == [2]


def test_breakdowns(world: World, organisation: dict) -> None:
    assert _rows("sex", world.org)["Female"] == [3] and _rows("sex", world.org)["Male"] == [1]
    assert _rows("age", world.org)["Child (under 18)"] == [1]
    forms = _rows("exploitation", world.org)
    assert forms["Sexual exploitation"] == [1]
    assert forms["Forced labour: construction"] == [1] and forms["Forced criminal activity"] == [1]
    assert _rows("referrals", world.org)["Housing and accommodation"][0] == 1  # one draft
    unmet = _rows("unmet", world.org)
    assert unmet["Economic empowerment"][2] == 1 and unmet["Total"][-1] == 1


def test_outcomes_first_and_latest(world: World, organisation: dict) -> None:
    rows = _rows("outcomes", world.org)
    # Active: the woman (2 then 4). Closed: the old case (1 then 3).
    assert rows["Safety and security"] == [2.0, 4.0, 1, 1.0, 3.0, 1]
    # An earlier end leaves out the later assessments: nobody assessed twice yet.
    early = reports.outcomes(world.org.pk, _days_ago(50))
    assert {tuple(row[1:]) for row in early.rows} == {(None, None, 0, 1.0, 3.0, 1)}


def test_small_counts_are_suppressed_in_exports(world: World, organisation: dict) -> None:
    table = _table("movement", world.org)
    assert table.suppressed(5)[0] == ["Admitted", "<5"]
    outcome_rows = _table("outcomes", world.org).suppressed(5)
    assert outcome_rows[0][1:] == ["", "", "<5", "", "", "<5"]
    assert _table("closures", world.org).suppressed(2)[0] == ["Plan goals achieved", 2]
    assert ["Contact lost", 0] in _table("closures", world.org).suppressed(5)  # zero stays


def test_age_bands() -> None:
    on = date(2026, 6, 1)
    assert age_band(date(2010, 6, 2), on) == "12-17"
    assert age_band(date(2008, 6, 1), on) == "18-24"
    assert age_band(None, on) == "not known"


class TestPages:
    def test_supervisors_only(self, client: Any, world: World, organisation: dict) -> None:
        for persona in (world.case_manager, world.mdt, world.administrator):
            client.force_login(persona)
            assert client.get(reverse("reports:report")).status_code == 403
            assert client.get(reverse("reports:cases_export")).status_code == 403
        client.force_login(world.supervisor)
        page = client.get(reverse("reports:report"), {"start": _days_ago(100), "end": TODAY()})
        assert page.status_code == 200
        assert "<svg" in page.content.decode()
        assert client.get(reverse("reports:report_export", args=["nope"])).status_code == 404

    def test_a_report_export_is_logged_and_suppressed(
        self, client: Any, world: World, organisation: dict
    ) -> None:
        client.force_login(world.supervisor)
        response = client.get(
            reverse("reports:report_export", args=["movement"]),
            {"start": _days_ago(100).isoformat(), "end": TODAY().isoformat()},
        )
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert ["Admitted", "<5"] in rows
        log = ExportLog.objects.get()
        assert (log.user, log.what, log.period_start, log.rows) == (
            world.supervisor,
            "Report: Caseload over the period",
            _days_ago(100),
            6,
        )

    def test_the_case_list_is_de_identified(
        self, client: Any, world: World, organisation: dict, settings: Any
    ) -> None:
        from cases.services import beneficiary_update

        # Five cases cannot make a group of k (tests/reports/test_deidentified_export.py):
        # k = 1 releases them all, to see what each row leaves out.
        settings.EXPORT_MIN_GROUP = 1

        beneficiary_update(
            beneficiary=organisation["man"],
            actor=world.case_manager,
            profile={"phone": "+000 555 0142", "address": "7 Hidden Lane", "alias": "Mo"},
            opened_at=version_of(organisation["man"]),
        )
        client.force_login(world.supervisor)
        first = client.get(reverse("reports:cases_export")).content.decode()
        second = client.get(reverse("reports:cases_export")).content.decode()
        # The rows, up to the blank line before the notes.
        rows = list(csv.DictReader(io.StringIO(first.split("\r\n\r\n")[0])))
        assert len(rows) == 5
        for secret in (
            "+000 555 0142",
            "Hidden Lane",
            "Mo,",
            "Testova",
            organisation["man"].case_code,
            world.case.case_code,
        ):
            assert secret not in first
        ids = {r["export_id"] for r in rows}
        assert len(ids) == 5
        assert all(i.startswith("R") for i in ids)
        second_rows = csv.DictReader(io.StringIO(second.split("\r\n\r\n")[0]))
        assert not ids & {r["export_id"] for r in second_rows}
        girl = next(r for r in rows if r["age_band_at_admission"] == "12-17")
        assert girl["exploitation_forms"] == "Forced begging or street selling"
        # Logged twice over: once for the export, once on each case's own access log.
        assert ExportLog.objects.filter(what="De-identified case list", rows=5).count() == 2
        assert (
            CaseAccess.objects.filter(
                beneficiary=organisation["girl"], action="export", user=world.supervisor
            ).count()
            == 2
        )
        log = client.get(reverse("supervision:organisation_access_log")).content.decode()
        assert "De-identified case list" in log

    def test_query_counts_do_not_grow(self, client: Any, world: World) -> None:
        client.force_login(world.supervisor)

        def count(url: str) -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        urls = [reverse("reports:report"), reverse("reports:cases_export")]
        for n in range(2):
            make_case(case_manager=world.case_manager, first_name=f"A{n}")
        few = [count(u) for u in urls]
        for n in range(6):
            case = make_case(case_manager=world.case_manager, first_name=f"B{n}")
            make_referral(case, world.case_manager)
            close_case(case, world.case_manager)
        assert [count(u) for u in urls] == few


def test_the_export_log_is_append_only(world: World) -> None:
    log = ExportLog.objects.create(
        organisation=world.org, user=world.supervisor, what="Report", rows=1
    )
    for change in (lambda: log.save(), log.delete, ExportLog.objects.all().delete):
        with pytest.raises(TypeError):
            change()
    with pytest.raises(TypeError):
        ExportLog.objects.update(rows=2)


def test_complaints_by_subject_and_status(world: World) -> None:
    from supervision import services as supervision_services

    def complaint(subject: str, days_ago: int, beneficiary: Any = None) -> Any:
        return supervision_services.complaint_record(
            actor=world.case_manager,
            beneficiary=beneficiary,
            data={
                "received_on": _days_ago(days_ago),
                "channel": "box",
                "subject": subject,
                "details": "Said so.",
            },
        )

    answered = complaint("staff", 10, world.case)
    complaint("staff", 5)
    complaint("plan", 3)
    complaint("plan", 400)  # before the period
    supervision_services.complaint_resolve(
        complaint=answered, actor=world.supervisor, response="Talked.", resolved_on=TODAY()
    )
    rows = _rows("complaints", world.org)
    assert rows["How a member of staff behaved"] == [1, 1, 2]  # open, answered, total
    assert rows["The plan or its goals"] == [1, 0, 1]
    assert rows["Total"] == [2, 1, 3]


def test_crisis_alarms_and_how_fast_they_were_answered(world: World) -> None:
    def alarm(category: str, severity: str) -> CrisisAlarm:
        setback = case_services.setback_record(
            beneficiary=world.case,
            actor=world.case_manager,
            data={
                "category": category,
                "occurred_on": timezone.localdate(),
                "severity": severity,
                "description": "Threats by phone.",
            },
        )
        return setback.alarm

    slow = alarm("threats", "low")
    CrisisAlarm.objects.filter(pk=slow.pk).update(raised_at=timezone.now() - timedelta(hours=30))
    case_services.crisis_alarm_acknowledge(alarm=slow, actor=world.supervisor, action_taken="Seen.")
    fast = alarm("violence", "critical")
    CrisisAlarm.objects.filter(pk=fast.pk).update(raised_at=timezone.now() - timedelta(hours=2))
    case_services.crisis_alarm_acknowledge(alarm=fast, actor=world.supervisor, action_taken="Seen.")
    alarm("illness", "critical")  # still open
    rows = _rows("crisis_alarms", world.org)
    assert rows["Threats or contact from exploiters"][:3] == [1, 1, 0]
    assert rows["Violence or abuse"][:3] == [1, 1, 1]
    assert rows["Total"][:3] == [3, 2, 1]
    assert rows["Total"][3] == pytest.approx(16, abs=0.2)  # the median of 30 and 2 hours
    assert _table("crisis_alarms", world.org).suppressed(5)[-1][1:] == ["<5", "<5", "<5", ""]
