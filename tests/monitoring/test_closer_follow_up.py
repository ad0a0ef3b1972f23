"""After a crisis alarm the case is contacted more often for a while, then as before."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from monitoring import services
from monitoring.models import ContactInterval
from monitoring.reminders import scan
from monitoring.selectors import follow_up_for, my_follow_ups
from notifications.models import Notification
from supervision.review import active_cases
from tests.conftest import World


def _alarm(world: World, severity: str = "critical") -> None:
    case_services.setback_record(
        beneficiary=world.case,
        actor=world.case_manager,
        data={
            "category": "illness",
            "occurred_on": timezone.localdate(),
            "severity": severity,
            "description": "Taken to hospital.",
        },
    )


def _contact(world: World) -> None:
    services.contact_log(
        beneficiary=world.case,
        actor=world.case_manager,
        data={"occurred_at": timezone.now(), "kind": "office_visit", "summary": "Met."},
    )


def test_a_crisis_alarm_sets_a_closer_interval_that_ends_by_itself(world: World) -> None:
    _contact(world)
    today = timezone.localdate()
    assert follow_up_for(world.case).interval_days == 7  # crisis stage, the usual interval
    _alarm(world)
    follow_up = follow_up_for(world.case)
    assert (follow_up.interval_days, follow_up.due_on) == (2, today + timedelta(days=2))
    assert follow_up.closer_until == today + timedelta(days=13)
    world.case.refresh_from_db()
    assert world.case.stage == "crisis"  # the stage stays as the case manager set it
    with time_machine.travel(timezone.now() + timedelta(days=13), tick=False):
        assert follow_up_for(world.case).interval_days == 2
    with time_machine.travel(timezone.now() + timedelta(days=14), tick=False):
        follow_up = follow_up_for(world.case)
        assert (follow_up.interval_days, follow_up.closer_until) == (7, None)


def test_a_setback_that_raises_no_alarm_changes_nothing(world: World) -> None:
    _alarm(world, severity="moderate")
    assert follow_up_for(world.case).closer_until is None


def test_the_closer_interval_is_an_organisation_setting(world: World) -> None:
    ContactInterval.objects.create(organisation=world.org, phase="after_alarm", days=1)
    _alarm(world)
    assert follow_up_for(world.case).interval_days == 1


def test_every_list_counts_the_same_due_date(world: World) -> None:
    """The case file, My follow-ups, the supervisors' review and the reminder scan agree."""
    _contact(world)
    _alarm(world)
    expected = follow_up_for(world.case)
    assert my_follow_ups(world.case_manager)[0].follow_up == expected
    (reviewed,) = active_cases(world.org.pk)
    assert reviewed.follow_up.due_on == expected.due_on
    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        scan()
    assert Notification.objects.filter(kind="contact_overdue", recipient=world.case_manager)


def test_the_case_file_and_my_follow_ups_show_it(world: World) -> None:
    _alarm(world)
    client = Client()
    client.force_login(world.case_manager)
    for url in (
        reverse("casework:detail", args=[world.case.public_id]),
        reverse("monitoring:my_follow_ups"),
    ):
        assert "after a crisis alarm: every 2 days until" in client.get(url).content.decode()


def test_an_alarm_never_puts_off_a_contact_already_overdue(world: World) -> None:
    """Nobody has been in touch for weeks: the alarm leaves the contact overdue."""
    world.case.admitted_on = timezone.localdate() - timedelta(days=40)
    world.case.save()
    _alarm(world)
    assert follow_up_for(world.case).state == "overdue"
