"""The caseload's rows (written out in Python, `casework/templatetags/caseload.py`) show what
the viewer may see, escaped, labelled for narrow screens and in the page's language."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from casework.selectors import staff_name
from tests.conftest import World
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db


def _rows(client: Any, user: Any, query: str = "", language: str = "en-gb") -> list[str]:
    client.force_login(user)
    response = client.get(reverse("casework:caseload") + query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return re.findall(r"<tr><td .*?</tr>", response.content.decode(), flags=re.S)


def _row_of(rows: list[str], code: str) -> str:
    return next(row for row in rows if f">{code}</a>" in row)


def test_the_team_sees_the_name_and_may_log_a_contact(client: Any, world: World) -> None:
    row = _row_of(_rows(client, world.case_manager), world.case.case_code)
    assert world.case.full_name in row
    contact = reverse("monitoring:contact_add", args=[world.case.public_id])
    assert f'href="{contact}"' in row
    assert f'<span class="visually-hidden"> for {world.case.case_code}</span>' in row
    assert f'href="{reverse("casework:detail", args=[world.case.public_id])}"' in row


def test_a_supervisor_off_the_team_sees_no_name(client: Any, world: World) -> None:
    row = _row_of(_rows(client, world.supervisor), world.case.case_code)
    assert world.case.last_name not in row
    assert 'title="Names are shown to the case team only">—</span>' in row
    assert "log contact" not in row


def test_every_cell_is_labelled_for_narrow_screens(client: Any, world: World) -> None:
    row = _row_of(_rows(client, world.case_manager), world.case.case_code)
    labels = re.findall(r'<td(?: class="stack-optional")? data-label="([^"]+)">', row)
    assert labels == [
        "Case", "Name", "Stage", "Status", "Case manager",
        "Assessment", "Plan", "Next contact", "Admitted", "Flags",
    ]  # fmt: skip
    assert row.count('class="stack-optional"') == 2


def test_what_a_user_typed_is_escaped(client: Any, world: World) -> None:
    case = make_case(
        case_manager=world.case_manager, first_name='<b>"Bo"</b>', last_name="<script>x"
    )
    row = _row_of(_rows(client, world.case_manager), case.case_code)
    assert "<script>" not in row and "<b>" not in row
    assert "&lt;b&gt;&quot;Bo&quot;&lt;/b&gt; &lt;script&gt;x" in row


def test_flags_and_the_child_badge(client: Any, world: World) -> None:
    case = make_case(
        case_manager=world.case_manager,
        date_of_birth=timezone.localdate() - timedelta(days=15 * 365),
        security_risk="high",
    )
    row = _row_of(_rows(client, world.case_manager), case.case_code)
    assert '<span class="badge text-bg-primary">child</span>' in row
    assert '<span class="badge text-bg-danger">high risk</span>' in row


def test_the_rows_speak_the_page_language(client: Any, world: World) -> None:
    english = _row_of(_rows(client, world.case_manager), world.case.case_code)
    albanian = _row_of(_rows(client, world.case_manager, language="sq"), world.case.case_code)
    assert 'data-label="Case manager"' in english
    assert 'data-label="Case manager"' not in albanian
    assert "log contact" not in albanian


def test_case_managers_are_named_as_everywhere_else_and_escaped(client: Any, world: World) -> None:
    nameless = UserFactory(username="nameless", first_name="", last_name="", organisation=world.org)
    marked_up = UserFactory(
        username="marked", first_name="<i>Ana</i>", last_name="", organisation=world.org
    )
    nameless_case = make_case(case_manager=nameless)
    marked_up_case = make_case(case_manager=marked_up)
    rows = _rows(client, world.supervisor)
    assert f'data-label="Case manager">{world.case_manager}</td>' in _row_of(
        rows, world.case.case_code
    )
    assert 'data-label="Case manager">nameless</td>' in _row_of(rows, nameless_case.case_code)
    assert 'data-label="Case manager">&lt;i&gt;Ana&lt;/i&gt;</td>' in _row_of(
        rows, marked_up_case.case_code
    )


def test_staff_names_are_those_of_the_user_model() -> None:
    for first, last, username in [("Ana", "Bell", "ab"), ("Ana", "", "ab"), ("", "", "ab")]:
        user = User(first_name=first, last_name=last, username=username)
        assert staff_name(first, last, username) == str(user)
