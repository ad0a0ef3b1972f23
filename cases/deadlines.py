"""The deadlines of a new case, defined once (DOMAIN.md: the needs assessment within two
weeks of admission, the first signed plan within a month)."""

from __future__ import annotations

from datetime import date, timedelta

ASSESSMENT_DAYS = 14
FIRST_PLAN_DAYS = 30


def assessment_due(started_on: date) -> date:
    """An assessment is due two weeks after it starts (a review too)."""
    return started_on + timedelta(days=ASSESSMENT_DAYS)


def initial_assessment_due(admitted_on: date) -> date:
    """The initial needs assessment starts at admission."""
    return assessment_due(admitted_on)


def first_plan_due(admitted_on: date) -> date:
    return admitted_on + timedelta(days=FIRST_PLAN_DAYS)


def admitted_before_first_plan_due(day: date) -> date:
    """Cases admitted before this date have had their first plan due before `day`: the
    same rule, for a query over admission dates."""
    return day - timedelta(days=FIRST_PLAN_DAYS)
