"""The psychologist completes their section; the case manager completes the rest."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Discipline, Role
from assessments.choices import OutcomeDomain
from tests.e2e.helpers import PASSWORD, demo_case_worker, log_in
from tests.factories import UserFactory, add_mdt, make_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _complete_section(page: Page, needs: str) -> None:
    page.get_by_label("Needs and problems").fill(needs)
    page.get_by_role("combobox", name="Priority").select_option(label="Medium")
    page.get_by_label("This section is complete").check()
    page.get_by_role("button", name="Save").click()


def test_the_mdt_completes_an_assessment_in_the_browser(live_server: Any, page: Page) -> None:
    manager = demo_case_worker()
    psychologist = UserFactory(
        username="psychologist",
        organisation=manager.organisation,
        role=Role.MDT_MEMBER,
        discipline=Discipline.PSYCHOLOGIST,
        password=PASSWORD,
    )
    case = make_case(case_manager=manager)
    add_mdt(case, psychologist, actor=manager)
    base = live_server.url

    log_in(page, base, "psychologist")
    page.get_by_role("link", name="My assessments").click()
    expect(page.get_by_role("cell", name=case.case_code, exact=True)).to_be_visible()
    page.get_by_role(
        "link", name=f"Complete Psychological support and counselling for {case.case_code}"
    ).click()
    _complete_section(page, "Sleeps badly; wants weekly sessions.")
    expect(page.get_by_text("Psychological support and counselling saved.")).to_be_visible()
    page.get_by_role("link", name="My assessments").click()
    expect(page.get_by_text("Nothing waiting for you.")).to_be_visible()

    log_in(page, base, "caseworker")
    page.goto(f"{base}/cases/{case.public_id}/")
    page.get_by_role("link", name="Initial assessment").click()
    while (
        button := page.get_by_role("link", name="Complete", exact=False).filter(has_text="Complete")
    ).count():
        button.first.click()
        _complete_section(page, "Assessed together with the person.")
    page.get_by_role("link", name="Score").click()
    for domain in OutcomeDomain:
        page.get_by_role("combobox", name=domain.label).select_option(value="3")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("combobox", name="Did the person take part?").select_option(
        label="Yes, the person took part"
    )
    page.get_by_label("The person's own views").fill("Wants to start training soon.")
    page.get_by_label("Summary of the assessment").fill("Stabilise first, then training.")
    page.get_by_role("button", name="Complete assessment").click()

    expect(page.get_by_text("Assessment complete.")).to_be_visible()
    expect(page.locator(".badge", has_text="complete").first).to_be_visible()
    assert case.assessments.get().is_complete
