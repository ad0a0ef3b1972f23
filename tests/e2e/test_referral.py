"""A case manager finds a service, records consent, sends a referral and follows it through."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from referrals.models import Referral
from tests.e2e.helpers import demo_case_worker, log_in
from tests.factories import ProviderFactory, ServiceFactory, make_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_referral_from_the_directory_to_completion(live_server: Any, page: Page) -> None:
    manager = demo_case_worker()
    case = make_case(case_manager=manager)
    ServiceFactory(name="Night shelter", domains=["housing"], region="South", municipality="Bay")
    ServiceFactory(
        provider=ProviderFactory(name="Riverton Skills Centre"),
        name="Cookery course",
        domains=["education", "economic"],
    )

    log_in(page, live_server.url, "caseworker")

    # From the case, find a service in the directory.
    page.goto(f"{live_server.url}/cases/{case.public_id}/")
    page.get_by_role("link", name="Referrals", exact=True).click()
    page.get_by_role("link", name="Find a service").click()
    page.get_by_label("Need").select_option(label="Education, training and life skills")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Night shelter")).to_have_count(0)
    page.get_by_role("link", name="Refer to Cookery course").click()

    page.get_by_label("Area of need").select_option(label="Education, training and life skills")
    page.get_by_label("Reason").fill("Wants to train as a cook; starts when the course opens.")
    page.get_by_label("Name, date of birth and sex").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Consent missing.")).to_be_visible()
    expect(page.get_by_role("button", name="Send the referral")).to_have_count(0)

    # Record the person's consent to share, prefilled for this provider.
    page.get_by_role("link", name="Record the consent").click()
    expect(page.get_by_label("Organisation (from the service directory)")).to_have_value(
        str(Referral.objects.get().provider_id)
    )
    page.get_by_label("Given by").select_option(label="The person themselves")
    page.get_by_label("Method").select_option(label="Written and signed")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Consent recorded.")).to_be_visible()

    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("Referral sent.")).to_be_visible()

    page.get_by_label("What happened").select_option(label="Accepted by the provider")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Referral updated.")).to_be_visible()
    page.get_by_label("What happened").select_option(label="Completed")
    page.get_by_label("Reason or outcome").fill("Finished the first module.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Referral updated.")).to_be_visible()
    expect(page.locator(".badge", has_text="Completed")).to_be_visible()
    expect(page.get_by_role("heading", name="Record what happened")).to_have_count(0)

    referral = Referral.objects.get()
    assert referral.status == "completed"
    assert referral.outcome == "Finished the first module."
    assert [e.to_status for e in referral.events.all()] == [
        "draft",
        "sent",
        "accepted",
        "completed",
    ]
