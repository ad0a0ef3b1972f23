"""A supervisor anonymises a case file whose retention period is over."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.e2e.helpers import PASSWORD, demo_case_worker, log_in
from tests.factories import UserFactory, close_case, make_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_anonymises_an_old_closed_file(live_server: Any, page: Page) -> None:
    manager = demo_case_worker()
    UserFactory(
        username="supervisor",
        organisation=manager.organisation,
        role=Role.SUPERVISOR,
        password=PASSWORD,
    )
    old, kept = (make_case(case_manager=manager, first_name=n) for n in ("Oldfile", "Keptfile"))
    close_case(old, manager)
    close_case(kept, manager)
    later = timezone.now() + relativedelta(years=10, days=5)
    with time_machine.travel(later, tick=True):
        log_in(page, live_server.url, "supervisor")
        page.get_by_role("button", name="Supervision").click()
        page.get_by_role("link", name="Retention").click()
        expect(
            page.get_by_role("heading", name="Retention: closed cases to anonymise")
        ).to_be_visible()
        page.get_by_label(old.case_code).check()
        page.get_by_role("button", name="Anonymise the chosen cases").click()
        # Said in the summary that takes focus, and next to the box.
        expect(page.locator("[data-error-summary]")).to_be_focused()
        expect(page.locator(".invalid-feedback")).to_have_text(
            "Confirm that the details may be erased for good."
        )

        page.get_by_label(old.case_code).check()
        page.get_by_label("I understand").check()
        page.get_by_role("button", name="Anonymise the chosen cases").click()
        expect(page.get_by_text("Personal details erased from 1 case(s).")).to_be_visible()
        expect(page.get_by_label(old.case_code)).to_have_count(0)
        expect(page.get_by_label(kept.case_code)).to_be_visible()

        page.goto(f"{live_server.url}/cases/{old.public_id}/")
        expect(page.get_by_text("(details erased)")).to_be_visible()
        expect(page.get_by_text("Oldfile")).to_have_count(0)
        expect(page.get_by_role("status")).to_contain_text("Anonymised on")
