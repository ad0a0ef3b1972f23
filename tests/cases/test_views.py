"""The case pages through the browser's entry points: forms, redirects, messages, errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.choices import CaseStatus, Stage
from cases.models import Beneficiary, CaseAccess, Child, Consent, FamilyMember, Setback
from tests.conftest import World
from tests.factories import close_case, make_case, opened

TODAY = timezone.localdate


def url(name: str, world: World, *args: Any) -> str:
    view = name if ":" in name else f"cases:{name}"
    return reverse(view, args=[world.case.public_id, *args])


def _intake_data(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "case_manager": world.case_manager.pk,
        "admitted_on": (TODAY() - timedelta(days=3)).isoformat(),
        "first_name": "Vera",
        "last_name": "Sample",
        "date_of_birth": "1995-02-03",
        "sex": "female",
        "literacy": "literate",
        "safe_to_call": "yes",
        "home_visits_allowed": "no",
        "accommodation": "shelter",
        "identification_status": "presumed",
        "referral_source": "ngo",
        "trafficking_scope": "cross_border",
        "exploitation_forms": ["sexual", "begging"],
        "complex_factors": ["no_documents"],
        "security_risk": "high",
        "witness_status": "not_involved",
    }
    data.update(overrides)
    return data


class TestCaseload:
    def test_a_case_worker_sees_their_cases_with_names(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        response = client.get(reverse("casework:caseload"), {"mine": "1"})
        assert response.status_code == 200
        body = response.content.decode()
        assert world.case.case_code in body and world.case.full_name in body

    def test_a_supervisor_sees_codes_but_not_names_of_cases_they_are_not_on(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.supervisor)
        body = client.get(reverse("casework:caseload")).content.decode()
        assert world.case.case_code in body
        assert world.case.full_name not in body

    def test_filters_and_search(self, client: Any, world: World) -> None:
        other = make_case(case_manager=world.case_manager, first_name="Zora", last_name="Findme")
        services.stage_change(
            beneficiary=other,
            actor=world.case_manager,
            to_stage=Stage.TRANSITION,
            changed_on=TODAY(),
            reason="x",
        )
        client.force_login(world.case_manager)
        caseload = reverse("casework:caseload")

        def codes(**params: str) -> set[str]:
            return {b.case_code for b in client.get(caseload, params).context["cases"]}

        def found(text: str) -> set[str]:
            response = client.post(caseload, {"q": text}, follow=True)
            return {b.case_code for b in response.context["cases"]}

        assert codes(stage="transition") == {other.case_code}
        assert found("findme") == {other.case_code}
        assert found(world.case.case_code) == {world.case.case_code}
        assert codes(case_manager=str(world.case_manager.pk)) == {
            world.case.case_code,
            other.case_code,
        }
        assert codes(status="closed") == set()

    def test_the_search_text_stays_out_of_the_address(self, client: Any, world: World) -> None:
        other = make_case(case_manager=world.case_manager, first_name="Zora", last_name="Findme")
        client.force_login(world.case_manager)
        caseload = reverse("casework:caseload")
        response = client.post(caseload, {"q": "Findme", "mine": "1", "stage": "crisis"})
        assert response.status_code == 302
        assert response["Location"] == f"{caseload}?mine=1&stage=crisis&search=1"
        page = client.get(response["Location"])
        assert [c.case_code for c in page.context["cases"]] == [other.case_code]
        body = page.content.decode()
        assert 'value="Findme"' in body  # still in the box, to refine or clear
        assert "Findme" not in page.context["query"]
        # Without the flag (the menu's "My cases"), no search applies; an old address with
        # the name in it is ignored.
        assert len(client.get(caseload, {"mine": "1"}).context["cases"]) == 2
        assert len(client.get(caseload, {"mine": "1", "q": "Findme"}).context["cases"]) == 2
        # An empty search clears it.
        response = client.post(caseload, {"q": "", "mine": "1"})
        assert response["Location"] == f"{caseload}?mine=1"
        assert len(client.get(caseload, {"mine": "1", "search": "1"}).context["cases"]) == 2

    def test_a_search_too_long_is_refused_next_to_the_box(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        response = client.post(reverse("casework:caseload"), {"q": "x" * 101})
        assert response.status_code == 200
        body = response.content.decode()
        assert "Ensure this value has at most 100 characters" in body
        assert 'value="' + "x" * 101 + '"' in body

    def test_an_unknown_filter_value_is_ignored_not_an_error(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.case_manager)
        response = client.get(
            reverse("casework:caseload"),
            {"stage": "nonsense", "page": "9999", "case_manager": "abc"},
        )
        assert response.status_code == 200

    def test_it_needs_login(self, client: Any, world: World) -> None:
        assert client.get(reverse("casework:caseload")).status_code == 302


class TestIntake:
    def test_a_case_worker_registers_and_lands_on_the_file(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        response = client.post(reverse("casework:intake"), _intake_data(world))
        created = Beneficiary.objects.get(first_name="Vera")
        assert response.status_code == 302
        assert response["Location"] == reverse("casework:detail", args=[created.public_id])
        assert created.exploitation_forms == ["sexual", "begging"]
        assert created.team.get().user == world.case_manager

    def test_an_estimated_age_gives_an_estimated_birth_date(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.case_manager)
        client.post(
            reverse("casework:intake"), _intake_data(world, date_of_birth="", estimated_age="16")
        )
        created = Beneficiary.objects.get(first_name="Vera")
        assert created.date_of_birth_estimated
        assert created.is_minor

    def test_errors_show_next_to_the_field_and_nothing_is_saved(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.case_manager)
        future = (TODAY() + timedelta(days=2)).isoformat()
        response = client.post(
            reverse("casework:intake"), _intake_data(world, admitted_on=future, first_name="")
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert "first_name" in form.errors
        assert "admitted_on" in form.errors or "first_name" in form.errors
        assert not Beneficiary.objects.filter(last_name="Sample").exists()
        assert 'value="Sample"' in response.content.decode()

    def test_a_future_admission_is_refused_next_to_the_field(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.case_manager)
        future = (TODAY() + timedelta(days=2)).isoformat()
        response = client.post(reverse("casework:intake"), _intake_data(world, admitted_on=future))
        assert response.context["form"].errors["admitted_on"] == [
            "The admission date cannot be in the future."
        ]

    @pytest.mark.parametrize("born", ["0001-01-01", "9999-12-31", "1850-06-01"])
    def test_absurd_birth_dates_get_a_message_not_an_error(
        self, client: Any, world: World, born: str
    ) -> None:
        client.force_login(world.case_manager)
        response = client.post(reverse("casework:intake"), _intake_data(world, date_of_birth=born))
        assert response.status_code == 200
        assert "date_of_birth" in response.context["form"].errors
        assert not Beneficiary.objects.filter(first_name="Vera").exists()

    def test_both_birth_date_and_estimated_age_is_refused(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        response = client.post(reverse("casework:intake"), _intake_data(world, estimated_age="20"))
        assert "estimated_age" in response.context["form"].errors

    def test_a_likely_duplicate_is_shown_by_code_and_must_be_confirmed(
        self, client: Any, world: World
    ) -> None:
        hidden = make_case(
            case_manager=world.colleague,
            first_name="Vera",
            last_name="Sample",
            date_of_birth=TODAY().replace(year=1995, month=2, day=3),
        )
        client.force_login(world.case_manager)
        response = client.post(reverse("casework:intake"), _intake_data(world))
        body = response.content.decode()
        assert response.status_code == 200
        assert hidden.case_code in body
        assert (
            reverse("casework:detail", args=[hidden.public_id]) not in body
        )  # not the team's case: no link
        assert Beneficiary.objects.filter(first_name="Vera").count() == 1

        response = client.post(
            reverse("casework:intake"), _intake_data(world, not_a_duplicate="on")
        )
        assert response.status_code == 302
        assert Beneficiary.objects.filter(first_name="Vera").count() == 2

    def test_mdt_members_and_administrators_cannot_register(
        self, client: Any, world: World
    ) -> None:
        for user in (world.mdt, world.administrator):
            client.force_login(user)
            assert client.get(reverse("casework:intake")).status_code == 403

    def test_registering_for_someone_else_returns_to_the_caseload(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.case_manager)
        response = client.post(
            reverse("casework:intake"), _intake_data(world, case_manager=world.colleague.pk)
        )
        assert response["Location"] == reverse("casework:caseload")


class TestCaseFile:
    def test_it_shows_the_file_and_logs_the_view(self, client: Any, world: World) -> None:
        client.force_login(world.mdt)
        response = client.get(url("casework:detail", world))
        assert response.status_code == 200
        assert world.case.case_code in response.content.decode()
        log = CaseAccess.objects.get(user=world.mdt)
        assert (log.beneficiary, log.action, log.what) == (world.case, "view_file", "detail")

    def test_it_flags_a_stage_longer_than_typical(self, client: Any, world: World) -> None:
        eight_months_ago = TODAY() - timedelta(days=250)
        late = make_case(
            case_manager=world.case_manager, first_name="Late", admitted_on=eight_months_ago
        )
        client.force_login(world.case_manager)
        body = client.get(reverse("casework:detail", args=[late.public_id])).content.decode()
        assert "longer than typical" in body
        assert (
            "longer than typical" not in client.get(url("casework:detail", world)).content.decode()
        )
        # A closed case is not behind anything.
        close_case(late, world.case_manager)
        body = client.get(reverse("casework:detail", args=[late.public_id])).content.decode()
        assert "longer than typical" not in body and "Expected after" not in body

    def test_mdt_members_do_not_get_manager_buttons(self, client: Any, world: World) -> None:
        client.force_login(world.mdt)
        body = client.get(url("casework:detail", world)).content.decode()
        assert url("stage_change", world) not in body
        assert url("close", world) not in body
        assert url("consent_add", world) in body


class TestProfileEdit:
    def test_the_case_manager_edits_the_profile(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        form = client.get(url("profile_edit", world)).context["form"]
        data = {
            k: v
            for k, v in form.initial.items()
            if v is not None and k not in {"exploitation_forms", "complex_factors"}
        }
        data.update(
            alias="Nina",
            admitted_on=world.case.admitted_on.isoformat(),
            date_of_birth="1998-05-17",
            **opened(world.case),
        )
        response = client.post(url("profile_edit", world), data)
        assert response.status_code == 302, response.context["form"].errors
        world.case.refresh_from_db()
        assert world.case.alias == "Nina"

    def test_an_mdt_member_may_not(self, client: Any, world: World) -> None:
        client.force_login(world.mdt)
        assert client.post(url("profile_edit", world), {}).status_code == 403


class TestTeamViews:
    def test_add_end_and_handover(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        assert client.get(url("team", world)).status_code == 200
        response = client.post(
            url("team_add", world),
            {
                "user": world.colleague.pk,
                "discipline": "social_worker",
                "started_on": TODAY().isoformat(),
            },
        )
        assert response.status_code == 302
        membership = world.case.team.get(user=world.colleague)
        response = client.post(
            url("team_end", world, membership.public_id),
            {"ended_on": TODAY().isoformat(), "reason": "Done"},
        )
        assert response.status_code == 302
        membership.refresh_from_db()
        assert membership.ended_on == TODAY()

        client.force_login(world.supervisor)
        response = client.post(
            url("team_handover", world),
            {
                "case_manager": world.colleague.pk,
                "handover_on": TODAY().isoformat(),
                "note": "Leave",
            },
        )
        assert response.status_code == 302
        assert world.case.team.get(ended_on=None, role="case_manager").user == world.colleague

    def test_adding_someone_already_on_the_team_shows_the_error(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.case_manager)
        response = client.post(
            url("team_add", world),
            {"user": world.mdt.pk, "discipline": "psychologist", "started_on": TODAY().isoformat()},
        )
        assert response.status_code == 200
        assert "already on the case team" in response.content.decode()

    @pytest.mark.parametrize("name", ["team_add", "team_handover"])
    def test_they_are_post_only(self, client: Any, world: World, name: str) -> None:
        client.force_login(world.case_manager)
        assert client.get(url(name, world)).status_code == 405


class TestRecords:
    def test_family_member_add_and_edit(self, client: Any, world: World) -> None:
        client.force_login(world.mdt)
        data = {
            "name": "Aunt Ola",
            "relationship": "other_relative",
            "attitude": "supportive",
            "knows_what_happened": "knows",
            "risk": "none",
        }
        assert client.post(url("family_add", world), data).status_code == 302
        member = FamilyMember.objects.get()
        response = client.post(
            url("family_edit", world, member.public_id),
            {**data, "risk": "high", "risk_notes": "Pressure", **opened(member)},
        )
        assert response.status_code == 302
        member.refresh_from_db()
        assert member.risk == "high"
        assert member.history.latest().history_user == world.mdt

    def test_family_member_needs_a_name(self, client: Any, world: World) -> None:
        client.force_login(world.mdt)
        response = client.post(
            url("family_add", world),
            {
                "relationship": "mother",
                "attitude": "unknown",
                "knows_what_happened": "unknown",
                "risk": "unknown",
            },
        )
        assert response.status_code == 200
        assert "This field is required." in response.content.decode()
        assert not FamilyMember.objects.exists()

    def test_child_add_and_edit(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        data = {"first_name": "Teo", "sex": "male", "situation": "born_of", "needs": "Crèche place"}
        assert client.post(url("child_add", world), data).status_code == 302
        child = Child.objects.get()
        future = (TODAY() + timedelta(days=9)).isoformat()
        response = client.post(
            url("child_edit", world, child.public_id), {**data, "date_of_birth": future}
        )
        assert response.status_code == 200
        assert "The date of birth cannot be in the future." in response.content.decode()

    def test_consent_record_and_withdraw(self, client: Any, world: World) -> None:
        client.force_login(world.mdt)
        data = {
            "scope": "sharing",
            "given_by": "beneficiary",
            "given_on": TODAY().isoformat(),
            "method": "written",
        }
        response = client.post(url("consent_add", world), data)
        assert response.status_code == 200
        assert "Choose the organisation from the directory" in response.content.decode()
        response = client.post(url("consent_add", world), {**data, "shared_with": "Clinic"})
        assert "Tick the information the person agrees to share." in response.content.decode()
        assert (
            client.post(
                url("consent_add", world),
                {**data, "shared_with": "Clinic", "information": ["identity", "needs"]},
            ).status_code
            == 302
        )
        consent = Consent.objects.get()
        response = client.post(
            url("consent_withdraw", world, consent.public_id),
            {"withdrawn_on": TODAY().isoformat(), "reason": "No longer"},
        )
        assert response.status_code == 302
        consent.refresh_from_db()
        assert consent.withdrawn_on == TODAY()
        body = client.get(url("casework:detail", world)).content.decode()
        assert "withdrawn" in body and "Clinic" in body

    def test_stage_change(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        response = client.post(
            url("stage_change", world),
            {"to_stage": "crisis", "changed_on": TODAY().isoformat(), "reason": "x"},
        )
        assert "The case is already in this stage." in response.content.decode()
        response = client.post(
            url("stage_change", world),
            {"to_stage": "transition", "changed_on": TODAY().isoformat(), "reason": "Job"},
        )
        assert response.status_code == 302
        world.case.refresh_from_db()
        assert world.case.stage == Stage.TRANSITION

    def test_setback_with_a_stage_move_needs_a_manager(self, client: Any, world: World) -> None:
        services.stage_change(
            beneficiary=world.case,
            actor=world.case_manager,
            to_stage=Stage.TRANSITION,
            changed_on=TODAY(),
            reason="x",
        )
        data = {
            "category": "illness",
            "occurred_on": TODAY().isoformat(),
            "severity": "severe",
            "description": "Hospital",
            "move_to_stage": "crisis",
        }
        client.force_login(world.mdt)
        response = client.post(url("setback_add", world), data)
        assert (
            "Only the case manager or a supervisor changes the stage." in response.content.decode()
        )
        assert not Setback.objects.exists()
        client.force_login(world.case_manager)
        assert client.post(url("setback_add", world), data).status_code == 302
        world.case.refresh_from_db()
        assert world.case.stage == Stage.CRISIS

    def test_close_reopen_and_decline(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        today = TODAY().isoformat()
        assert (
            client.post(
                url("close", world), {"closed_on": today, "reason": "moved", "notes": ""}
            ).status_code
            == 302
        )
        world.case.refresh_from_db()
        assert world.case.status == CaseStatus.CLOSED
        response = client.post(url("close", world), {"closed_on": today, "reason": "moved"})
        assert "The case is closed. Reopen it first." in response.content.decode()
        assert (
            client.post(url("reopen", world), {"reopened_on": today, "reason": "Back"}).status_code
            == 302
        )
        response = client.post(
            url("decline", world),
            {
                "declined_on": today,
                "scope": "full",
                "reasons": "Own way",
                "told_help_remains_available": "on",
            },
        )
        assert response.status_code == 302
        world.case.refresh_from_db()
        assert world.case.status == CaseStatus.CLOSED
        body = client.get(url("casework:detail", world)).content.decode()
        assert "reopened 1 time" in body


class TestHistoryAndAccessLog:
    def test_history_lists_changes_with_their_author(self, client: Any, world: World) -> None:
        client.force_login(world.mdt)
        response = client.get(url("history", world))
        entries = response.context["entries"]
        assert {e.record for e in entries} >= {"Beneficiary", "Team membership", "Stage change"}
        assert all(e.user in {world.case_manager, world.mdt} for e in entries)
        assert CaseAccess.objects.filter(user=world.mdt, action="view_history").exists()

    def test_the_access_log_is_for_supervisors(self, client: Any, world: World) -> None:
        client.force_login(world.mdt)
        client.get(url("casework:detail", world))
        client.force_login(world.case_manager)
        assert client.get(url("access_log", world)).status_code == 403
        client.force_login(world.supervisor)
        response = client.get(url("access_log", world))
        assert response.status_code == 200
        rows = response.context["rows"]
        assert [(r.user, r.action) for r in rows[:2]] == [
            (world.supervisor, "view_access_log"),
            (world.mdt, "view_file"),
        ]
