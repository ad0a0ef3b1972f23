"""The case manager drafts a plan from the assessment, records both signatures and prints it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.models import Organisation
from assessments import services as assessment_services
from assessments.choices import OutcomeDomain
from core.records import version_of
from tests.e2e.helpers import demo_case_worker, log_in
from tests.factories import make_case, score_versions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_case_manager_drafts_signs_and_prints_a_plan(live_server: Any, page: Page) -> None:
    manager = demo_case_worker()
    Organisation.objects.filter(pk=manager.organisation_id).update(
        programme_name="Daybreak Programme"
    )
    case = make_case(case_manager=manager, first_name="Lina", last_name="Example")
    assessment = case.assessments.get()
    for section in assessment.sections.all():
        urgent = section.domain == "housing"
        data = {
            "needs": "Needs a safe flat near work." if urgent else "None now.",
            "priority": "urgent" if urgent else "none",
        }
        assessment_services.section_save(
            section=section, actor=manager, data=data, complete=True, opened_at=version_of(section)
        )
    assessment_services.scores_save(
        assessment=assessment,
        actor=manager,
        scores={d: (2, "") for d in OutcomeDomain.values},
        opened_at=score_versions(assessment),
    )
    assessment_services.assessment_complete(
        assessment=assessment,
        actor=manager,
        beneficiary_present=True,
        beneficiary_views="Agrees.",
        summary="Housing first.",
    )

    log_in(page, live_server.url, "caseworker")
    page.goto(f"{live_server.url}/cases/{case.public_id}/")
    page.get_by_role("link", name="Plan", exact=True).click()
    page.get_by_label("The person's own goals, in their words").fill(
        "A flat of my own and a steady job."
    )
    page.get_by_label("Who took part in the planning").fill("Lina, Maren (case manager)")
    page.get_by_role("button", name="Start the plan").click()

    page.get_by_role("link", name="Take as goal").first.click()
    expect(page.get_by_label("Description")).to_have_value("Needs a safe flat near work.")
    page.get_by_label("Target date").fill("2027-03-31")
    page.get_by_label("Indicator of success").fill("Has signed a rental contract")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Goal added.")).to_be_visible()

    for role, name in (("Participant", "Lina Example"), ("Case manager", "Maren Oduya")):
        page.get_by_role("link", name="Record signature").click()
        page.get_by_role("combobox", name="Signing as").select_option(label=role)
        page.get_by_label("Name of the person signing").fill(name)
        page.get_by_role("combobox", name="Method").select_option(
            label="On screen: typed name and attestation"
        )
        page.get_by_label("The signer typed their own name").check()
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Signature recorded.")).to_be_visible()
    expect(page.locator(".badge", has_text="signed").first).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    text = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Has signed a rental contract" in text
    assert "Lina Example" in text and "Maren Oduya" in text
    assert "trafficking" not in text.lower()
