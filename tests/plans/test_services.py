from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments import services as assessment_services
from assessments.choices import OutcomeDomain
from core.records import version_of
from plans import services
from plans.models import Goal, PlanStatus, PlanVersion, Signature
from plans.selectors import plan_summary
from tests.conftest import World
from tests.factories import make_case, score_versions

from .conftest import goal_data, sign_all, signature_data

TODAY = timezone.localdate


class TestDrafting:
    def test_the_first_version_starts_from_the_latest_completed_assessment(
        self, world: World
    ) -> None:
        assessment = world.case.assessments.get()
        for s in assessment.sections.all():
            assessment_services.section_save(
                section=s,
                actor=world.case_manager,
                data={"needs": "x", "priority": "high"},
                complete=True,
                opened_at=version_of(s),
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
        plan = services.plan_start(beneficiary=world.case, actor=world.case_manager)
        assert (plan.number, plan.based_on_assessment, plan.status) == (
            1,
            assessment,
            PlanStatus.DRAFT,
        )

    def test_a_case_has_one_plan(self, world: World, plan: PlanVersion) -> None:
        with pytest.raises(ValidationError):
            services.plan_start(beneficiary=world.case, actor=world.case_manager)

    def test_goal_target_before_admission_is_refused(self, world: World, plan: PlanVersion) -> None:
        with pytest.raises(ValidationError) as error:
            services.goal_save(
                version=plan,
                actor=world.case_manager,
                data=goal_data(target_date=world.case.admitted_on - timedelta(days=1)),
            )
        assert "target_date" in error.value.message_dict

    def test_a_task_belongs_to_a_team_member_or_an_organisation(
        self, world: World, goal: Goal
    ) -> None:
        due = TODAY() + timedelta(days=5)
        with pytest.raises(ValidationError):
            services.task_save(
                goal=goal,
                actor=world.case_manager,
                data={"description": "x", "assigned_to": world.colleague, "due_on": due},
            )
        with pytest.raises(ValidationError):
            services.task_save(
                goal=goal,
                actor=world.case_manager,
                data={"description": "x", "due_on": due, "external_organisation": " "},
            )
        task = services.task_save(
            goal=goal,
            actor=world.case_manager,
            data={"description": "x", "due_on": due, "external_organisation": "Job centre"},
        )
        assert task.owner_label == "Job centre"


class TestSigning:
    def test_both_signatures_make_the_plan_active_and_locked(
        self, world: World, plan: PlanVersion, goal: Goal
    ) -> None:
        services.signature_record(
            version=plan, actor=world.case_manager, data=signature_data("beneficiary")
        )
        plan.refresh_from_db()
        assert plan.status == PlanStatus.AWAITING_SIGNATURES
        with pytest.raises(ValidationError):
            services.goal_save(
                version=plan,
                actor=world.case_manager,
                data=goal_data(),
                goal=goal,
                opened_at=version_of(goal),
            )
        services.signature_record(
            version=plan, actor=world.case_manager, data=signature_data("case_manager")
        )
        plan.refresh_from_db()
        assert plan.status == PlanStatus.SIGNED
        assert plan.signed_on == TODAY()
        assert len(plan.fingerprint) == 64

    def test_a_plan_with_no_goals_cannot_be_signed(self, world: World, plan: PlanVersion) -> None:
        with pytest.raises(ValidationError) as error:
            services.signature_record(
                version=plan, actor=world.case_manager, data=signature_data("beneficiary")
            )
        assert "no goals" in error.value.messages[0]
        assert not Signature.objects.exists()

    def test_a_second_signature_in_the_same_role_is_refused(
        self, world: World, plan: PlanVersion, goal: Goal
    ) -> None:
        services.signature_record(
            version=plan, actor=world.case_manager, data=signature_data("beneficiary")
        )
        with pytest.raises(ValidationError) as error:
            services.signature_record(
                version=plan, actor=world.case_manager, data=signature_data("beneficiary")
            )
        assert "role" in error.value.message_dict

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"method": "paper", "witness": ""}, "witness"),
            ({"method": "on_screen", "attested": False}, "attested"),
            ({"signed_on": TODAY() + timedelta(days=1)}, "signed_on"),
        ],
    )
    def test_how_it_was_signed_is_checked(
        self, world: World, plan: PlanVersion, goal: Goal, overrides: dict, field: str
    ) -> None:
        with pytest.raises(ValidationError) as error:
            services.signature_record(
                version=plan,
                actor=world.case_manager,
                data=signature_data("beneficiary", **overrides),
            )
        assert field in error.value.message_dict

    def test_a_child_also_needs_a_parent_or_guardian(self, world: World) -> None:
        born = TODAY() - timedelta(days=365 * 16)
        child = make_case(case_manager=world.case_manager, first_name="Kid", date_of_birth=born)
        plan = services.plan_start(beneficiary=child, actor=world.case_manager)
        services.goal_save(version=plan, actor=world.case_manager, data=goal_data())
        sign_all(world, plan)
        assert plan.status == PlanStatus.AWAITING_SIGNATURES
        with pytest.raises(ValidationError) as error:
            services.signature_record(
                version=plan, actor=world.case_manager, data=signature_data("guardian")
            )
        assert "relationship" in error.value.message_dict
        services.signature_record(
            version=plan,
            actor=world.case_manager,
            data=signature_data("guardian", relationship="Aunt, appointed guardian"),
        )
        plan.refresh_from_db()
        assert plan.status == PlanStatus.SIGNED

    def test_an_adult_plan_takes_no_guardian_signature(
        self, world: World, plan: PlanVersion, goal: Goal
    ) -> None:
        with pytest.raises(ValidationError):
            services.signature_record(
                version=plan,
                actor=world.case_manager,
                data=signature_data("guardian", relationship="Mother"),
            )

    def test_age_is_taken_on_the_day_of_signing(self, world: World) -> None:
        eighteenth = TODAY() - timedelta(days=3)
        born = eighteenth.replace(year=eighteenth.year - 18)
        turned_adult = make_case(
            case_manager=world.case_manager, first_name="Now adult", date_of_birth=born
        )
        assert services.required_roles(turned_adult, eighteenth - timedelta(days=1)) == {
            "beneficiary",
            "case_manager",
            "guardian",
        }
        assert services.required_roles(turned_adult, eighteenth) == {"beneficiary", "case_manager"}


