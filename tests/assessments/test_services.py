from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from assessments import services
from assessments.choices import AssessmentKind, AssessmentStatus, OutcomeDomain
from assessments.models import Assessment, SectionOwnership
from assessments.selectors import (
    assessment_status,
    my_sections_to_complete,
    score_history,
    with_progress,
)
from core.records import version_of
from directory.choices import ServiceDomain
from tests.conftest import World
from tests.factories import make_case, score_versions

from .conftest import SECTION_ANSWERS, section


def _status(assessment: Assessment) -> AssessmentStatus:
    return assessment_status(with_progress(Assessment.objects.filter(pk=assessment.pk)).get())


def _finish_all(assessment: Assessment, actor: User) -> None:
    for s in assessment.sections.all():
        services.section_save(
            section=s, actor=actor, data=SECTION_ANSWERS, complete=True, opened_at=version_of(s)
        )
    services.scores_save(
        assessment=assessment,
        actor=actor,
        scores={d: (3, "") for d in OutcomeDomain.values},
        opened_at=score_versions(assessment),
    )


def _complete(assessment: Assessment, actor: User) -> Assessment:
    return services.assessment_complete(
        assessment=assessment,
        actor=actor,
        beneficiary_present=True,
        beneficiary_views="Agrees.",
        summary="Plan next.",
    )


class TestStart:
    def test_intake_creates_the_initial_assessment_due_in_two_weeks(
        self, world: World, assessment: Assessment
    ) -> None:
        assert assessment.kind == AssessmentKind.INITIAL
        assert assessment.started_on == world.case.admitted_on
        assert assessment.due_on == world.case.admitted_on + timedelta(days=14)
        assert {s.domain for s in assessment.sections.all()} == set(ServiceDomain.values)
        assert _status(assessment) == AssessmentStatus.NOT_STARTED

    def test_sections_take_their_owner_from_the_reference_data(
        self, world: World, assessment: Assessment
    ) -> None:
        assert section(assessment, "psychological").owner == "psychologist"
        assert section(assessment, "psychological").sensitive
        assert section(assessment, "housing").owner == "case_manager"
        SectionOwnership.objects.filter(domain="housing").update(owner="social_worker")
        later = make_case(case_manager=world.case_manager, first_name="Later")
        assert later.assessments.get().sections.get(domain="housing").owner == "social_worker"

    def test_a_review_needs_a_reason_and_no_open_assessment(
        self, world: World, assessment: Assessment
    ) -> None:
        with pytest.raises(ValidationError):
            services.assessment_start(
                beneficiary=world.case, actor=world.case_manager, kind="review", reason="Setback"
            )
        _finish_all(assessment, world.case_manager)
        _complete(assessment, world.case_manager)
        with pytest.raises(ValidationError):
            services.assessment_start(
                beneficiary=world.case, actor=world.case_manager, kind="review", reason=" "
            )
        review = services.assessment_start(
            beneficiary=world.case, actor=world.case_manager, kind="review", reason="Setback"
        )
        assert review.due_on == timezone.localdate() + timedelta(days=14)


