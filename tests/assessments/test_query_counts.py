from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from core.records import version_of
from tests.conftest import World
from tests.factories import add_mdt, make_case, score_versions

from .conftest import SECTION_ANSWERS


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_my_assessments_is_constant_in_the_number_of_cases(client: Any, world: World) -> None:
    client.force_login(world.mdt)
    url = reverse("assessments:mine")
    few = _queries(client, url)
    for n in range(12):
        add_mdt(
            make_case(case_manager=world.case_manager, first_name=f"C{n}"),
            world.mdt,
            actor=world.case_manager,
        )
    assert _queries(client, url) == few


def test_the_assessment_page_is_constant_in_what_is_filled_in(client: Any, world: World) -> None:
    assessment = world.case.assessments.get()
    client.force_login(world.case_manager)
    url = reverse("assessments:detail", args=[world.case.public_id, assessment.public_id])
    few = _queries(client, url)
    for s in assessment.sections.all():
        services.section_save(
            section=s,
            actor=world.case_manager,
            data=SECTION_ANSWERS,
            complete=True,
            opened_at=version_of(s),
        )
    services.scores_save(
        assessment=assessment,
        actor=world.case_manager,
        scores={"safety": (3, ""), "family": (4, "")},
        opened_at=score_versions(assessment),
    )
    assert _queries(client, url) == few


def test_the_assessment_list_is_constant_in_the_number_of_assessments(
    client: Any, world: World
) -> None:
    from assessments.choices import OutcomeDomain

    client.force_login(world.case_manager)
    url = reverse("assessments:list", args=[world.case.public_id])
    few = _queries(client, url)
    for _ in range(3):
        current = world.case.assessments.get(completed_on__isnull=True)
        for s in current.sections.all():
            services.section_save(
                section=s,
                actor=world.case_manager,
                data=SECTION_ANSWERS,
                complete=True,
                opened_at=version_of(s),
            )
        services.scores_save(
            assessment=current,
            actor=world.case_manager,
            scores={d: (3, "") for d in OutcomeDomain.values},
            opened_at=score_versions(current),
        )
        services.assessment_complete(
            assessment=current,
            actor=world.case_manager,
            beneficiary_present=True,
            beneficiary_views="ok",
            summary="ok",
        )
        services.assessment_start(
            beneficiary=world.case, actor=world.case_manager, kind="review", reason="again"
        )
    assert _queries(client, url) == few
