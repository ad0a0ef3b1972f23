"""A case worker records a critical setback; the supervisor sees the alarm on landing."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.e2e.helpers import PASSWORD, demo_case_worker, log_in
from tests.factories import UserFactory, make_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_crisis_alarm_is_raised_and_acknowledged(live_server: Any, page: Page) -> None:
    manager = demo_case_worker()
    UserFactory(
        username="supervisor",
        organisation=manager.organisation,
        role=Role.SUPERVISOR,
        password=PASSWORD,
    )
    case = make_case(case_manager=manager)

    log_in(page, live_server.url, "caseworker")
    page.goto(f"{live_server.url}/cases/{case.public_id}/setbacks/add/")
    page.get_by_label("Category").select_option("threats")
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Severity").select_option("critical")
    page.get_by_label("Description").fill("A man from abroad called her new number.")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("A crisis alarm went to the case manager and the supervisors.")
    ).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "supervisor")
    expect(page.get_by_role("heading", name="1 crisis alarm not acknowledged")).to_be_visible()
    page.get_by_role("link", name=f"Acknowledge the alarm of {case.case_code}").click()
    page.get_by_label("What was done").fill("Called her; she stays with her aunt tonight.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Alarm acknowledged.")).to_be_visible()
    expect(page.get_by_text("Called her; she stays with her aunt tonight.")).to_be_visible()
    page.goto(f"{live_server.url}/supervision/")
    expect(page.get_by_text("crisis alarm not acknowledged")).to_have_count(0)