class TestSections:
    def test_the_owning_discipline_completes_its_section(
        self, world: World, assessment: Assessment
    ) -> None:
        psych = section(assessment, "psychological")
        services.section_save(
            section=psych,
            actor=world.mdt,
            data=SECTION_ANSWERS,
            complete=True,
            opened_at=version_of(psych),
        )
        psych.refresh_from_db()
        assert (psych.completed_by, psych.completed_on) == (world.mdt, timezone.localdate())
        assert psych.history.latest().history_user == world.mdt
        assert _status(assessment) == AssessmentStatus.IN_PROGRESS

    def test_another_discipline_may_not_edit_it(
        self, world: World, assessment: Assessment, doctor: User
    ) -> None:
        with pytest.raises(PermissionDenied):
            services.section_save(
                section=section(assessment, "psychological"),
                actor=doctor,
                data=SECTION_ANSWERS,
                complete=True,
                opened_at=version_of(section(assessment, "psychological")),
            )
        with pytest.raises(PermissionDenied):
            services.section_save(
                section=section(assessment, "housing"),
                actor=world.mdt,
                data=SECTION_ANSWERS,
                complete=False,
                opened_at=version_of(section(assessment, "housing")),
            )

    def test_the_case_manager_and_supervisor_may_edit_every_section(
        self, world: World, assessment: Assessment
    ) -> None:
        services.section_save(
            section=section(assessment, "medical"),
            actor=world.case_manager,
            data=SECTION_ANSWERS,
            complete=True,
            opened_at=version_of(section(assessment, "medical")),
        )
        services.section_save(
            section=section(assessment, "legal"),
            actor=world.supervisor,
            data=SECTION_ANSWERS,
            complete=True,
            opened_at=version_of(section(assessment, "legal")),
        )

    def test_completing_needs_needs_and_priority(
        self, world: World, assessment: Assessment
    ) -> None:
        with pytest.raises(ValidationError) as error:
            services.section_save(
                section=section(assessment, "psychological"),
                actor=world.mdt,
                data={},
                complete=True,
                opened_at=version_of(section(assessment, "psychological")),
            )
        assert set(error.value.message_dict) == {"needs", "priority"}

    def test_not_applicable_needs_a_reason_and_counts_as_done(
        self, world: World, assessment: Assessment
    ) -> None:
        housing = section(assessment, "return")
        with pytest.raises(ValidationError):
            services.section_save(
                section=housing,
                actor=world.case_manager,
                data={"not_applicable": True},
                complete=False,
                opened_at=version_of(housing),
            )
        services.section_save(
            section=housing,
            actor=world.case_manager,
            data={"not_applicable": True, "not_applicable_reason": "Stays here"},
            complete=False,
            opened_at=version_of(housing),
        )
        housing.refresh_from_db()
        assert housing.is_done

    def test_unticking_complete_reopens_a_section(
        self, world: World, assessment: Assessment
    ) -> None:
        psych = section(assessment, "psychological")
        services.section_save(
            section=psych,
            actor=world.mdt,
            data=SECTION_ANSWERS,
            complete=True,
            opened_at=version_of(psych),
        )
        services.section_save(
            section=psych,
            actor=world.mdt,
            data=SECTION_ANSWERS,
            complete=False,
            opened_at=version_of(psych),
        )
        psych.refresh_from_db()
        assert not psych.is_done


class TestCompletion:
    def test_it_is_refused_until_every_section_is_done(
        self, world: World, assessment: Assessment
    ) -> None:
        with pytest.raises(ValidationError) as error:
            _complete(assessment, world.case_manager)
        assert "Medical care (doctor)" in error.value.messages[0]

    def test_it_is_refused_until_every_domain_is_scored(
        self, world: World, assessment: Assessment
    ) -> None:
        for s in assessment.sections.all():
            services.section_save(
                section=s,
                actor=world.case_manager,
                data=SECTION_ANSWERS,
                complete=True,
                opened_at=version_of(s),
            )
        with pytest.raises(ValidationError) as error:
            _complete(assessment, world.case_manager)
        assert "Score every outcome domain" in error.value.messages[0]

    def test_participation_and_summary_are_required(
        self, world: World, assessment: Assessment
    ) -> None:
        _finish_all(assessment, world.case_manager)
        with pytest.raises(ValidationError) as error:
            services.assessment_complete(
                assessment=assessment,
                actor=world.case_manager,
                beneficiary_present=None,
                beneficiary_views="",
                summary="",
            )
        assert set(error.value.message_dict) == {
            "beneficiary_present",
            "beneficiary_views",
            "summary",
        }

    def test_only_the_case_manager_or_supervisor_completes(
        self, world: World, assessment: Assessment
    ) -> None:
        _finish_all(assessment, world.case_manager)
        with pytest.raises(PermissionDenied):
            _complete(assessment, world.mdt)
        done = _complete(assessment, world.supervisor)
        assert _status(done) == AssessmentStatus.COMPLETE

    def test_a_complete_assessment_is_read_only(self, world: World, assessment: Assessment) -> None:
        _finish_all(assessment, world.case_manager)
        _complete(assessment, world.case_manager)
        with pytest.raises(ValidationError):
            services.section_save(
                section=section(assessment, "housing"),
                actor=world.case_manager,
                data={},
                complete=False,
                opened_at=version_of(section(assessment, "housing")),
            )
        with pytest.raises(ValidationError):
            services.scores_save(
                assessment=assessment,
                actor=world.case_manager,
                scores={"safety": (5, "")},
                opened_at=score_versions(assessment),
            )
        with pytest.raises(ValidationError):
            _complete(assessment, world.case_manager)


