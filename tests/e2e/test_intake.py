"""A case worker registers a beneficiary in the browser and finds the file on the caseload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cases.models import Beneficiary
from tests.e2e.helpers import demo_case_worker, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_case_worker_registers_a_beneficiary_and_opens_the_file(
    live_server: Any, page: Page, tmp_path: Path
) -> None:
    demo_case_worker()

    console_errors: list[str] = []
    page.on(
        "console", lambda message: message.type == "error" and console_errors.append(message.text)
    )

    log_in(page, live_server.url, "caseworker")
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()

    page.get_by_role("link", name="Register a beneficiary").first.click()
    page.get_by_label("First name").fill("Lina")
    page.get_by_label("Last name").fill("Example")
    page.get_by_label("Date of birth").fill("1999-04-12")
    page.get_by_role("combobox", name="Sex").select_option(label="Female")
    page.get_by_role("combobox", name="Accommodation").select_option(
        label="Shelter or residential centre"
    )
    page.get_by_role("combobox", name="Identification status").select_option(
        label="Formally identified"
    )
    page.get_by_role("combobox", name="Referral source").select_option(
        label="Police or border service"
    )
    page.get_by_role("combobox", name="Security risk level").select_option(label="Medium")
    page.get_by_label("Safe contact notes").fill("Her family does not know. Call only after 17:00.")
    page.get_by_label("Forced labour: domestic work").check()
    page.get_by_role("button", name="Register").click()

    beneficiary = Beneficiary.objects.get()
    expect(page.get_by_role("heading", name=beneficiary.case_code)).to_be_visible()
    expect(page.get_by_text("Her family does not know.")).to_be_visible()
    page.screenshot(path=str(tmp_path / "case-file.png"), full_page=True)

    page.get_by_role("link", name="My cases").click()
    row = page.get_by_role("row", name=beneficiary.case_code)
    expect(row).to_contain_text("Lina Example")
    row.get_by_role("link", name=beneficiary.case_code, exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/cases/{beneficiary.public_id}/")
    expect(page.get_by_role("heading", name="Consent")).to_be_visible()
    # No script, style or policy errors anywhere on the way (e.g. a Content-Security-Policy block).
    assert console_errors == []
