"""My tasks: the plan tasks still to be done that are mine to do or see to, late ones first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from plans import services as plan_services
from plans.models import TaskStatus
from tests.conftest import World
from tests.factories import make_plan_task

pytestmark = pytest.mark.django_db


def page(client: Any, user: Any) -> str:
    client.force_login(user)
    response = client.get(reverse("plans:my_tasks"))
    assert response.status_code == 200
    return response.content.decode()


def test_my_tasks_lists_mine_and_the_outside_tasks_of_my_cases(client: Any, world: World) -> None:
    task = make_plan_task(world.case, world.case_manager, assigned_to=world.mdt)
    outside = plan_services.task_save(
        goal=task.goal,
        actor=world.case_manager,
        data={
            "description": "Apply for the training course",
            "due_on": timezone.localdate() + timedelta(days=5),
            "external_organisation": "Open Doors Training",
        },
    )

    mine = page(client, world.mdt)
    assert "Visit" in mine and world.case.case_code in mine
    assert outside.description not in mine  # the case manager follows it up, not the MDT
    managed = page(client, world.case_manager)
    assert outside.description in managed and "Open Doors Training" in managed
    assert "Visit" not in managed  # assigned to the psychologist
    for user in (world.colleague, world.outsider, world.supervisor):
        assert "Visit" not in page(client, user)


def test_late_tasks_come_first_and_are_marked_late_here_and_on_the_plan(
    client: Any, world: World
) -> None:
    today = timezone.localdate()
    task = make_plan_task(world.case, world.case_manager, assigned_to=world.mdt)
    plan_services.task_save(
        goal=task.goal,
        actor=world.case_manager,
        data={
            "description": "Later",
            "due_on": today + timedelta(days=9),
            "assigned_to": world.mdt,
        },
    )
    with time_machine.travel(today + timedelta(days=3), tick=False):
        html = page(client, world.mdt)
        assert html.index("Visit") < html.index("Later")
        assert "1 late" in html and ">late<" in html
        version = task.goal.version
        client.force_login(world.case_manager)
        plan = client.get(
            reverse("plans:version", args=[world.case.public_id, version.public_id])
        ).content.decode()
        assert ">late<" in plan


def test_done_tasks_and_cases_i_left_are_not_listed(client: Any, world: World) -> None:
    task = make_plan_task(world.case, world.case_manager, assigned_to=world.mdt)
    task.status = TaskStatus.DONE
    task.save()
    assert "Visit" not in page(client, world.mdt)

    call = plan_services.task_save(
        goal=task.goal,
        actor=world.case_manager,
        data={"description": "Call", "due_on": timezone.localdate(), "assigned_to": world.mdt},
    )
    assert call.description in page(client, world.mdt)
    membership = world.case.team.get(user=world.mdt, ended_on__isnull=True)
    membership.ended_on = timezone.localdate()
    membership.save()
    assert "Call" not in page(client, world.mdt)  # no longer on the team: not visible


def test_the_list_reads_in_constant_queries(
    client: Any, world: World, django_assert_max_num_queries: Any
) -> None:
    task = make_plan_task(world.case, world.case_manager, assigned_to=world.mdt)
    client.force_login(world.mdt)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("plans:my_tasks"))
    for n in range(6):
        plan_services.task_save(
            goal=task.goal,
            actor=world.case_manager,
            data={
                "description": f"Task {n}",
                "due_on": timezone.localdate(),
                "assigned_to": world.mdt,
            },
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("plans:my_tasks"))