class TestOverdue:
    def test_it_is_overdue_after_two_weeks_and_late_when_completed_then(
        self, world: World, assessment: Assessment
    ) -> None:
        due = assessment.due_on
        with time_machine.travel(due, tick=False):
            assert not assessment.is_overdue
        with time_machine.travel(due + timedelta(days=1), tick=False):
            assert assessment.is_overdue
            _finish_all(assessment, world.case_manager)
            _complete(assessment, world.case_manager)
        assessment.refresh_from_db()
        assert not assessment.is_overdue
        assert assessment.completed_late

    def test_completed_in_time_is_not_late(self, world: World) -> None:
        recent = make_case(
            case_manager=world.case_manager, first_name="Recent", admitted_on=timezone.localdate()
        )
        assessment = recent.assessments.get()
        _finish_all(assessment, world.case_manager)
        _complete(assessment, world.case_manager)
        assert not assessment.completed_late


class TestMyAssessments:
    def test_each_person_gets_their_own_open_sections(
        self, world: World, assessment: Assessment, doctor: User
    ) -> None:
        assert [s.domain for s in my_sections_to_complete(world.mdt)] == ["psychological"]
        assert [s.domain for s in my_sections_to_complete(doctor)] == ["medical"]
        assert {s.domain for s in my_sections_to_complete(world.case_manager)} == {
            "housing", "economic", "safety", "family", "return",
        }  # fmt: skip
        assert list(my_sections_to_complete(world.colleague)) == []

    def test_done_sections_and_left_teams_drop_out(
        self, world: World, assessment: Assessment, doctor: User
    ) -> None:
        services.section_save(
            section=section(assessment, "psychological"),
            actor=world.mdt,
            data=SECTION_ANSWERS,
            complete=True,
            opened_at=version_of(section(assessment, "psychological")),
        )
        assert list(my_sections_to_complete(world.mdt)) == []
        membership = world.case.team.get(user=doctor)
        from cases.services import team_member_end

        team_member_end(
            membership=membership,
            actor=world.case_manager,
            ended_on=timezone.localdate(),
            reason="Left",
        )
        assert list(my_sections_to_complete(doctor)) == []

    def test_overdue_sections_come_first(self, world: World, doctor: User) -> None:
        old = make_case(
            case_manager=world.case_manager,
            first_name="Older",
            admitted_on=timezone.localdate() - timedelta(days=40),
        )
        from tests.factories import add_mdt

        add_mdt(old, doctor, actor=world.case_manager)
        rows = list(my_sections_to_complete(doctor))
        assert [r.assessment.beneficiary for r in rows] == [old, world.case]
        assert rows[0].assessment.is_overdue


class TestScoreHistory:
    def test_scores_show_first_to_latest_with_the_change(
        self, world: World, assessment: Assessment
    ) -> None:
        _finish_all(assessment, world.case_manager)
        _complete(assessment, world.case_manager)
        review = services.assessment_start(
            beneficiary=world.case, actor=world.case_manager, kind="review", reason="Progress"
        )
        services.scores_save(
            assessment=review,
            actor=world.case_manager,
            scores={"safety": (5, "Feels safe"), "economic": (2, "")},
            opened_at=score_versions(review),
        )
        assessments, rows = score_history(world.case)
        assert assessments == [assessment, review]
        by_domain = {row.domain: row for row in rows}
        assert [s.score for s in by_domain[OutcomeDomain.SAFETY].scores] == [3, 5]
        assert by_domain[OutcomeDomain.SAFETY].change == 2
        assert by_domain[OutcomeDomain.ECONOMIC].change == -1
        assert by_domain[OutcomeDomain.JUSTICE].scores[1] is None

    def test_a_score_must_be_between_one_and_five(
        self, world: World, assessment: Assessment
    ) -> None:
        with pytest.raises(ValidationError):
            services.scores_save(
                assessment=assessment,
                actor=world.case_manager,
                scores={"safety": (7, "")},
                opened_at=score_versions(assessment),
            )
