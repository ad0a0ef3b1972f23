"""The import in a browser: a supervisor uploads a toolkit workbook, reads the dry run and
confirms. The upload and dry-run pages have no serious axe-core finding and do not scroll
sideways at desktop and tablet widths (the crawl cannot reach the dry run: it needs an
upload)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from playwright.sync_api import Page, expect

from accounts.models import Role
from cases.models import Beneficiary
from tests.e2e.a11y import page_findings
from tests.e2e.conftest import browser_type_launch_args  # noqa: F401 - Debian's Chromium
from tests.e2e.helpers import PASSWORD, demo_case_worker, log_in
from tests.exchange.test_import import filled, person
from tests.factories import UserFactory, make_case

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:Data Validation extension:UserWarning"),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="pages are the same on either database"
    ),
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="no Chromium"),
]


def test_a_supervisor_imports_a_workbook(
    live_server: Any, page: Page, settings: Any, tmp_path: Path
) -> None:
    settings.TWO_STEP_LOGIN_REQUIRED = False
    manager = demo_case_worker()
    UserFactory(
        username="supervisor",
        organisation=manager.organisation,
        role=Role.SUPERVISOR,
        password=PASSWORD,
    )
    existing = make_case(case_manager=manager, first_name="Ana", last_name="Testova")
    workbook = tmp_path / "caseload.xlsx"
    workbook.write_bytes(
        filled(
            [
                person("Mira", "Hoxha", prs_Birthdate=date(2001, 3, 4)),
                person("Ana", "Testova", prs_Birthdate=date(1998, 5, 17)),
                person("Lina", "", vic_TypeOfExploitation="Sexual"),
            ]
        )
    )
    log_in(page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/supervision/reports/")
    page.get_by_role("link", name="Import cases from an HTCDS workbook").click()
    findings = []
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        findings += list(page_findings(page, page.url, width))

    page.get_by_label("HTCDS v2.0 workbook").set_input_files(str(workbook))
    page.get_by_label("Case manager of the new files").select_option(str(manager.pk))
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    expect(page.get_by_text(existing.case_code)).to_be_visible()
    expect(page.get_by_text("Second Name is empty: the intake needs it.")).to_be_visible()
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        findings += list(page_findings(page, page.url, width))
    assert not findings, findings

    page.get_by_role("button", name="Open 1 file").click()
    expect(page.get_by_text("1 file opened from the workbook")).to_be_visible()
    assert Beneficiary.objects.filter(first_name="Mira", organisation=manager.organisation).exists()
