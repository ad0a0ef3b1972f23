"""The rows of My follow-ups, written out in Python (`monitoring.templatetags.follow_ups`):
what each shows, escaped, in the reader's language."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from core.records import version_of
from monitoring import services
from tests.conftest import World


def _row(body: str, code: str) -> str:
    rows = [row for row in re.findall(r"<tr class=.*?</tr>", body, re.S) if code in row]
    assert len(rows) == 1
    return rows[0]


def _page(client: Client, world: World, language: str = "") -> str:
    world.case_manager.language = language
    world.case_manager.save()
    client.force_login(world.case_manager)
    return client.get(reverse("monitoring:my_follow_ups")).content.decode()


def test_a_row_shows_the_case_its_instructions_and_its_links(client: Client, world: World) -> None:
    case_services.beneficiary_update(
        beneficiary=world.case,
        actor=world.case_manager,
        profile={
            "first_name": "<b>Ana</b>",
            "safe_to_call": "no",
            "home_visits_allowed": "yes",
            "who_may_answer": "Only herself & her aunt",
            "safe_times": "After 17:00",
            "safe_contact_notes": "Her brother must not know.\nSay: the training centre.",
        },
        opened_at=version_of(world.case),
    )
    row = _row(_page(client, world), world.case.case_code)
    assert row.startswith('<tr class="table-danger">')  # never contacted since admission
    assert "&lt;b&gt;Ana&lt;/b&gt;" in row and "<b>Ana" not in row
    assert (
        '<span class="text-nowrap fw-semibold text-danger-emphasis">safe to call: No</span>' in row
    )
    assert '<span class="text-nowrap">home visits: Yes</span>' in row
    assert " · may answer: Only herself &amp; her aunt · safe times: After 17:00" in row
    assert "<div>Her brother must not know.<br>Say: the training centre.</div>" in row
    assert f'href="{reverse("casework:detail", args=[world.case.public_id])}"' in row
    assert f'href="{reverse("monitoring:contact_add", args=[world.case.public_id])}"' in row
    assert f'Log contact<span class="visually-hidden"> for {world.case.case_code}</span>' in row
    assert "none yet" in row


def test_a_row_after_a_contact_and_in_albanian(client: Client, world: World) -> None:
    contacted = timezone.now() - timedelta(days=1)
    data: dict[str, Any] = {"occurred_at": contacted, "kind": "office_visit", "summary": "Met."}
    services.contact_log(beneficiary=world.case, actor=world.case_manager, data=data)
    row = _row(_page(client, world, "sq"), world.case.case_code)
    assert row.startswith('<tr class="">')  # not overdue
    assert timezone.localdate(contacted).strftime("%Y") in row  # the last contact's date
    assert 'data-label="Rasti"' in row and "Regjistro kontakt<" in row
    assert f"për {world.case.case_code}" in row
