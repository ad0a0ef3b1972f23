"""The reminder scan tells the case manager when a safety plan's review falls due, and the
supervisors once it is overdue past the grace period; it names only the kind and the case."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services
from cases.models import Beneficiary, SafetyPlan
from core.records import version_of
from monitoring import reminders
from notifications.models import Notification, NotificationKind
from tests.conftest import World
from tests.factories import close_case, make_case

REVIEW = NotificationKind.SAFETY_PLAN_REVIEW


def _plan(case: Beneficiary, actor: Any, review_in_days: int) -> SafetyPlan:
    return services.safety_plan_record(
        beneficiary=case,
        actor=actor,
        data={
            "code_word": "Lighthouse",
            "what_to_do": "Call the on-call worker.",
            "agreed_on": case.admitted_on,
            "review_on": timezone.localdate() + timedelta(days=review_in_days),
        },
    )


def _on(day: date) -> Any:
    """The clock on that day, at noon: the scan reads today from it."""
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(12))), tick=False)


def _reviews(user: Any) -> list[tuple[date, bool]]:
    return list(
        Notification.objects.filter(recipient=user, kind=REVIEW).values_list("due_on", "escalated")
    )


def test_the_case_manager_is_reminded_on_the_review_date(world: World) -> None:
    plan = _plan(world.case, world.case_manager, review_in_days=10)
    reminders.scan()
    assert not Notification.objects.filter(kind=REVIEW).exists()

    with _on(plan.review_on - timedelta(days=1)):
        reminders.scan()
    assert not Notification.objects.filter(kind=REVIEW).exists()

    with _on(plan.review_on):
        reminders.scan()
        reminders.scan()  # idempotent
    assert _reviews(world.case_manager) == [(plan.review_on, False)]
    # Not the MDT member's, nor (within the grace period) the supervisors'.
    assert not Notification.objects.filter(
        kind=REVIEW, recipient__in=[world.mdt, world.supervisor, world.colleague, world.outsider]
    ).exists()


def test_past_the_grace_period_the_supervisors_are_told(world: World) -> None:
    plan = _plan(world.case, world.case_manager, review_in_days=5)
    late = plan.review_on + timedelta(days=settings.REMINDER_ESCALATION_DAYS + 1)
    with _on(late):
        reminders.scan()
    assert _reviews(world.case_manager) == [(plan.review_on, False)]
    assert _reviews(world.supervisor) == [(plan.review_on, True)]


def test_a_review_sets_the_next_reminder(world: World) -> None:
    plan = _plan(world.case, world.case_manager, review_in_days=3)
    first, second = plan.review_on, plan.review_on + timedelta(days=90)
    with _on(first):
        reminders.scan()
        services.safety_plan_update(
            plan=plan,
            actor=world.case_manager,
            data={"reviewed_on": first, "review_on": second},
            opened_at=version_of(plan),
        )
        reminders.scan()
    assert _reviews(world.case_manager) == [(first, False)]
    with _on(second):
        reminders.scan()
    assert sorted(due for due, _ in _reviews(world.case_manager)) == [first, second]


def test_a_closed_case_is_not_reminded(world: World) -> None:
    plan = _plan(world.case, world.case_manager, review_in_days=2)
    close_case(world.case, world.case_manager)
    with _on(plan.review_on + timedelta(days=30)):
        reminders.scan()
    assert not Notification.objects.filter(kind=REVIEW).exists()


def test_the_reminder_names_only_the_kind_and_the_case_code(world: World) -> None:
    plan = _plan(world.case, world.case_manager, review_in_days=1)
    with _on(plan.review_on):
        reminders.scan()
    text = Notification.objects.get(kind=REVIEW, recipient=world.case_manager).text
    assert world.case.case_code in text and "Safety plan review due" in text
    for secret in ("Lighthouse", "on-call", world.case.first_name, world.case.last_name):
        assert secret not in text


def _scan_queries(day: date) -> int:
    with _on(day), CaptureQueriesContext(connection) as captured:
        reminders.scan()
    return len(captured)


def test_the_scan_runs_the_same_queries_however_many_plans_fall_due(world: World) -> None:
    day = timezone.localdate() + timedelta(days=20)
    _plan(world.case, world.case_manager, review_in_days=5)
    few = _scan_queries(day)
    for n in range(8):
        case = make_case(case_manager=world.colleague, first_name=f"Many{n}")
        _plan(case, world.colleague, review_in_days=5 + n % 3)
    assert _scan_queries(day) == few
