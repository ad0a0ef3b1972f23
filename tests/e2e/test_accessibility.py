"""Every page each persona reaches, at desktop and tablet widths: no critical or serious
axe-core violation, and no page wider than its viewport (issue 18).

With the demo world loaded, each persona follows the links from their home page (one page of
each kind: case pages differ by data, not by template); one test per persona, so that the
suite's workers share them out."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import Page

from tests.e2e.a11y import crawl, page_findings
from tests.e2e.helpers import log_in

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


@pytest.mark.parametrize("username", PERSONAS)
def test_no_page_has_a_serious_accessibility_violation_or_scrolls_sideways(
    live_server: Any, page: Page, demo_world: None, username: str
) -> None:
    log_in(page, live_server.url, username)
    findings, visited = crawl(page, live_server.url, "/", WIDTHS, per_kind=1)
    assert len(visited) > 10, visited
    report = [
        f"{username} {f.width}px {f.url}: {f.rule} ({f.impact}) {f.targets} {f.summary}"
        for f in findings
    ]
    assert not report, "\n".join(report)


def test_a_visit_works_on_a_phone(live_server: Any, page: Page, demo_world: None) -> None:
    report = _phone_findings(page, live_server.url)
    assert not report, "\n".join(report)


def _phone_findings(page: Page, base: str) -> list[str]:
    """On a phone (390 px) the pages of a visit: the caseload, My follow-ups, a case file and
    its contact form fit the screen without sideways scrolling, pass axe, and the case file
    shows "Log a contact" and the follow-up status on the first screen."""
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base, "caseworker")
    page.goto(f"{base}/cases/?mine=1")
    case = page.locator("a.case-code").first.get_attribute("href") or ""
    report = []
    for path in ["/cases/?mine=1", "/cases/", "/follow-ups/", case, f"{case}contacts/add/"]:
        page.goto(base + path)
        report += [
            f"caseworker 390px {f.url}: {f.rule} ({f.impact}) {f.targets}"
            for f in page_findings(page, path, 390)
        ]
        # The lists read as one card per case: not even their own box scrolls sideways.
        sideways = page.evaluate(
            "[...document.querySelectorAll('.table-stack')]"
            ".filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth).length"
        )
        if sideways:
            report.append(f"caseworker 390px {path}: a list scrolls sideways")
    page.goto(base + case)
    log_contact = page.get_by_role("link", name="Log a contact").first
    box = log_contact.bounding_box()
    if box is None or box["y"] > 844:
        report.append(f"caseworker 390px {case}: 'Log a contact' is below the first screen")
    return report
