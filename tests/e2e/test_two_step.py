"""A case worker sets up two-step login with an authenticator app, then logs in with it."""

from __future__ import annotations

import re
import time
from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from accounts import services
from tests.e2e.helpers import demo_case_worker, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _code(key: str) -> str:
    """What an authenticator app shows for this key now."""
    return f"{totp(b32decode(key.replace(' ', ''))):06d}"


def test_setting_up_and_logging_in_with_a_code(live_server: Any, page: Page, settings: Any) -> None:
    settings.TWO_STEP_LOGIN_REQUIRED = True
    worker = demo_case_worker()
    enrolment = services.enrolment_code_issue(user=worker, by=None)  # from the administrator
    log_in(page, live_server.url, "caseworker")
    expect(page.get_by_role("heading", name="Set up two-step login")).to_be_visible()
    page.get_by_label("Enrolment code").fill(enrolment)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("img", name="QR code for the authenticator app")).to_be_visible()
    key = page.locator("#two-step-key").inner_text()
    assert re.fullmatch(r"[A-Z2-7 ]+", key)

    page.get_by_label("Code from the app").fill("000000" if _code(key) != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-step login").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("That code was not accepted")

    time.sleep(1.1)  # a wrong code makes the next try wait a second
    page.get_by_label("Code from the app").fill(_code(key))
    page.get_by_role("button", name="Turn on two-step login").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    backup_codes = page.locator("ul.font-monospace li").all_inner_texts()
    assert len(backup_codes) == 10
    page.get_by_role("link", name="I have kept them somewhere safe").click()
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()

    # Next time: the password, then a backup code (the app's code of this half-minute is
    # used up), and the page asked for opens.
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "caseworker")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    expect(page.get_by_role("link", name="My cases")).to_have_count(0)  # no menu yet
    page.get_by_label("Code").fill(backup_codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    expect(page.get_by_text("You used a backup code; 9 left")).to_be_visible()
