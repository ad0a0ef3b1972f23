from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.choices import OutcomeDomain
from cases.models import CaseAccess
from core.records import version_of
from plans.models import Goal, PlanStatus, PlanVersion
from tests.conftest import World
from tests.factories import opened, score_versions

from .conftest import sign_all

TODAY = timezone.localdate


def _url(name: str, world: World, version: PlanVersion, *more: Any) -> str:
    return reverse(f"plans:{name}", args=[world.case.public_id, version.public_id, *more])


def _complete_assessment(world: World) -> None:
    assessment = world.case.assessments.get()
    for s in assessment.sections.all():
        data = {
            "needs": f"Needs in {s.domain}",
            "priority": "high" if s.domain == "housing" else "none",
        }
        assessment_services.section_save(
            section=s, actor=world.case_manager, data=data, complete=True, opened_at=version_of(s)
        )
    assessment_services.scores_save(
        assessment=assessment,
        actor=world.case_manager,
        scores={d: (3, "") for d in OutcomeDomain.values},
        opened_at=score_versions(assessment),
    )
    assessment_services.assessment_complete(
        assessment=assessment,
        actor=world.case_manager,
        beneficiary_present=True,
        beneficiary_views="ok",
        summary="ok",
    )


class TestDraftingPages:
    def test_start_offers_prioritised_needs_as_goals(self, client: Any, world: World) -> None:
        _complete_assessment(world)
        client.force_login(world.case_manager)
        response = client.post(
            reverse("plans:start", args=[world.case.public_id]),
            {"own_goals": "A home", "participants": "Ana"},
        )
        version = PlanVersion.objects.get()
        assert response["Location"] == _url("version", world, version)
        page = client.get(_url("version", world, version))
        suggestions = page.context["suggestions"]
        assert [s.domain for s in suggestions] == ["housing"]  # priority none is not offered
        form = client.get(
            _url("goal_add", world, version) + f"?from_section={suggestions[0].public_id}"
        ).context["form"]
        assert form.initial == {"domain": "housing", "description": "Needs in housing"}

    def test_a_bad_suggestion_id_is_ignored(
        self, client: Any, world: World, plan: PlanVersion
    ) -> None:
        client.force_login(world.case_manager)
        assert (
            client.get(_url("goal_add", world, plan) + "?from_section=nonsense").status_code == 200
        )

    def test_a_task_after_the_goal_target_warns(
        self, client: Any, world: World, plan: PlanVersion, goal: Goal
    ) -> None:
        client.force_login(world.case_manager)
        late = (goal.target_date + timedelta(days=5)).isoformat()
        response = client.post(
            _url("task_add", world, plan, goal.public_id),
            {"description": "Visit", "assigned_to": world.mdt.pk, "due_on": late},
            follow=True,
        )
        assert "The task is due after the goal&#x27;s target date" in response.content.decode()
        assert goal.tasks.count() == 2

    def test_a_task_for_someone_off_the_team_is_refused(
        self, client: Any, world: World, plan: PlanVersion, goal: Goal
    ) -> None:
        client.force_login(world.case_manager)
        response = client.post(
            _url("task_add", world, plan, goal.public_id),
            {
                "description": "Visit",
                "assigned_to": world.colleague.pk,
                "due_on": TODAY().isoformat(),
            },
        )
        assert response.status_code == 200
        assert goal.tasks.count() == 1


