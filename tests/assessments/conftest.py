from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Discipline, Role, User
from assessments.models import Assessment, AssessmentSection
from tests.conftest import World
from tests.factories import UserFactory, add_mdt

SECTION_ANSWERS: dict[str, Any] = {
    "needs": "Needs support.",
    "priority": "medium",
    "strengths": "Motivated.",
}


@pytest.fixture
def doctor(world: World) -> User:
    """An MDT member of another discipline than the world's psychologist, on the same team."""
    user = UserFactory(
        username="doc", organisation=world.org, role=Role.MDT_MEMBER, discipline=Discipline.DOCTOR
    )
    add_mdt(world.case, user, actor=world.case_manager)
    return user


@pytest.fixture
def assessment(world: World) -> Assessment:
    return world.case.assessments.get()


def section(assessment: Assessment, domain: str) -> AssessmentSection:
    return assessment.sections.get(domain=domain)
