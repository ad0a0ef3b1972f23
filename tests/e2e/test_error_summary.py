"""A refused form says what was wrong at the top, takes focus there, and leads to each field."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import demo_case_worker, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_refused_form_focuses_its_error_summary_whose_links_reach_the_fields(
    live_server: Any, page: Page
) -> None:
    demo_case_worker()
    log_in(page, live_server.url, "caseworker")
    page.get_by_role("link", name="Register a beneficiary").first.click()
    page.get_by_label("First name").fill("Lina")
    page.get_by_role("button", name="Register").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(
        "Nothing was saved: please correct the following"
    )
    # What was typed is still there.
    expect(page.get_by_label("First name")).to_have_value("Lina")

    summary.get_by_role("link", name="Last name").click()
    expect(page.get_by_label("Last name")).to_be_focused()
    # A list of choices has no element of its own id: the link reaches its first choice.
    summary.get_by_role("link", name="Sex").click()
    expect(page.get_by_role("combobox", name="Sex")).to_be_focused()
