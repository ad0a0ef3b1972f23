"""The exact address and the details of threats are read by the case manager and supervisors only."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cases import services
from core.records import version_of
from tests.conftest import World

ADDRESS = "Flat 4, 12 Hidden Street"
THREAT = "The recruiter was seen near her building."


@pytest.fixture
def restricted_world(world: World) -> World:
    services.beneficiary_update(
        beneficiary=world.case,
        actor=world.case_manager,
        profile={"address": ADDRESS, "security_notes": THREAT},
        opened_at=version_of(world.case),
    )
    return world


@pytest.mark.parametrize(
    ("persona", "reads"), [("case_manager", True), ("supervisor", True), ("mdt", False)]
)
@pytest.mark.parametrize("page", ["casework:detail", "cases:history"])
def test_who_reads_the_address_and_threats(
    client: Any, restricted_world: World, persona: str, reads: bool, page: str
) -> None:
    client.force_login(restricted_world.personas()[persona])
    body = client.get(reverse(page, args=[restricted_world.case.public_id])).content.decode()
    assert (ADDRESS in body) is reads
    assert (THREAT in body) is reads
