"""A colleague opens a file in an emergency; a supervisor reviews it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.e2e.helpers import PASSWORD, demo_case_worker, log_in
from tests.factories import UserFactory, make_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_emergency_access_and_its_review(live_server: Any, page: Page) -> None:
    manager = demo_case_worker()
    organisation = manager.organisation
    for username, role in (("oncall", Role.CASE_WORKER), ("supervisor", Role.SUPERVISOR)):
        UserFactory(username=username, organisation=organisation, role=role, password=PASSWORD)
    case = make_case(case_manager=manager)

    log_in(page, live_server.url, "oncall")
    page.get_by_role("link", name="Emergency access").click()
    page.get_by_label("Case code").fill(case.case_code)
    page.get_by_label("What is the emergency?").fill("Called the night line in crisis.")
    page.get_by_label("I need this file now").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=case.case_code)).to_be_visible()
    expect(
        page.get_by_text("you may read this file and log a contact, nothing else")
    ).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "supervisor")
    page.get_by_role("link", name="Notifications").click()
    expect(
        page.get_by_role("heading", name=re.compile("Emergency access to a case: review it"))
    ).to_be_visible()
    page.get_by_role("link", name=case.case_code).click()
    expect(page.get_by_text("to review")).to_be_visible()
    page.get_by_label("Review").fill("Needed: she was safe by morning.")
    page.get_by_role("button", name="Mark reviewed").click()
    expect(page.get_by_text(f"Emergency access to {case.case_code} reviewed.")).to_be_visible()
    expect(page.get_by_text("to review")).to_have_count(0)
