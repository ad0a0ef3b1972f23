"""The deadlines of a new case, defined once and read by every app that shows or reminds."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cases.deadlines import (
    admitted_before_first_plan_due,
    assessment_due,
    first_plan_due,
    initial_assessment_due,
)
from plans.selectors import plan_summary
from tests.conftest import World
from tests.factories import make_case


def test_the_assessment_is_due_in_two_weeks_and_the_first_plan_in_a_month() -> None:
    admitted = date(2026, 3, 1)
    assert initial_assessment_due(admitted) == date(2026, 3, 15)
    assert assessment_due(date(2026, 6, 10)) == date(2026, 6, 24)
    assert first_plan_due(admitted) == date(2026, 3, 31)


def test_the_query_form_of_the_plan_rule_agrees_with_it() -> None:
    day = date(2026, 4, 10)
    cutoff = admitted_before_first_plan_due(day)
    assert first_plan_due(cutoff) == day  # admitted on the cutoff: due that very day
    assert first_plan_due(cutoff - timedelta(days=1)) < day


@pytest.mark.django_db
def test_a_registered_case_carries_both_deadlines(world: World) -> None:
    case = make_case(case_manager=world.case_manager, admitted_on=date(2026, 1, 5))
    assert case.assessments.get().due_on == initial_assessment_due(case.admitted_on)
    assert plan_summary(case).due_on == first_plan_due(case.admitted_on)
