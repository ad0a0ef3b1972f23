"""Refused case access is on record: who asked for which case id, when, and the answer."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import RefusedAccess
from tests.cases.test_access_matrix import case_scoped_urls, every_record_id
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _status(client: Client, url: str) -> int:
    status = client.get(url).status_code
    return client.post(url).status_code if status == 405 else status


def _plain(html: bytes, asked: uuid.UUID) -> bytes:
    html = html.replace(str(asked).encode(), b"(id)")
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", html)


def test_every_refused_case_page_leaves_a_row(world: World, client: Client) -> None:
    client.force_login(world.outsider)  # another organisation's supervisor
    ids = every_record_id(world)
    refused = 0
    for name, pattern in case_scoped_urls():
        url = reverse(name, kwargs={key: ids[key] for key in pattern.all_converters})  # type: ignore[attr-defined]
        before = RefusedAccess.objects.count()
        status = _status(client, url)
        assert status == 404, name  # the case is hidden from them: it "does not exist"
        row = RefusedAccess.objects.exclude(pk__lte=0).order_by("-id").first()
        assert RefusedAccess.objects.count() == before + 1, name
        assert row is not None
        assert (row.user, row.asked_for, row.case, row.status) == (
            world.outsider,
            world.case.public_id,
            world.case,
            404,
        ), name
        assert row.organisation == world.other_org and row.what == name.split(":")[-1]
        refused += 1
    assert refused > 50


def test_an_id_that_names_no_case_is_recorded_and_answered_alike(
    world: World, client: Client
) -> None:
    client.force_login(world.outsider)
    made_up = uuid.uuid4()
    missing = client.get(reverse("casework:detail", args=[made_up]))
    hidden = client.get(reverse("casework:detail", args=[world.case.public_id]))
    assert missing.status_code == hidden.status_code == 404
    # Nothing tells them which exists (but the forms' one-time tokens, and the address).
    assert _plain(missing.content, made_up) == _plain(hidden.content, world.case.public_id)
    row = RefusedAccess.objects.get(asked_for=made_up)
    assert row.case is None and row.status == 404


def test_a_team_member_refused_a_change_is_recorded_with_a_403(
    world: World, client: Client
) -> None:
    client.force_login(world.mdt)  # on the team, but the profile is the case manager's
    response = client.get(reverse("cases:profile_edit", args=[world.case.public_id]))
    assert response.status_code == 403
    row = RefusedAccess.objects.get(user=world.mdt)
    assert (row.case, row.status, row.what) == (world.case, 403, "profile_edit")


def test_supervisors_see_refusals_by_their_staff_and_on_their_cases(
    world: World, client: Client
) -> None:
    probe = Client()
    probe.force_login(world.outsider)
    probe.get(reverse("casework:detail", args=[world.case.public_id]))
    page = reverse("supervision:organisation_access_log")

    client.force_login(world.supervisor)  # the case's organisation: the case is named
    html = client.get(page).content.decode()
    assert world.case.case_code in html and str(world.outsider) in html

    client.force_login(world.outsider)  # the prober's own organisation: not the case
    response = client.get(page)
    assert [r.user for r in response.context["refused"]] == [world.outsider]
    assert world.case.case_code not in response.content.decode()


def test_a_burst_of_refusals_tells_the_supervisors_once(
    world: World, client: Client, settings: Any
) -> None:
    from django.core import mail

    from notifications import services as notification_services
    from notifications.models import Notification

    settings.REFUSED_ACCESS_ALERT_COUNT = 3
    client.force_login(world.colleague)  # same organisation, not on the team
    for _attempt in range(5):
        assert client.get(reverse("casework:detail", args=[uuid.uuid4()])).status_code == 404
    alerts = Notification.objects.filter(kind="refused_access")
    assert [n.recipient for n in alerts] == [world.supervisor]  # once, at the third
    alert = alerts.get()
    assert alert.beneficiary is None
    assert alert.url == reverse("supervision:organisation_access_log") + "#refused"

    client.force_login(world.supervisor)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert alert.url in inbox
    world.supervisor.email = "sup@example.org"
    world.supervisor.save()
    assert notification_services.deliver(alert.pk)
    sent = mail.outbox[-1]
    assert sent.to == ["sup@example.org"] and str(world.colleague) not in sent.body
