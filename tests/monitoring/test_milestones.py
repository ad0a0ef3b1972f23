from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from monitoring import services
from monitoring.models import CaseMilestone, Milestone
from monitoring.selectors import milestone_progress
from tests.conftest import World


def test_each_stage_has_its_checklist(world: World) -> None:
    counts = {
        stage: Milestone.objects.filter(stage=stage).count()
        for stage in ("crisis", "transition", "inclusion")
    }
    assert counts == {"crisis": 9, "transition": 9, "inclusion": 8}


def test_mark_and_take_back_with_history(world: World) -> None:
    milestone = Milestone.objects.filter(stage="crisis").first()
    record = services.milestone_mark(
        beneficiary=world.case,
        actor=world.mdt,
        milestone=milestone,
        achieved_on=timezone.localdate(),
        note="Sleeps better",
    )
    assert milestone_progress(world.case)[0].achieved == 1
    with pytest.raises(ValidationError):
        services.milestone_unmark(record=record, actor=world.case_manager, reason="")
    services.milestone_unmark(record=record, actor=world.case_manager, reason="Nightmares are back")
    record.refresh_from_db()
    assert record.achieved_on is None
    assert milestone_progress(world.case)[0].achieved == 0
    assert record.history.count() == 2


@pytest.mark.parametrize("days", [1, -400])
def test_dates_must_be_between_admission_and_today(world: World, days: int) -> None:
    with pytest.raises(ValidationError):
        services.milestone_mark(
            beneficiary=world.case,
            actor=world.mdt,
            milestone=Milestone.objects.first(),
            achieved_on=timezone.localdate() + timedelta(days=days),
            note="",
        )
    assert not CaseMilestone.objects.exists()


def test_the_pages_mark_and_show_progress(client: Any, world: World) -> None:
    milestone = Milestone.objects.filter(stage="crisis").first()
    client.force_login(world.mdt)
    url = reverse("monitoring:milestone_mark", args=[world.case.public_id, milestone.pk])
    response = client.post(
        url, {"achieved_on": timezone.localdate().isoformat(), "note": "New routine"}
    )
    assert response.status_code == 302
    assert (
        "1 of 9 reached"
        in client.get(reverse("casework:detail", args=[world.case.public_id])).content.decode()
    )
    page = client.get(
        reverse("monitoring:milestones", args=[world.case.public_id])
    ).content.decode()
    assert "New routine" in page
