"""Every page each persona reaches, at desktop and tablet widths: no critical or serious
axe-core violation, and no page wider than its viewport (issue 18).

The demo world is loaded once, then each persona follows the links from their home page (one
or two pages of each kind: case pages differ by data, not by template)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import Page

from demo.seed.accounts import DEMO_PASSWORD
from tests.e2e.a11y import crawl

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    # Pages and styles are the same on either database; the crawl takes minutes, so CI runs
    # it once, in the SQLite pass.
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="checked once, on the SQLite pass of the suite"
    ),
]

PERSONAS = ["caseworker", "supervisor", "psychologist", "lawyer", "admin"]
WIDTHS = (1280, 768)


@pytest.fixture
def demo_world(settings: Any) -> None:
    settings.TWO_STEP_LOGIN_REQUIRED = False
    call_command("seed_demo", verbosity=0)


def test_no_page_has_a_serious_accessibility_violation_or_scrolls_sideways(
    live_server: Any, page: Page, demo_world: None
) -> None:
    report = []
    for username in PERSONAS:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        findings, visited = crawl(page, live_server.url, "/", WIDTHS, per_kind=1)
        assert len(visited) > 10, (username, visited)
        report += [
            f"{username} {f.width}px {f.url}: {f.rule} ({f.impact}) {f.targets} {f.summary}"
            for f in findings
        ]
    assert not report, "\n".join(report)
