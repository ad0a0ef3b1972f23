"""The write services: happy paths, every rule, atomicity and the recorded author."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role
from cases import services
from cases.choices import (
    AccessAction,
    CaseStatus,
    ClosureReason,
    ConsentGiver,
    ConsentMethod,
    ConsentScope,
    DeclineScope,
    SetbackCategory,
    Severity,
    Stage,
    TeamRole,
)
from cases.models import CaseAccess, Closure, Consent, Setback, StageChange, TeamMembership
from core.records import version_of
from monitoring.timeline import timeline_for
from tests.conftest import World
from tests.factories import OrganisationFactory, UserFactory, make_case

TODAY = timezone.localdate


def _consent_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "scope": ConsentScope.ASSISTANCE,
        "given_by": ConsentGiver.BENEFICIARY,
        "given_on": TODAY() - timedelta(days=10),
        "method": ConsentMethod.WRITTEN,
    }
    data.update(overrides)
    return data


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return (
        error.value.message_dict
        if hasattr(error.value, "error_dict")
        else {"__all__": error.value.messages}
    )


class TestRegister:
    def test_it_opens_a_file_with_code_stage_and_case_manager(self, world: World) -> None:
        case = world.case
        assert case.case_code == f"TA-{TODAY().year}-0001"
        assert case.stage == Stage.CRISIS
        assert case.stage_since == case.admitted_on
        assert case.status == CaseStatus.ACTIVE
        (start,) = case.stage_changes.all()
        assert (start.from_stage, start.to_stage, start.changed_on) == (
            "",
            Stage.CRISIS,
            case.admitted_on,
        )
        manager = case.team.get(role=TeamRole.CASE_MANAGER)
        assert manager.user == world.case_manager
        assert manager.started_on == TODAY()

    def test_case_codes_count_up_within_each_organisation(self, world: World) -> None:
        second = make_case(case_manager=world.case_manager, first_name="Second")
        other = make_case(
            case_manager=UserFactory(organisation=world.other_org), first_name="Elsewhere"
        )
        year = TODAY().year
        assert second.case_code == f"TA-{year}-0002"
        assert other.case_code == f"OS-{year}-0001"

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"date_of_birth": date(2000, 1, 1), "admitted_on": date(1999, 12, 31)}, "admitted_on"),
            ({"admitted_on": TODAY() + timedelta(days=1)}, "admitted_on"),
            ({"date_of_birth": TODAY() + timedelta(days=1)}, "date_of_birth"),
            (
                {"date_of_birth": date(2000, 1, 1), "exploitation_ended_on": date(1999, 1, 1)},
                "exploitation_ended_on",
            ),
            ({"exploitation_ended_on": TODAY() + timedelta(days=3)}, "exploitation_ended_on"),
            ({"exploitation_forms": ["not-a-form"]}, "exploitation_forms"),
            ({"complex_factors": ["disability", "disability"]}, "complex_factors"),
        ],
    )
    def test_it_refuses_impossible_profiles_and_saves_nothing(
        self, world: World, overrides: dict[str, object], field: str
    ) -> None:
        before = (
            world.case.__class__.objects.count(),
            StageChange.objects.count(),
            TeamMembership.objects.count(),
        )
        with pytest.raises(ValidationError) as error:
            make_case(case_manager=world.case_manager, **overrides)
        assert field in _messages(error)
        assert (
            world.case.__class__.objects.count(),
            StageChange.objects.count(),
            TeamMembership.objects.count(),
        ) == before

    def test_only_case_workers_and_supervisors_register(self, world: World) -> None:
        for actor in (world.mdt, world.administrator):
            with pytest.raises(ValidationError):
                make_case(case_manager=world.case_manager, actor=actor)
        assert make_case(case_manager=world.case_manager, actor=world.supervisor, first_name="Ok")

    def test_the_case_manager_must_belong_to_the_organisation(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            make_case(case_manager=world.outsider, actor=world.case_manager)
        assert "case_manager" in _messages(error)

    def test_an_mdt_member_cannot_be_case_manager(self, world: World) -> None:
        with pytest.raises(ValidationError):
            make_case(case_manager=world.mdt, actor=world.case_manager)

    def test_history_records_the_acting_user(self, world: World) -> None:
        record = world.case.history.earliest()
        assert record.history_user == world.case_manager


class TestProfileUpdate:
    def test_it_changes_fields_and_keeps_the_admission_stage_in_step(self, world: World) -> None:
        new_admission = world.case.admitted_on - timedelta(days=5)
        services.beneficiary_update(
            beneficiary=world.case,
            actor=world.supervisor,
            profile={"admitted_on": new_admission, "alias": "Ani"},
            opened_at=version_of(world.case),
        )
        world.case.refresh_from_db()
        assert world.case.alias == "Ani"
        assert world.case.stage_since == new_admission
        assert world.case.stage_changes.get().changed_on == new_admission
        assert world.case.history.latest().history_user == world.supervisor

    def test_admission_cannot_move_past_a_later_stage_change(self, world: World) -> None:
        moved_on = world.case.admitted_on + timedelta(days=5)
        services.stage_change(
            beneficiary=world.case,
            actor=world.case_manager,
            to_stage=Stage.TRANSITION,
            changed_on=moved_on,
            reason="On",
        )
        later = {"admitted_on": moved_on + timedelta(days=1)}
        with pytest.raises(ValidationError) as error:
            services.beneficiary_update(
                beneficiary=world.case,
                actor=world.case_manager,
                profile=later,
                opened_at=version_of(world.case),
            )
        assert "admitted_on" in _messages(error)


class TestTeam:
    def test_it_adds_and_ends_mdt_memberships(self, world: World) -> None:
        doctor = UserFactory(organisation=world.org, role=Role.MDT_MEMBER, discipline="doctor")
        membership = services.team_member_add(
            beneficiary=world.case,
            actor=world.case_manager,
            user=doctor,
            discipline="doctor",
            started_on=TODAY(),
        )
        assert membership.role == TeamRole.MDT
        services.team_member_end(
            membership=membership, actor=world.case_manager, ended_on=TODAY(), reason="Done"
        )
        membership.refresh_from_db()
        assert (membership.ended_on, membership.end_reason, membership.ended_by) == (
            TODAY(),
            "Done",
            world.case_manager,
        )

    def test_it_refuses_someone_already_on_the_team_or_from_elsewhere(self, world: World) -> None:
        for user in (world.mdt, world.outsider, world.administrator):
            with pytest.raises(ValidationError):
                services.team_member_add(
                    beneficiary=world.case,
                    actor=world.case_manager,
                    user=user,
                    discipline="other",
                    started_on=TODAY(),
                )

    def test_the_case_manager_leaves_only_by_handover(self, world: World) -> None:
        manager = world.case.team.get(role=TeamRole.CASE_MANAGER)
        with pytest.raises(ValidationError):
            services.team_member_end(
                membership=manager, actor=world.supervisor, ended_on=TODAY(), reason="x"
            )

    def test_handover_ends_the_old_membership_with_the_reason(self, world: World) -> None:
        services.case_manager_handover(
            beneficiary=world.case,
            actor=world.supervisor,
            new_manager=world.colleague,
            handover_on=TODAY(),
            note="Leave.",
        )
        old = world.case.team.get(user=world.case_manager)
        new = world.case.team.get(user=world.colleague, ended_on=None)
        assert old.ended_on == TODAY()
        assert "Handed over to" in old.end_reason and "Leave." in old.end_reason
        assert new.role == TeamRole.CASE_MANAGER

    def test_handover_to_the_current_manager_is_refused(self, world: World) -> None:
        with pytest.raises(ValidationError):
            services.case_manager_handover(
                beneficiary=world.case,
                actor=world.supervisor,
                new_manager=world.case_manager,
                handover_on=TODAY(),
                note="",
            )

    def test_an_mdt_member_promoted_to_case_manager_keeps_one_membership(
        self, world: World
    ) -> None:
        supervisor_on_team = world.supervisor
        services.team_member_add(
            beneficiary=world.case,
            actor=world.case_manager,
            user=supervisor_on_team,
            discipline="other",
            started_on=TODAY(),
        )
        services.case_manager_handover(
            beneficiary=world.case,
            actor=world.supervisor,
            new_manager=supervisor_on_team,
            handover_on=TODAY(),
            note="",
        )
        active = world.case.team.filter(user=supervisor_on_team, ended_on=None)
        assert [m.role for m in active] == [TeamRole.CASE_MANAGER]


class TestConsent:
    def test_it_records_and_withdraws_without_deleting(self, world: World) -> None:
        consent = services.consent_record(
            beneficiary=world.case, actor=world.mdt, data=_consent_data()
        )
        services.consent_withdraw(
            consent=consent, actor=world.case_manager, withdrawn_on=TODAY(), reason="Changed mind"
        )
        consent.refresh_from_db()
        assert not consent.is_active
        assert consent.withdrawn_by == world.case_manager
        assert Consent.objects.filter(pk=consent.pk).exists()
        assert consent.history.count() == 2

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"scope": ConsentScope.SHARING}, "provider"),
            ({"scope": ConsentScope.SHARING, "shared_with": "A clinic"}, "information"),
            ({"method": ConsentMethod.VERBAL_WITNESSED}, "witness"),
            ({"given_by": ConsentGiver.GUARDIAN}, "given_by_name"),
            ({"given_on": TODAY() + timedelta(days=1)}, "given_on"),
        ],
    )
    def test_it_refuses_incomplete_consents(
        self, world: World, overrides: dict[str, object], field: str
    ) -> None:
        with pytest.raises(ValidationError) as error:
            services.consent_record(
                beneficiary=world.case, actor=world.mdt, data=_consent_data(**overrides)
            )
        assert field in _messages(error)
        assert not Consent.objects.exists()

    def test_a_child_needs_a_parent_or_guardian_and_their_own_view(self, world: World) -> None:
        child = make_case(
            case_manager=world.case_manager, date_of_birth=TODAY() - timedelta(days=365 * 15)
        )
        with pytest.raises(ValidationError) as error:
            services.consent_record(
                beneficiary=child, actor=world.case_manager, data=_consent_data()
            )
        assert {"given_by", "child_view"} <= set(_messages(error))
        consent = services.consent_record(
            beneficiary=child,
            actor=world.case_manager,
            data=_consent_data(
                given_by=ConsentGiver.GUARDIAN, given_by_name="Guardian", child_view="Agrees."
            ),
        )
        assert consent.child_view == "Agrees."

    def test_withdrawal_rules(self, world: World) -> None:
        consent = services.consent_record(
            beneficiary=world.case, actor=world.mdt, data=_consent_data()
        )
        with pytest.raises(ValidationError) as error:
            services.consent_withdraw(
                consent=consent,
                actor=world.mdt,
                withdrawn_on=consent.given_on - timedelta(days=1),
                reason="x",
            )
        assert "withdrawn_on" in _messages(error)
        with pytest.raises(ValidationError):
            services.consent_withdraw(
                consent=consent, actor=world.mdt, withdrawn_on=TODAY(), reason="  "
            )
        services.consent_withdraw(
            consent=consent, actor=world.mdt, withdrawn_on=TODAY(), reason="Asked"
        )
        with pytest.raises(ValidationError):
            services.consent_withdraw(
                consent=consent, actor=world.mdt, withdrawn_on=TODAY(), reason="Again"
            )


class TestStage:
    def test_it_moves_forward_and_back_with_history(self, world: World) -> None:
        forward = services.stage_change(
            beneficiary=world.case,
            actor=world.case_manager,
            to_stage=Stage.TRANSITION,
            changed_on=TODAY(),
            reason="Job",
        )
        back = services.stage_change(
            beneficiary=world.case,
            actor=world.case_manager,
            to_stage=Stage.CRISIS,
            changed_on=TODAY(),
            reason="Lost it",
        )
        assert (forward.direction, back.direction) == ("forward", "back")
        world.case.refresh_from_db()
        assert (world.case.stage, world.case.stage_since) == (Stage.CRISIS, TODAY())
        assert world.case.stage_changes.count() == 3

    @pytest.mark.parametrize(
        ("to_stage", "days_ago", "reason", "field"),
        [
            (Stage.CRISIS, 0, "x", "to_stage"),
            (Stage.TRANSITION, -1, "x", "changed_on"),
            (Stage.TRANSITION, 400, "x", "changed_on"),
            (Stage.TRANSITION, 0, " ", "reason"),
        ],
    )
    def test_it_refuses_bad_changes(
        self, world: World, to_stage: str, days_ago: int, reason: str, field: str
    ) -> None:
        with pytest.raises(ValidationError) as error:
            services.stage_change(
                beneficiary=world.case,
                actor=world.case_manager,
                to_stage=to_stage,
                changed_on=TODAY() - timedelta(days=days_ago),
                reason=reason,
            )
        assert field in _messages(error)
        world.case.refresh_from_db()
        assert world.case.stage == Stage.CRISIS

    def test_a_closed_case_does_not_change_stage(self, world: World) -> None:
        services.case_close(
            beneficiary=world.case,
            actor=world.case_manager,
            closed_on=TODAY(),
            reason=ClosureReason.MOVED,
            mutually_agreed=False,
        )
        with pytest.raises(ValidationError):
            services.stage_change(
                beneficiary=world.case,
                actor=world.case_manager,
                to_stage=Stage.TRANSITION,
                changed_on=TODAY(),
                reason="x",
            )


class TestSetback:
    def _data(self, **overrides: object) -> dict[str, object]:
        data: dict[str, object] = {
            "category": SetbackCategory.JOB_LOSS,
            "occurred_on": TODAY(),
            "severity": Severity.SEVERE,
            "description": "Lost the job.",
        }
        data.update(overrides)
        return data

    def test_a_setback_can_move_the_case_back(self, world: World) -> None:
        services.stage_change(
            beneficiary=world.case,
            actor=world.case_manager,
            to_stage=Stage.TRANSITION,
            changed_on=TODAY(),
            reason="On",
        )
        setback = services.setback_record(
            beneficiary=world.case,
            actor=world.case_manager,
            data=self._data(),
            move_to_stage=Stage.CRISIS,
        )
        assert setback.stage_change.to_stage == Stage.CRISIS
        world.case.refresh_from_db()
        assert world.case.stage == Stage.CRISIS

    def test_nothing_is_half_saved_when_the_stage_move_is_refused(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            services.setback_record(
                beneficiary=world.case,
                actor=world.case_manager,
                data=self._data(),
                move_to_stage=Stage.CRISIS,
            )
        assert "move_to_stage" in _messages(error)
        assert not Setback.objects.exists()

    def test_a_future_setback_is_refused(self, world: World) -> None:
        with pytest.raises(ValidationError):
            services.setback_record(
                beneficiary=world.case,
                actor=world.mdt,
                data=self._data(occurred_on=TODAY() + timedelta(days=1)),
            )


class TestClosure:
    def _close(self, world: World, **overrides: object) -> Closure:
        kwargs: dict[str, object] = {
            "closed_on": TODAY(),
            "reason": ClosureReason.GOALS_ACHIEVED,
            "mutually_agreed": True,
        }
        kwargs.update(overrides)
        return services.case_close(beneficiary=world.case, actor=world.case_manager, **kwargs)  # type: ignore[arg-type]

    def test_close_and_reopen_keep_the_history(self, world: World) -> None:
        self._close(world)
        world.case.refresh_from_db()
        assert world.case.status == CaseStatus.CLOSED
        closure = services.case_reopen(
            beneficiary=world.case, actor=world.supervisor, reopened_on=TODAY(), reason="Back"
        )
        world.case.refresh_from_db()
        assert world.case.status == CaseStatus.ACTIVE
        assert (closure.reopened_on, closure.reopened_by) == (TODAY(), world.supervisor)
        self._close(world)
        assert Closure.objects.filter(beneficiary=world.case).count() == 2

    def test_close_rules(self, world: World) -> None:
        with pytest.raises(ValidationError):
            self._close(world, closed_on=world.case.admitted_on - timedelta(days=1))
        with pytest.raises(ValidationError):
            self._close(world, closed_on=TODAY() + timedelta(days=1))
        self._close(world)
        with pytest.raises(ValidationError):
            self._close(world)

    def test_reopen_rules(self, world: World) -> None:
        with pytest.raises(ValidationError):
            services.case_reopen(
                beneficiary=world.case, actor=world.case_manager, reopened_on=TODAY(), reason="x"
            )
        self._close(world)
        with pytest.raises(ValidationError):
            services.case_reopen(
                beneficiary=world.case,
                actor=world.case_manager,
                reopened_on=TODAY() - timedelta(days=1),
                reason="x",
            )
        with pytest.raises(ValidationError):
            services.case_reopen(
                beneficiary=world.case, actor=world.case_manager, reopened_on=TODAY(), reason=""
            )

    def test_declining_everything_closes_the_case(self, world: World) -> None:
        services.assistance_decline_record(
            beneficiary=world.case,
            actor=world.case_manager,
            data={
                "declined_on": TODAY(),
                "scope": DeclineScope.FULL,
                "reasons": "Own way",
                "told_help_remains_available": True,
            },
        )
        world.case.refresh_from_db()
        assert world.case.status == CaseStatus.CLOSED
        assert world.case.closures.get().reason == ClosureReason.DECLINED

    def test_declining_a_part_needs_the_services_and_keeps_the_case_open(
        self, world: World
    ) -> None:
        data = {"declined_on": TODAY(), "scope": DeclineScope.PARTIAL, "reasons": "No groups"}
        with pytest.raises(ValidationError) as error:
            services.assistance_decline_record(
                beneficiary=world.case, actor=world.case_manager, data=data
            )
        assert "services_declined" in _messages(error)
        services.assistance_decline_record(
            beneficiary=world.case,
            actor=world.case_manager,
            data={**data, "services_declined": "Group therapy"},
        )
        world.case.refresh_from_db()
        assert world.case.status == CaseStatus.ACTIVE


class TestAccessLog:
    def test_it_is_append_only(self, world: World) -> None:
        row = services.access_record(
            beneficiary=world.case, user=world.mdt, action=AccessAction.VIEW_FILE, what="detail"
        )
        with pytest.raises(TypeError):
            row.save()
        with pytest.raises(TypeError):
            row.delete()
        with pytest.raises(TypeError):
            CaseAccess.objects.filter(pk=row.pk).update(what="changed")
        with pytest.raises(TypeError):
            CaseAccess.objects.all().delete()


class TestExpectedStage:
    @pytest.mark.parametrize(
        ("months", "expected"),
        [
            (0, Stage.CRISIS),
            (5, Stage.CRISIS),
            (6, Stage.TRANSITION),
            (11, Stage.TRANSITION),
            (12, Stage.INCLUSION),
            (40, Stage.INCLUSION),
        ],
    )
    def test_months_since_admission_give_the_typical_stage(
        self, world: World, months: int, expected: str
    ) -> None:
        admitted = world.case.admitted_on
        year, month = divmod(admitted.month - 1 + months, 12)
        with time_machine.travel(
            date(admitted.year + year, month + 1, min(admitted.day, 28)), tick=False
        ):
            assert timeline_for(world.case).expected == expected

    def test_a_case_in_crisis_after_eight_months_is_longer_than_typical(self, world: World) -> None:
        with time_machine.travel(world.case.admitted_on + timedelta(days=250), tick=False):
            assert timeline_for(world.case).comparison == "longer"

    def test_minor_status_follows_the_date_of_birth(self, db: None) -> None:
        organisation = OrganisationFactory()
        manager = UserFactory(organisation=organisation)
        born = TODAY() - timedelta(days=365 * 17)
        child = make_case(case_manager=manager, date_of_birth=born)
        assert child.is_minor
        with time_machine.travel(born + timedelta(days=365 * 18 + 10), tick=False):
            assert not child.is_minor
