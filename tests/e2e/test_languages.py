"""A case worker switches to Albanian, logs a visit and reads the case file in Albanian; the
choice holds at the next login, on a browser that asks for English."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django.utils.text import capfirst
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.e2e.helpers import PASSWORD, demo_case_worker, log_in
from tests.factories import make_case
from tests.i18n.helpers import translated

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sq(text: str) -> str:
    """The Albanian of a text of the interface (never the English itself)."""
    return translated("sq", text)


def test_working_in_albanian(live_server: Any, page: Page) -> None:
    manager = demo_case_worker()
    case = make_case(case_manager=manager, admitted_on=timezone.localdate() - timedelta(days=20))
    log_in(page, live_server.url, "caseworker")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")

    page.get_by_label("Language").select_option("sq")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "sq")

    page.get_by_role("link", name=sq("My follow-ups")).click()
    page.get_by_role("row", name=case.case_code).get_by_role("link", name=sq("Log contact")).click()
    page.get_by_role("combobox", name=sq("Type")).select_option(label=sq("Home visit"))
    page.get_by_label(sq("I checked the safe-contact instructions first")).check()
    page.get_by_label(capfirst(sq("summary"))).fill("Vizitë në shtëpi; ka filluar kursin.")
    page.get_by_role("button", name=sq("Save")).click()
    expect(page.get_by_text(sq("Contact logged."))).to_be_visible()

    page.goto(f"{live_server.url}/cases/{case.public_id}/")
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    expect(page.get_by_role("heading", name=sq("Profile"))).to_be_visible()
    expect(page.get_by_role("heading", name=sq("Consent"))).to_be_visible()
    page.goto(f"{live_server.url}/cases/{case.public_id}/contacts/")
    expect(page.get_by_text("Vizitë në shtëpi; ka filluar kursin.")).to_be_visible()
    expect(page.get_by_text(sq("Home visit")).first).to_be_visible()
    assert User.objects.get(username="caseworker").language == "sq"

    # Log out: the login page stays in Albanian; log in again from a browser that has
    # forgotten everything and asks for English: the account's choice holds.
    page.get_by_role("button", name=sq("Log out")).click()
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    page.context.clear_cookies()
    page.set_extra_http_headers({"Accept-Language": "en-GB,en;q=0.9"})
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    page.get_by_label("Username").fill("caseworker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    expect(page.get_by_role("link", name=sq("My follow-ups"))).to_be_visible()