class TestSigningPages:
    def test_signing_with_no_goals_is_refused_clearly(
        self, client: Any, world: World, plan: PlanVersion
    ) -> None:
        client.force_login(world.case_manager)
        data = {
            "role": "beneficiary",
            "signer_name": "Ana",
            "signed_on": TODAY().isoformat(),
            "method": "on_screen",
            "attested": "on",
            "read_in": "English",
        }
        response = client.post(_url("sign", world, plan), data)
        assert "A plan with no goals cannot be signed." in response.content.decode()

    def test_record_both_signatures_then_the_plan_is_signed(
        self, client: Any, world: World, plan: PlanVersion, goal: Goal
    ) -> None:
        client.force_login(world.case_manager)
        for role, name in (("beneficiary", "Ana Testova"), ("case_manager", "Staff Tester")):
            data = {
                "role": role,
                "signer_name": name,
                "signed_on": TODAY().isoformat(),
                "method": "paper",
                "witness": "Lea",
                "read_in": "Shqip",
                "interpreter": "Dritan",
            }
            assert client.post(_url("sign", world, plan), data).status_code == 302
        plan.refresh_from_db()
        assert plan.status == PlanStatus.SIGNED
        body = client.get(_url("version", world, plan)).content.decode()
        assert plan.fingerprint in body
        assert (
            client.get(_url("goal_edit", world, plan, goal.public_id)).status_code == 200
        )  # shows the form
        response = client.post(
            _url("goal_edit", world, plan, goal.public_id),
            {
                "domain": "economic",
                "description": "x",
                "target_date": TODAY().isoformat(),
                "indicator": "y",
            },
        )
        assert "content is locked" in response.content.decode()

    def test_progress_by_the_mdt_on_a_signed_plan(
        self, client: Any, world: World, plan: PlanVersion, goal: Goal
    ) -> None:
        sign_all(world, plan)
        client.force_login(world.mdt)
        task = goal.tasks.get()
        assert (
            client.post(
                _url("task_progress", world, plan, task.public_id),
                {"status": "done", **opened(task)},
            ).status_code
            == 302
        )
        assert (
            client.post(
                _url("goal_progress", world, plan, goal.public_id),
                {"status": "achieved", "note": "", **opened(goal)},
            ).status_code
            == 302
        )
        plan.refresh_from_db()
        assert plan.status == PlanStatus.SIGNED

    def test_a_new_version_after_signing(
        self, client: Any, world: World, plan: PlanVersion, goal: Goal
    ) -> None:
        sign_all(world, plan)
        client.force_login(world.case_manager)
        response = client.post(
            _url("new_version", world, plan), {"reason": "Review after a setback"}
        )
        second = PlanVersion.objects.get(number=2)
        assert response["Location"] == _url("version", world, second)
        assert (
            client.get(_url("version", world, plan)).status_code == 200
        )  # the signed one stays readable


class TestPdfDownload:
    def test_it_downloads_and_writes_the_access_log(
        self, client: Any, world: World, plan: PlanVersion, goal: Goal
    ) -> None:
        client.force_login(world.mdt)
        response = client.get(_url("pdf", world, plan))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert world.case.case_code in response["Content-Disposition"]
        assert world.case.last_name not in response["Content-Disposition"]
        log = CaseAccess.objects.filter(user=world.mdt).latest("at")
        assert (log.action, log.what) == ("print", "pdf")


class TestStatusOnTheCaseFile:
    def test_overdue_shows_on_case_file_and_caseload(self, client: Any, world: World) -> None:
        old = timezone.localdate() - timedelta(days=45)
        from tests.factories import make_case

        late = make_case(case_manager=world.case_manager, first_name="Late", admitted_on=old)
        client.force_login(world.case_manager)
        body = client.get(reverse("casework:detail", args=[late.public_id])).content.decode()
        assert "overdue" in body
        rows = client.get(reverse("casework:caseload")).context["cases"]
        summary = next(c for c in rows if c.pk == late.pk).plan_summary
        assert (summary.status, summary.overdue) == (PlanStatus.NOT_STARTED, True)


def test_a_childs_own_view_of_a_goal_is_asked_and_shown(
    client: Any, world: World, plan: PlanVersion, goal: Goal
) -> None:
    url = _url("goal_edit", world, plan, goal.public_id)
    client.force_login(world.case_manager)
    assert "The person&#x27;s own view of this goal" in client.get(url).content.decode()
    world.case.date_of_birth = timezone.localdate() - timedelta(days=15 * 365)
    world.case.save()
    form = client.get(url).content.decode()
    assert "The child&#x27;s own view of this goal" in form
    data = {
        "domain": goal.domain,
        "description": goal.description,
        "target_date": goal.target_date.isoformat(),
        "indicator": goal.indicator,
        "own_view": "I want to live near my school.",
        **opened(goal),
    }
    assert client.post(url, data).status_code == 302
    page = client.get(_url("version", world, plan)).content.decode()
    assert "The child's own view: I want to live near my school." in page
