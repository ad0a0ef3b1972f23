"""A supervisor opens the caseload review, drills down to overdue follow-ups, reassigns one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from cases.models import TeamMembership
from tests.e2e.helpers import PASSWORD, demo_case_worker, log_in
from tests.factories import UserFactory, make_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_weekly_review_ends_in_a_reassignment(live_server: Any, page: Page) -> None:
    worker = demo_case_worker()
    UserFactory(
        username="supervisor",
        first_name="Sofia",
        last_name="Lindqvist",
        organisation=worker.organisation,
        role=Role.SUPERVISOR,
        password=PASSWORD,
    )
    colleague = UserFactory(
        username="caseworker2",
        first_name="Tomas",
        last_name="Belic",
        organisation=worker.organisation,
        role=Role.CASE_WORKER,
    )
    silent = make_case(
        case_manager=worker,
        first_name="Mira",
        admitted_on=timezone.localdate() - timedelta(days=30),
    )

    log_in(page, live_server.url, "supervisor")
    expect(page.get_by_role("heading", name="Caseload review")).to_be_visible()
    page.get_by_role("link", name="overdue follow-up contacts of Maren Oduya").click()
    expect(
        page.get_by_role("heading", name="Overdue: follow-up contacts of Maren Oduya")
    ).to_be_visible()
    expect(page.get_by_role("row", name=silent.case_code)).to_contain_text("overdue 23 days")

    page.get_by_label(f"Choose {silent.case_code}").check()
    page.get_by_label("New case manager").select_option(label="Tomas Belic")
    page.get_by_label("Handover note").fill("Maren is on leave; Tomas calls her this week.")
    page.get_by_role("button", name="Reassign").click()
    expect(page.get_by_text("1 case reassigned to Tomas Belic.")).to_be_visible()
    expect(page.get_by_text("No cases.")).to_be_visible()

    current = TeamMembership.objects.get(beneficiary=silent, role="case_manager", ended_on=None)
    assert current.user == colleague
    ended = TeamMembership.objects.get(beneficiary=silent, user=worker)
    assert "Maren is on leave" in ended.end_reason
