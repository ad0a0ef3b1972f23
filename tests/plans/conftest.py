from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from plans import services
from plans.models import Goal, PlanVersion
from tests.conftest import World


def goal_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "domain": "economic",
        "description": "Find work in a bakery",
        "target_date": timezone.localdate() + timedelta(days=90),
        "indicator": "Has a written work contract",
    }
    data.update(overrides)
    return data


def signature_data(role: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "role": role,
        "signer_name": {
            "beneficiary": "Ana Testova",
            "case_manager": "Staff Tester",
            "guardian": "Mila Testova",
        }[role],
        "signed_on": timezone.localdate(),
        "method": "on_screen",
        "attested": True,
        "read_in": "English",
    }
    data.update(overrides)
    return data


@pytest.fixture
def plan(world: World) -> PlanVersion:
    return services.plan_start(
        beneficiary=world.case, actor=world.case_manager, own_goals="To work again."
    )


@pytest.fixture
def goal(world: World, plan: PlanVersion) -> Goal:
    goal = services.goal_save(version=plan, actor=world.case_manager, data=goal_data())
    services.task_save(
        goal=goal,
        actor=world.case_manager,
        data={
            "description": "CV workshop",
            "assigned_to": world.mdt,
            "due_on": timezone.localdate() + timedelta(days=30),
        },
    )
    return goal


def sign_all(
    world: World, plan: PlanVersion, roles: tuple[str, ...] = ("beneficiary", "case_manager")
) -> None:
    for role in roles:
        services.signature_record(version=plan, actor=world.case_manager, data=signature_data(role))
    plan.refresh_from_db()
