"""While someone types a long note, the page tells the server, so the idle timeout waits."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import demo_case_worker, log_in
from tests.factories import make_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_typing_tells_the_server_someone_is_there(
    live_server: Any, page: Page, settings: Any
) -> None:
    settings.SESSION_IDLE_TIMEOUT = 12  # the page then signals every 2 seconds of typing
    manager = demo_case_worker()
    case = make_case(case_manager=manager)
    log_in(page, live_server.url, "caseworker")
    page.goto(f"{live_server.url}/cases/{case.public_id}/contacts/add/")
    summary = page.get_by_label("Summary")
    summary.fill("Called")
    page.wait_for_timeout(2100)

    def still_here(request: Any) -> bool:
        return request.url.endswith("/accounts/still-here/") and request.method == "POST"

    with page.expect_response(lambda r: still_here(r.request)) as signal:
        summary.press_sequentially(" to plan the next visit.")
    assert signal.value.status == 204
    assert page.get_by_label("Summary").input_value().endswith("next visit.")
