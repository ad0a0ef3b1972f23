"""Reminders name what is due, and come the day before and on the day as well as overdue."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import time_machine
from django.conf import settings
from django.utils import timezone

from monitoring import reminders
from notifications.models import Notification, NotificationKind
from plans import services as plan_services
from tests.conftest import World
from tests.factories import make_case, make_plan_task
from tests.i18n.helpers import translated

TASK_SOON = NotificationKind.TASK_DUE_SOON
TASK_LATE = NotificationKind.TASK_OVERDUE


def _on(day: date) -> Any:
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(12))), tick=False)


def _rows(user: Any, *kinds: str) -> list[tuple[str, str, bool, bool]]:
    """(kind, subject, escalated, read) of the person's reminders of these kinds."""
    return [
        (n.kind, n.subject, n.escalated, n.read_at is not None)
        for n in Notification.objects.filter(recipient=user, kind__in=kinds).order_by("id")
    ]


def test_a_task_is_reminded_the_day_before_on_the_day_and_when_overdue(world: World) -> None:
    due = timezone.localdate() + timedelta(days=5)
    make_plan_task(
        world.case, world.case_manager, description="Bus pass renewal", assigned_to=world.mdt,
        due_on=due,
    )  # fmt: skip
    with _on(due - timedelta(days=2)):
        reminders.scan()
    assert _rows(world.mdt, TASK_SOON, TASK_LATE) == []

    with _on(due - timedelta(days=1)):
        reminders.scan()
        reminders.scan()  # idempotent
    assert _rows(world.mdt, TASK_SOON, TASK_LATE) == [(TASK_SOON, "Bus pass renewal", False, False)]

    with _on(due):
        reminders.scan()
    # On the day: its own reminder; the day before's is done with.
    assert _rows(world.mdt, TASK_SOON, TASK_LATE) == [
        (TASK_SOON, "Bus pass renewal", False, True),
        (TASK_SOON, "Bus pass renewal", False, False),
    ]

    with _on(due + timedelta(days=1)):
        reminders.scan()
    assert _rows(world.mdt, TASK_SOON, TASK_LATE)[-1] == (
        TASK_LATE,
        "Bus pass renewal",
        False,
        False,
    )
    assert all(read for kind, _s, _e, read in _rows(world.mdt, TASK_SOON))
    # Due soon is never escalated; the supervisors hear only once it is late past the grace.
    assert _rows(world.supervisor, TASK_SOON, TASK_LATE) == []
    with _on(due + timedelta(days=settings.REMINDER_ESCALATION_DAYS + 1)):
        reminders.scan()
    assert _rows(world.supervisor, TASK_SOON, TASK_LATE) == [
        (TASK_LATE, "Bus pass renewal", True, False)
    ]


def test_three_late_tasks_of_one_case_are_told_apart(world: World) -> None:
    late = timezone.localdate() - timedelta(days=2)
    task = make_plan_task(
        world.case, world.case_manager, description="Visit the school", assigned_to=world.case_manager,
        due_on=late,
    )  # fmt: skip
    for description in ("Apply for the ID card", "Book the dentist"):
        plan_services.task_save(
            goal=task.goal,
            actor=world.case_manager,
            data={"description": description, "due_on": late, "assigned_to": world.case_manager},
        )
    reminders.scan()
    subjects = sorted(s for _k, s, _e, _r in _rows(world.case_manager, TASK_LATE))
    assert subjects == ["Apply for the ID card", "Book the dentist", "Visit the school"]


def test_each_kind_names_what_is_due(world: World) -> None:
    # The world's case: admitted 20 days ago, no contact, the initial assessment not done.
    reminders.scan()
    subjects = dict(
        Notification.objects.filter(recipient=world.case_manager).values_list("kind", "subject")
    )
    assert subjects[NotificationKind.CONTACT_OVERDUE] == "Follow-up contact"
    assessment = subjects[NotificationKind.ASSESSMENT_OVERDUE]
    assert assessment.startswith("Initial assessment, sections open: ")
    assert "Housing" in assessment

    late = make_case(
        case_manager=world.colleague,
        first_name="Late",
        admitted_on=timezone.localdate() - timedelta(days=250),
    )
    reminders.scan()
    subjects = dict(Notification.objects.filter(beneficiary=late).values_list("kind", "subject"))
    assert subjects[NotificationKind.PLAN_OVERDUE] == "First signed plan"
    assert subjects[NotificationKind.STAGE_REVIEW].startswith("Stage: ")


def test_the_first_plan_and_the_contact_are_due_soon_too(world: World) -> None:
    fresh = make_case(
        case_manager=world.colleague,
        first_name="Fresh",
        admitted_on=timezone.localdate() - timedelta(days=29),  # the plan is due tomorrow
    )
    reminders.scan()
    kinds = set(Notification.objects.filter(beneficiary=fresh).values_list("kind", flat=True))
    assert NotificationKind.PLAN_DUE_SOON in kinds
    assert NotificationKind.PLAN_OVERDUE not in kinds


def test_the_subject_is_in_the_recipients_language(world: World) -> None:
    world.case_manager.language = "sq"
    world.case_manager.save()
    reminders.scan()
    subject = Notification.objects.get(
        recipient=world.case_manager, kind=NotificationKind.ASSESSMENT_OVERDUE
    ).subject
    initial = translated("sq", "Initial assessment")
    assert initial != "Initial assessment" and initial in subject


def test_the_text_and_the_link_never_carry_the_subject(world: World) -> None:
    make_plan_task(
        world.case, world.case_manager, description="Call Ardita's sister in Durrës",
        assigned_to=world.case_manager, due_on=timezone.localdate() - timedelta(days=1),
    )  # fmt: skip
    reminders.scan()
    reminder = Notification.objects.get(recipient=world.case_manager, kind=TASK_LATE)
    assert reminder.subject == "Call Ardita's sister in Durrës"
    assert "Ardita" not in reminder.text and "Ardita" not in reminder.url
    assert "Ardita" not in reminder.key
