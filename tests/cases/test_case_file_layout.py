"""The case file leads with what a visiting worker needs: the follow-up with "Log a contact",
then the assessment and the plan, before the rest of the file (on a narrow screen that is the
order on the page; on a wide one they head the right-hand column)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_the_follow_up_assessment_and_plan_come_first(client: Any, world: World) -> None:
    client.force_login(world.case_manager)
    html = client.get(reverse("casework:detail", args=[world.case.public_id])).content.decode()
    order = [
        html.index(f'<section id="{section}"')
        for section in ("follow-up", "assessment", "plan", "stage", "profile", "team", "status")
    ]
    assert order == sorted(order)
    assert html.index("Log a contact") < html.index('<section id="stage"')