class TestVersions:
    def test_a_change_makes_a_new_version_and_keeps_the_signed_one(
        self, world: World, plan: PlanVersion, goal: Goal
    ) -> None:
        sign_all(world, plan)
        first_fingerprint = plan.fingerprint
        second = services.plan_new_version(
            version=plan, actor=world.case_manager, reason="Setback: lost job"
        )
        plan.refresh_from_db()
        assert plan.status == PlanStatus.SUPERSEDED and plan.fingerprint == first_fingerprint
        assert second.number == 2 and second.status == PlanStatus.DRAFT
        assert [g.description for g in second.goals.all()] == [goal.description]
        assert second.goals.get().tasks.count() == 1
        services.goal_save(
            version=second,
            actor=world.case_manager,
            data=goal_data(description="Find housing", domain="housing"),
        )
        sign_all(world, second)
        assert second.fingerprint != first_fingerprint
        assert plan.goals.count() == 1  # the old version reads as it was signed

    def test_a_draft_is_changed_directly(self, world: World, plan: PlanVersion) -> None:
        with pytest.raises(ValidationError):
            services.plan_new_version(version=plan, actor=world.case_manager, reason="x")

    def test_the_fingerprint_is_stable_for_identical_content(
        self, world: World, plan: PlanVersion, goal: Goal
    ) -> None:
        before = services.fingerprint(plan)
        assert services.fingerprint(plan) == before
        services.goal_progress(
            goal=goal, actor=world.mdt, status="in_progress", note="", opened_at=version_of(goal)
        )
        assert services.fingerprint(plan) == before  # progress is not content
        services.goal_save(
            version=plan,
            actor=world.case_manager,
            data=goal_data(indicator="Signed contract"),
            goal=goal,
            opened_at=version_of(goal),
        )
        assert services.fingerprint(plan) != before


class TestProgress:
    def test_progress_on_a_signed_plan_needs_no_new_signatures(
        self, world: World, plan: PlanVersion, goal: Goal
    ) -> None:
        sign_all(world, plan)
        services.goal_progress(
            goal=goal,
            actor=world.mdt,
            status="achieved",
            note="Contract signed",
            opened_at=version_of(goal),
        )
        services.task_progress(
            task=goal.tasks.get(),
            actor=world.mdt,
            status="done",
            opened_at=version_of(goal.tasks.get()),
        )
        plan.refresh_from_db()
        assert plan.status == PlanStatus.SIGNED
        goal.refresh_from_db()
        assert goal.history.count() == 2

    def test_dropping_a_goal_needs_a_reason(self, world: World, goal: Goal) -> None:
        with pytest.raises(ValidationError):
            services.goal_progress(
                goal=goal,
                actor=world.case_manager,
                status="dropped",
                note="",
                opened_at=version_of(goal),
            )


class TestOverdue:
    def test_no_signed_plan_a_month_after_admission_is_overdue(self, world: World) -> None:
        due = world.case.admitted_on + timedelta(days=30)
        with time_machine.travel(due, tick=False):
            assert not plan_summary(world.case).overdue
        with time_machine.travel(due + timedelta(days=1), tick=False):
            summary = plan_summary(world.case)
            assert (summary.status, summary.overdue) == (PlanStatus.NOT_STARTED, True)

    def test_a_signed_plan_is_never_overdue(
        self, world: World, plan: PlanVersion, goal: Goal
    ) -> None:
        sign_all(world, plan)
        with time_machine.travel(world.case.admitted_on + timedelta(days=90), tick=False):
            summary = plan_summary(world.case)
            assert (summary.status, summary.overdue) == (PlanStatus.SIGNED, False)
        services.plan_new_version(version=plan, actor=world.case_manager, reason="Change")
        with time_machine.travel(world.case.admitted_on + timedelta(days=90), tick=False):
            summary = plan_summary(world.case)
            assert (summary.status, summary.overdue) == (PlanStatus.DRAFT, False)
