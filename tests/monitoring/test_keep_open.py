"""Past the usual three years a case says why it stays open, and again every year."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Beneficiary
from monitoring import services
from monitoring.reminders import scan
from monitoring.selectors import keep_open_for
from notifications.models import Notification
from tests.conftest import World


def _open_for(world: World, months: int) -> Beneficiary:
    admitted = timezone.localdate() - relativedelta(months=months)
    Beneficiary.objects.filter(pk=world.case.pk).update(admitted_on=admitted)
    world.case.refresh_from_db()
    return world.case


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _decide(world: World, **data: object) -> None:
    services.keep_open_decide(
        beneficiary=world.case,
        actor=world.case_manager,
        **{"reason": "legal_proceedings", "notes": "", "decided_on": timezone.localdate(), **data},
    )


def test_nothing_is_asked_before_the_mark(world: World) -> None:
    assert keep_open_for(_open_for(world, 35)) is None


def test_past_the_mark_it_is_asked_then_answered_for_a_year(world: World) -> None:
    case = _open_for(world, 38)
    keep_open = keep_open_for(case)
    assert keep_open is not None and keep_open.asked and keep_open.months_open == 38
    _decide(world)
    keep_open = keep_open_for(case)
    assert keep_open is not None and not keep_open.asked
    assert keep_open.due_on == timezone.localdate() + relativedelta(months=12)
    with time_machine.travel(timezone.now() + timedelta(days=366), tick=False):
        keep_open = keep_open_for(case)
        assert keep_open is not None and keep_open.asked


def test_a_closed_case_is_not_asked(world: World) -> None:
    case = _open_for(world, 40)
    case.status = "closed"
    assert keep_open_for(case) is None


def test_another_reason_needs_notes(world: World) -> None:
    _open_for(world, 38)
    with pytest.raises(ValidationError) as refused:
        _decide(world, reason="other")
    assert "notes" in refused.value.message_dict


def test_the_case_manager_is_reminded_until_it_is_answered(world: World) -> None:
    _open_for(world, 37)
    scan()
    reminded = Notification.objects.filter(kind="keep_open_due", recipient=world.case_manager)
    assert reminded.count() == 1
    Notification.objects.all().delete()
    _decide(world)
    scan()
    assert not Notification.objects.filter(kind="keep_open_due").exists()


def test_the_case_file_and_the_review_show_it(world: World) -> None:
    _open_for(world, 38)
    case_file = reverse("casework:detail", args=[world.case.public_id])
    say_why = reverse("monitoring:keep_open", args=[world.case.public_id])
    manager, supervisor = _client(world.case_manager), _client(world.supervisor)
    page = manager.get(case_file).content.decode()
    assert "Open 38 months: the usual process takes about three years." in page and say_why in page
    assert (
        "why it stays open: not said yet"
        in supervisor.get(reverse("supervision:review")).content.decode()
    )

    assert _client(world.mdt).post(say_why, {}).status_code == 403
    response = manager.post(
        say_why,
        {
            "reason": "documents",
            "notes": "Residence permit due in May.",
            "decided_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    page = manager.get(case_file).content.decode()
    assert "Kept open: Documents or legal status not settled yet" in page
    review = supervisor.get(
        reverse("supervision:review") + "?refresh=1", follow=True
    ).content.decode()
    assert "kept open: Documents or legal status not settled yet" in review
