"""The supervisors' caseload review: exact figures from a known caseload, and who may see it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assessments.models import Assessment
from cases import services as case_services
from cases.choices import RiskLevel
from cases.models import TeamMembership
from plans import services as plan_services
from plans.models import PlanVersion
from supervision import figures
from supervision import review as supervision
from supervision import services as supervision_services
from supervision.compliance import compliance
from supervision.models import SupervisionRecord
from tests.conftest import World
from tests.factories import (
    UserFactory,
    close_case,
    make_case,
    make_plan_task,
    make_referral,
    sharing_consent,
)

TODAY = timezone.localdate


def _days_ago(days: int) -> date:
    return TODAY() - timedelta(days=days)


@pytest.fixture
def caseload(world: World) -> dict[str, Any]:
    """A worker with three cases whose every figure is known.

    - new: adult admitted 20 days ago, never contacted (follow-up overdue), assessment
      overdue, plan not yet due, one plan task two days overdue.
    - child: 10 years old, two complex factors, admitted 100 days ago, contacted today;
      assessment completed on day 10; plan signed on day 40 (late); high security risk.
    - long: adult admitted 40 months ago, moved back to crisis (a setback); never contacted;
      no signed plan; high security risk; a consent withdrawn today.
    """
    worker = UserFactory(username="w", organisation=world.org, role=Role.CASE_WORKER)
    new = make_case(case_manager=worker, first_name="New", admitted_on=_days_ago(20))
    task = make_plan_task(new, worker, assigned_to=worker)
    type(task).objects.filter(pk=task.pk).update(due_on=_days_ago(2))
    Assessment.objects.filter(beneficiary=new).update(due_on=_days_ago(6))

    child = make_case(
        case_manager=worker,
        first_name="Child",
        date_of_birth=_days_ago(10 * 366),
        admitted_on=_days_ago(100),
        complex_factors=["disability", "no_documents"],
        security_risk="high",
    )
    Assessment.objects.filter(beneficiary=child).update(completed_on=_days_ago(90))
    version = plan_services.plan_start(beneficiary=child, actor=worker)
    PlanVersion.objects.filter(pk=version.pk).update(signed_on=_days_ago(60))
    from monitoring import services as monitoring_services

    monitoring_services.contact_log(
        beneficiary=child,
        actor=worker,
        data={"occurred_at": timezone.now(), "kind": "office_visit", "summary": "Fine."},
    )

    long = make_case(
        case_manager=worker,
        first_name="Long",
        admitted_on=_days_ago(40 * 31),
        security_risk="high",
    )
    Assessment.objects.filter(beneficiary=long).update(completed_on=_days_ago(40 * 31 - 5))
    case_services.stage_change(
        beneficiary=long,
        actor=worker,
        to_stage="transition",
        changed_on=_days_ago(300),
        reason="On",
    )
    case_services.setback_record(
        beneficiary=long,
        actor=worker,
        data={
            "category": "threats",
            "occurred_on": _days_ago(3),
            "severity": "severe",
            "description": "Back to crisis",
        },
        move_to_stage="crisis",
    )
    consent = sharing_consent(long, worker, make_referral(long, worker).provider, ["identity"])
    case_services.consent_withdraw(
        consent=consent, actor=worker, withdrawn_on=TODAY(), reason="Changed mind"
    )
    return {"worker": worker, "new": new, "child": child, "long": long}


def _row(world: World, worker: Any) -> figures.WorkerFigures:
    return next(r for r in figures.counted(world.org.pk).workers if r.worker == worker)


class TestFigures:
    def test_the_worker_row(self, world: World, caseload: dict) -> None:
        row = _row(world, caseload["worker"])
        assert row.active == 3
        assert [(stage, n) for stage, _, n in row.by_stage] == [
            ("crisis", 3),
            ("transition", 0),
            ("inclusion", 0),
        ]
        # 1 + 1 + (1 + 2 x 0.5 + 1 for a child) = 5
        assert row.weighted == 5.0
        assert (row.capacity, row.overloaded) == (25, False)
        assert {kind: n for kind, _, n in row.overdue} == {
            "contact": 2,
            "assessment": 1,
            "plan": 1,
            "task": 1,
        }
        assert row.longest_without_contact.public_id == caseload["long"].public_id
        assert row.days_since_contact == 40 * 31

    def test_capacity_per_worker_flags_overload(self, world: World, caseload: dict) -> None:
        caseload["worker"].caseload_capacity = 4
        caseload["worker"].save()
        row = _row(world, caseload["worker"])
        assert (row.capacity, row.overloaded) == (4, True)

    def test_a_closed_case_leaves_the_caseload_and_returns_when_reopened(
        self, world: World, caseload: dict
    ) -> None:
        close_case(caseload["new"], caseload["worker"])
        assert _row(world, caseload["worker"]).active == 2
        case_services.case_reopen(
            beneficiary=caseload["new"],
            actor=caseload["worker"],
            reopened_on=TODAY(),
            reason="Back",
        )
        assert _row(world, caseload["worker"]).active == 3

    def test_the_stage_view(self, world: World, caseload: dict) -> None:
        counts = figures.counted(world.org.pk)
        view = supervision.stage_view(counts, supervision.first_named(world.org.pk))
        grid = {(c.current, c.expected): c.count for _, row in view["grid"] for c in row}
        # new: crisis as expected; child (3 months): crisis as expected; long: moved back
        # to crisis after 40 months, where inclusion is typical; and the world's own case.
        assert grid[("crisis", "crisis")] == 3
        assert grid[("crisis", "inclusion")] == 1
        assert sum(grid.values()) == 4
        assert (view["longer"], view["beyond"]) == (1, 1)
        assert [c.pk for c in view["beyond_first"]] == [caseload["long"].pk]

    def test_the_attention_list(self, world: World, caseload: dict) -> None:
        counts = figures.counted(world.org.pk)
        attention = supervision.attention(
            world.org.pk, counts, supervision.first_named(world.org.pk)
        )
        assert [s.beneficiary for s in attention["setbacks"].first] == [caseload["long"]]
        assert (attention["high_risk"], attention["high_risk_overdue"]) == (2, 1)
        assert [c.pk for c in attention["high_risk_overdue_first"]] == [caseload["long"].pk]
        assert [c.beneficiary for c in attention["consents_withdrawn"].first] == [caseload["long"]]
        assert (attention["setbacks"].count, attention["consents_withdrawn"].more) == (1, 0)
        assert attention["override_requests"] == []

    def test_compliance(self, world: World, caseload: dict) -> None:
        rows = compliance(world.org.pk, _days_ago(200), TODAY(), figures.counted(world.org.pk))
        worker = next(r for r in rows if r.label == str(caseload["worker"]))
        # Admissions in the period: new (assessment overdue, plan not yet due) and child
        # (assessed on day 10, plan signed on day 40). The long case was admitted earlier.
        assert (worker.assessments.met, worker.assessments.due) == (1, 2)
        assert (worker.plans.met, worker.plans.due) == (0, 1)
        assert (worker.contacts.met, worker.contacts.due) == (1, 3)
        overall = rows[-1]
        assert overall.label == "All case managers"
        # The world's own case (admitted 20 days ago, never contacted) counts too.
        assert (overall.assessments.due, overall.plans.due, overall.contacts.due) == (3, 1, 4)
        assert overall.assessments.percent == 33

    def test_drill_down_keys(self, world: World, caseload: dict) -> None:
        cases = [
            c
            for c in supervision.active_cases(world.org.pk)
            if c.manager_id == caseload["worker"].pk
        ]
        names = lambda key: {c.first_name for c in supervision.cases_behind(key, cases)}  # noqa: E731
        assert names("overdue:contact") == {"New", "Long"}
        assert names("overdue:plan") == {"Long"}  # never signed; the child's was, late
        assert names("stage:crisis:inclusion") == {"Long"}
        assert names("high_risk_overdue") == {"Long"}
        assert names("nonsense") == set() and names("overdue:nonsense") == set()


class TestPages:
    def test_supervisors_only_and_their_own_organisation(
        self, client: Any, world: World, caseload: dict
    ) -> None:
        for persona in (world.case_manager, world.mdt, world.administrator):
            client.force_login(persona)
            assert client.get(reverse("supervision:review")).status_code == 403
            assert client.get(reverse("supervision:cases")).status_code == 403
        client.force_login(world.outsider)  # a supervisor of the other organisation
        page = client.get(reverse("supervision:cases"), {"show": "all"}).content.decode()
        assert caseload["long"].case_code not in page
        client.force_login(world.supervisor)
        page = client.get(reverse("supervision:review")).content.decode()
        assert caseload["long"].case_code in page
        page = client.get(
            reverse("supervision:cases"),
            {"show": "overdue:contact", "worker": caseload["worker"].pk},
        ).content.decode()
        assert caseload["long"].case_code in page and caseload["child"].case_code not in page

    def test_nonsense_in_the_address_is_ignored(self, client: Any, world: World) -> None:
        client.force_login(world.supervisor)
        for query in (
            {"start": "2026-02-30", "end": "x"},
            {"start": "2026-05-01", "end": "2026-01-01"},
        ):
            assert client.get(reverse("supervision:review"), query).status_code == 200
        for query in ({"show": "<b>"}, {"worker": "abc"}, {"show": "stage:x:y"}, {"page": "-1"}):
            assert client.get(reverse("supervision:cases"), query).status_code == 200

    @pytest.mark.parametrize(
        "url_name",
        [
            "supervision:review",
            "supervision:cases",
            "supervision:records",
        ],
    )
    def test_query_counts_do_not_grow_with_the_caseload(
        self, client: Any, world: World, url_name: str
    ) -> None:
        client.force_login(world.supervisor)

        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse(url_name), {"show": "all"}).status_code == 200
                cache.clear()  # the review would come from its one-minute cache
            return len(captured)

        def grow(n: int) -> None:
            for i in range(n):
                worker = UserFactory(organisation=world.org, role=Role.CASE_WORKER)
                case = make_case(case_manager=worker, first_name=f"P{i}", security_risk="high")
                make_plan_task(case, worker, assigned_to=worker)
                supervision_services.supervision_record(
                    actor=world.supervisor,
                    data={"kind": "case_review", "held_on": TODAY(), "decisions": "Go on"},
                    case_codes=[case.case_code],
                )

        grow(1)
        few = count()
        grow(5)
        assert count() == few


class TestReassignment:
    def test_a_supervisor_reassigns_several_cases_with_a_note(
        self, client: Any, world: World, caseload: dict
    ) -> None:
        client.force_login(world.supervisor)
        picked = [caseload["new"], caseload["long"]]
        response = client.post(
            reverse("supervision:reassign"),
            {
                "cases": [str(c.public_id) for c in picked],
                "new_manager": world.colleague.pk,
                "handover_on": TODAY().isoformat(),
                "note": "Rebalancing caseloads",
                "back": "/supervision/cases/?show=all",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == "/supervision/cases/?show=all"
        for case in picked:
            team = TeamMembership.objects.filter(beneficiary=case, role="case_manager")
            assert team.get(ended_on=None).user == world.colleague
            assert "Rebalancing caseloads" in team.exclude(ended_on=None).get().end_reason
        assert (
            TeamMembership.objects.get(
                beneficiary=caseload["child"], role="case_manager", ended_on=None
            ).user
            == caseload["worker"]
        )

    def test_the_review_shows_a_reassignment_at_once(
        self, client: Any, world: World, caseload: dict
    ) -> None:
        client.force_login(world.supervisor)
        link = f"?show=all&worker={world.colleague.pk}"
        page = client.get(reverse("supervision:review")).content.decode()
        assert f'{link}">0<' in page  # the colleague has no cases yet (cached for a minute)
        client.post(
            reverse("supervision:reassign"),
            {
                "cases": [str(caseload["new"].public_id)],
                "new_manager": world.colleague.pk,
                "handover_on": TODAY().isoformat(),
                "note": "Leave",
            },
        )
        page = client.get(reverse("supervision:review")).content.decode()
        assert f'{link}">1<' in page

    def test_refresh_recomputes_the_review(self, client: Any, world: World, caseload: dict) -> None:
        client.force_login(world.supervisor)
        link = f"?show=all&worker={caseload['worker'].pk}"
        assert f'{link}">3<' in client.get(reverse("supervision:review")).content.decode()
        close_case(caseload["new"], caseload["worker"])
        # Within the minute the cached figures stand; Refresh recomputes them.
        assert f'{link}">3<' in client.get(reverse("supervision:review")).content.decode()
        response = client.get(reverse("supervision:review"), {"refresh": "1"})
        assert response["Location"] == reverse("supervision:review")
        assert f'{link}">2<' in client.get(reverse("supervision:review")).content.decode()

    def test_all_or_nothing(self, world: World, caseload: dict) -> None:
        with pytest.raises(ValidationError) as error:
            case_services.cases_reassign(
                cases=[caseload["new"], caseload["child"]],
                actor=world.supervisor,
                new_manager=caseload["worker"],  # already manages both
                handover_on=TODAY(),
                note="x",
            )
        assert caseload["new"].case_code in " ".join(error.value.messages)

    def test_only_the_organisations_supervisor(self, world: World, caseload: dict) -> None:
        for someone in (world.case_manager, world.outsider):
            with pytest.raises(ValidationError):
                case_services.cases_reassign(
                    cases=[caseload["new"]],
                    actor=someone,
                    new_manager=world.colleague,
                    handover_on=TODAY(),
                    note="x",
                )

    def test_a_case_of_another_organisation_is_ignored(
        self, client: Any, world: World, caseload: dict
    ) -> None:
        theirs = make_case(case_manager=UserFactory(organisation=world.other_org))
        client.force_login(world.supervisor)
        client.post(
            reverse("supervision:reassign"),
            {
                "cases": [str(theirs.public_id)],
                "new_manager": world.colleague.pk,
                "handover_on": TODAY().isoformat(),
                "note": "Mine now",
            },
        )
        assert not TeamMembership.objects.filter(beneficiary=theirs, user=world.colleague).exists()


class TestSupervisionRecords:
    def test_record_a_case_review(self, client: Any, world: World, caseload: dict) -> None:
        client.force_login(world.supervisor)
        url = reverse("supervision:record_add")
        data = {
            "kind": "case_review",
            "held_on": TODAY().isoformat(),
            "case_codes": f"{caseload['long'].case_code.lower()}, XX-2026-9999",
            "decisions": "Weekly calls; review the safety plan.",
            "next_review_on": (TODAY() + timedelta(days=14)).isoformat(),
        }
        response = client.post(url, data)
        assert "XX-2026-9999" in response.content.decode()
        assert not SupervisionRecord.objects.exists()
        response = client.post(url, {**data, "case_codes": caseload["long"].case_code})
        assert response.status_code == 302
        record = SupervisionRecord.objects.get()
        assert list(record.cases.all()) == [caseload["long"]]
        page = client.get(reverse("supervision:records")).content.decode()
        assert "Weekly calls" in page and caseload["long"].case_code in page

    def test_a_meeting_names_the_worker_and_another_organisations_cases_are_unknown(
        self, world: World
    ) -> None:
        theirs = make_case(case_manager=UserFactory(organisation=world.other_org))
        with pytest.raises(ValidationError) as error:
            supervision_services.supervision_record(
                actor=world.supervisor,
                data={"kind": "meeting", "held_on": TODAY(), "decisions": "x"},
                case_codes=[theirs.case_code],
            )
        assert "case_codes" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            supervision_services.supervision_record(
                actor=world.supervisor,
                data={"kind": "meeting", "held_on": TODAY(), "decisions": "x"},
                case_codes=[],
            )
        assert "worker" in error.value.message_dict


@pytest.mark.parametrize("url_name", ["supervision:reassign", "supervision:record_add"])
def test_nonsense_in_the_supervision_forms_is_refused_politely(
    client: Any, world: World, url_name: str
) -> None:
    from tests.cases.test_hostile_input import NONSENSE

    fields = ["cases", "new_manager", "handover_on", "note", "back", "kind", "held_on",
              "worker", "case_codes", "discussion", "decisions", "next_review_on"]  # fmt: skip
    client.force_login(world.supervisor)
    for text in NONSENSE.values():
        response = client.post(reverse(url_name), {name: text for name in fields})
        assert response.status_code in (200, 302)
        assert "<script>alert(1)</script>" not in response.content.decode()
        if response.status_code == 302:
            assert response["Location"].startswith("/")  # never off-site
    assert not SupervisionRecord.objects.exists()
    assert TeamMembership.objects.filter(beneficiary=world.case, ended_on=None).count() == 2


@pytest.mark.django_db
def test_long_attention_lists_show_the_ten_most_pressing_and_link_the_rest(
    client: Any, world: World
) -> None:
    worker = UserFactory(username="w", organisation=world.org, role=Role.CASE_WORKER)
    cases = [
        make_case(
            case_manager=worker,
            first_name=f"Long{n}",
            admitted_on=_days_ago(37 * 31 + n * 31),  # over 36 months, a month apart
            security_risk=RiskLevel.HIGH,
        )
        for n in range(12)
    ]
    oldest_first = sorted(cases, key=lambda c: c.admitted_on)
    client.force_login(world.supervisor)
    page = client.get(reverse("supervision:review")).content.decode()
    drill = reverse("supervision:cases")
    for shown in oldest_first[:10]:
        assert shown.case_code in page
    for left in oldest_first[10:]:
        assert left.case_code not in page
    assert f'<a href="{drill}?show=high_risk_overdue">and 2 more</a>' in page
    assert f'<a href="{drill}?show=beyond">and 2 more</a>' in page
    behind = client.get(drill, {"show": "beyond"}).content.decode()
    assert all(c.case_code in behind for c in cases)


def test_the_page_benchmark_runs_every_page_and_keeps_nothing(db: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    from cases.models import Beneficiary
    from monitoring.models import Contact

    out = StringIO()
    call_command("benchmark_pages", cases=40, runs=1, stdout=out)
    printed = out.getvalue()
    for page in ("bare view", "same rows in the page layout", "caseload list", "case file"):
        assert f"{page}" in printed
    assert printed.count("x the same rows in the page layout") == 4
    assert not Beneficiary.objects.exists() and not Contact.objects.exists()
