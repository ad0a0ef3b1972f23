"""The exact address and the details of threats are read by the case manager and supervisors only."""

from __future__ import annotations

from datetime import timedelta
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


# Threats and the safety plan are read by the same people: on the case file and in its
# history, for restricted viewers their rows are left out entirely.
THREAT_DETAILS = "Her former recruiter asked her sister for the new address."
CODE_WORD = "Lighthouse"
WHO_KNOWS = "The owner of the bakery"


@pytest.fixture
def safety_world(world: World) -> World:
    case, actor = world.case, world.case_manager
    threat = services.threat_record(
        beneficiary=case,
        actor=actor,
        data={
            "source": "former_exploiters",
            "kind": "pressure",
            "level": "high",
            "identified_on": case.admitted_on,
            "details": THREAT_DETAILS,
        },
    )
    services.threat_update(
        threat=threat,
        actor=world.supervisor,
        data={"level": "medium"},
        opened_at=version_of(threat),
    )
    services.safety_plan_record(
        beneficiary=case,
        actor=actor,
        data={
            "code_word": CODE_WORD,
            "what_to_do": "Call the on-call worker.",
            "agreed_on": case.admitted_on,
            "review_on": case.admitted_on + timedelta(days=60),
        },
    )
    services.disclosure_add(
        beneficiary=case,
        actor=actor,
        data={"who": "employer", "name_or_role": WHO_KNOWS, "knows": "nothing"},
    )
    return world


@pytest.mark.parametrize(
    ("persona", "reads"), [("case_manager", True), ("supervisor", True), ("mdt", False)]
)
@pytest.mark.parametrize("page", ["casework:detail", "cases:history"])
def test_who_reads_threats_and_the_safety_plan(
    client: Any, safety_world: World, persona: str, reads: bool, page: str
) -> None:
    client.force_login(safety_world.personas()[persona])
    body = client.get(reverse(page, args=[safety_world.case.public_id])).content.decode()
    assert (THREAT_DETAILS in body) is reads
    assert (CODE_WORD in body) is reads
    # Who knows is the whole team's.
    assert WHO_KNOWS in body


@pytest.mark.parametrize(("restricted", "shown"), [(False, True), (True, False)])
def test_restricted_history_leaves_the_rows_out(
    safety_world: World, restricted: bool, shown: bool
) -> None:
    from cases.selectors import case_history_for

    records = {e.record for e in case_history_for(safety_world.case, restricted=restricted)}
    assert ({"Threat", "Safety plan"} <= records) is shown
    assert not ({"Threat", "Safety plan"} & records) or shown
    assert "Disclosure" in records
