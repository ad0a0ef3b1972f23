"""A social worker logs a home visit; the overdue flag on the case clears."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.helpers import demo_case_worker, log_in
from tests.factories import make_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_logging_a_home_visit_clears_the_overdue_flag(live_server: Any, page: Page) -> None:
    manager = demo_case_worker()
    case = make_case(
        case_manager=manager,
        admitted_on=timezone.localdate() - timedelta(days=20),
        safe_contact_notes="Neighbours do not know. Say you are from the training centre.",
    )

    log_in(page, live_server.url, "caseworker")
    page.get_by_role("link", name="My follow-ups").click()
    row = page.get_by_role("row", name=case.case_code)
    expect(row).to_contain_text("overdue 13 days")

    row.get_by_role("link", name="Log contact").click()
    expect(page.get_by_role("note", name="Safe-contact instructions")).to_contain_text(
        "Neighbours do not know."
    )
    page.get_by_role("combobox", name="Type").select_option(label="Home visit")
    page.get_by_label("I checked the safe-contact instructions first").check()
    page.get_by_label("Summary").fill("Visited at home; she has started the course.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Contact logged.")).to_be_visible()

    page.get_by_role("link", name="My follow-ups").click()
    expect(page.get_by_role("row", name=case.case_code)).not_to_contain_text("overdue")
