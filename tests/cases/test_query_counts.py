"""Pages run a fixed number of queries however many rows they show."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.choices import ConsentGiver, ConsentMethod, ConsentScope, SetbackCategory, Severity
from tests.conftest import World
from tests.factories import UserFactory, add_mdt, make_case


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _fill(world: World, rows: int) -> None:
    """Give the world's case `rows` of every kind of record."""
    case, actor = world.case, world.case_manager
    for n in range(rows):
        services.family_member_save(
            beneficiary=case, actor=actor, data={"name": f"Relative {n}", "relationship": "sibling"}
        )
        services.child_save(
            beneficiary=case,
            actor=actor,
            data={"first_name": f"Child {n}", "situation": "left_behind"},
        )
        services.consent_record(
            beneficiary=case,
            actor=actor,
            data={
                "scope": ConsentScope.OTHER,
                "given_by": ConsentGiver.BENEFICIARY,
                "given_on": case.admitted_on,
                "method": ConsentMethod.WRITTEN,
            },
        )
        services.setback_record(
            beneficiary=case,
            actor=actor,
            data={
                "category": SetbackCategory.OTHER,
                "occurred_on": case.admitted_on,
                "severity": Severity.LOW,
                "description": "x",
            },
        )
        services.threat_record(
            beneficiary=case,
            actor=actor,
            data={
                "source": "community",
                "kind": "online",
                "level": "low",
                "identified_on": case.admitted_on,
                "details": "x",
            },
        )
        services.disclosure_add(
            beneficiary=case, actor=actor, data={"who": "neighbours", "knows": "not_sure"}
        )
        document = services.document_record(
            beneficiary=case,
            actor=actor,
            data={"kind": "passport", "status": "applied", "child": case.children.first()},
        )
        services.document_step_add(
            document=document, actor=actor, data={"taken_on": case.admitted_on, "step": "x"}
        )
        proceeding = services.proceeding_record(
            beneficiary=case,
            actor=actor,
            kind="criminal",
            authority="x",
            stage="trial",
            role="witness",
            started_on=case.admitted_on,
        )
        for days in (-1, 2):  # one past, one ahead
            services.hearing_add(
                proceeding=proceeding,
                actor=actor,
                held_on=timezone.localdate() + timedelta(days=days),
                result="x" if days < 0 else "",
            )
        services.guardian_add(
            beneficiary=case,
            actor=actor,
            data={"kind": "appointed", "name": f"Guardian {n}", "authority_from": case.admitted_on},
        )
        services.best_interests_record(
            beneficiary=case,
            actor=actor,
            data={
                "decided_on": case.admitted_on,
                "question": f"Question {n}",
                "decision": "x",
                "participants": "x",
                "child_view": "x",
                "review_on": case.admitted_on,  # passed: flagged on the case file
            },
        )
        add_mdt(
            case, UserFactory(organisation=world.org, role="mdt_member", discipline="doctor"), actor
        )


class TestCaseloadQueries:
    def test_it_is_constant_in_the_number_of_cases(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        url = reverse("casework:caseload")
        for n in range(2):
            make_case(case_manager=world.case_manager, first_name=f"Few{n}")
        few = _queries(client, url)
        for n in range(20):
            make_case(case_manager=world.case_manager, first_name=f"Many{n}")
        assert _queries(client, url) == few

    def test_the_supervisor_view_is_constant_too(self, client: Any, world: World) -> None:
        client.force_login(world.supervisor)
        url = reverse("casework:caseload") + "?complex=no&stage=crisis"
        few = _queries(client, url)
        for n in range(15):
            make_case(case_manager=world.colleague, first_name=f"Other{n}")
        assert _queries(client, url) == few


class TestCaseFileQueries:
    def test_the_case_file_is_constant_in_the_number_of_records(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.case_manager)
        url = reverse("casework:detail", args=[world.case.public_id])
        _fill(world, 1)
        few = _queries(client, url)
        _fill(world, 8)
        assert _queries(client, url) == few

    def test_the_history_is_constant_in_the_number_of_changes(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.case_manager)
        url = reverse("cases:history", args=[world.case.public_id])
        _fill(world, 1)
        few = _queries(client, url)
        _fill(world, 8)
        assert _queries(client, url) == few

    def test_the_team_page_and_access_log_are_constant(self, client: Any, world: World) -> None:
        client.force_login(world.supervisor)
        team_url = reverse("cases:team", args=[world.case.public_id])
        log_url = reverse("cases:access_log", args=[world.case.public_id])
        _fill(world, 1)
        few = (_queries(client, team_url), _queries(client, log_url))
        _fill(world, 8)
        assert (_queries(client, team_url), _queries(client, log_url)) == few
