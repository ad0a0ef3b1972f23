"""What every browser test does first: a case worker of the demo organisation, logged in."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from accounts.models import Discipline, Role, User
from tests.factories import OrganisationFactory, UserFactory

PASSWORD = "demo-pass-2026"


def demo_case_worker(**overrides: Any) -> User:
    organisation = OrganisationFactory(name="Daybreak Association", code="DE")
    data = {
        "username": "caseworker",
        "first_name": "Maren",
        "last_name": "Oduya",
        "organisation": organisation,
        "role": Role.CASE_WORKER,
        "discipline": Discipline.SOCIAL_WORKER,
        "password": PASSWORD,
        **overrides,
    }
    return UserFactory(**data)


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
