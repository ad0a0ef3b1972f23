"""A login ends after 30 minutes without activity, and 8 hours after it began."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World

CASELOAD = "/cases/"


def _logged_in(client: Any) -> bool:
    return client.get(CASELOAD).status_code == 200


@pytest.mark.django_db
class TestIdleTimeout:
    def test_thirty_minutes_without_activity_end_the_login(self, client: Any, world: World) -> None:
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            client.force_login(world.case_manager)
            assert _logged_in(client)
            traveller.shift(timedelta(minutes=31))
            response = client.get(CASELOAD + "?mine=1")
            assert response.status_code == 302
            assert response["Location"] == reverse("login") + "?next=/cases/%3Fmine%3D1"
            page = client.get(response["Location"]).content.decode()
            assert "logged out after 30 minutes without activity" in page
            assert not _logged_in(client)

    def test_activity_keeps_it_going(self, client: Any, world: World) -> None:
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            client.force_login(world.case_manager)
            for _ in range(8):  # two hours, a page every 15 minutes
                traveller.shift(timedelta(minutes=15))
                assert _logged_in(client)

    def test_typing_in_a_form_counts_as_activity(self, client: Any, world: World) -> None:
        # The page's script posts here while someone types a long note.
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            client.force_login(world.case_manager)
            assert _logged_in(client)
            for _ in range(3):
                traveller.shift(timedelta(minutes=20))
                assert client.post(reverse("still_here")).status_code == 204
            assert _logged_in(client)

    def test_a_form_sent_after_the_timeout_goes_to_the_login_page(
        self, client: Any, world: World
    ) -> None:
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            client.force_login(world.case_manager)
            assert _logged_in(client)
            traveller.shift(timedelta(minutes=31))
            response = client.post(reverse("logout"))
            assert response["Location"] == reverse("login")

    def test_the_keep_alive_needs_a_login_and_a_post(self, client: Any, world: World) -> None:
        assert client.post(reverse("still_here")).status_code == 302
        client.force_login(world.case_manager)
        assert client.get(reverse("still_here")).status_code == 405


@pytest.mark.django_db
class TestLoginLimit:
    def test_eight_hours_end_it_however_active(self, client: Any, world: World) -> None:
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            client.force_login(world.case_manager)
            for _ in range(31):  # 7 h 45 min of steady work
                traveller.shift(timedelta(minutes=15))
                assert _logged_in(client)
            traveller.shift(timedelta(minutes=16))
            response = client.get(CASELOAD)
            assert response.status_code == 302
            assert "8 hours after logging in" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_pages_carry_the_keep_alive_address_only_when_logged_in(client: Any, world: World) -> None:
    assert "data-still-here-url" not in client.get(reverse("login")).content.decode()
    client.force_login(world.case_manager)
    html = client.get(CASELOAD).content.decode()
    assert f'data-still-here-url="{reverse("still_here")}"' in html
    assert "js/still-here.js" in html
