"""Repeated wrong passwords pause logging in, for that username from that address only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.client_ip import client_ip
from tests.conftest import World

LOGIN = "/accounts/login/"
PASSWORD = "test-pass-123"


def _attempt(client: Any, password: str, address: str = "10.0.0.1", username: str = "cm") -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client: Any, times: int, **where: str) -> None:
    """Wrong passwords; the one that reaches the limit is already answered with the pause."""
    for attempt in range(1, times + 1):
        expected = 429 if attempt >= settings.AXES_FAILURE_LIMIT else 200
        assert _attempt(client, "wrong", **where).status_code == expected


@pytest.mark.django_db
class TestLockout:
    def test_too_many_wrong_passwords_pause_even_the_right_one(
        self, client: Any, world: World
    ) -> None:
        _fail(client, settings.AXES_FAILURE_LIMIT)
        response = _attempt(client, PASSWORD)
        assert response.status_code == 429
        html = response.content.decode()
        assert "Log in paused" in html and "30 minutes" in html
        assert "_auth_user_id" not in client.session
        assert client.get(reverse("casework:caseload")).status_code == 302  # still logged out

    def test_one_fewer_does_not(self, client: Any, world: World) -> None:
        _fail(client, settings.AXES_FAILURE_LIMIT - 1)
        assert _attempt(client, PASSWORD)["Location"] == reverse("home")

    def test_the_same_username_from_elsewhere_still_logs_in(
        self, client: Any, world: World
    ) -> None:
        # Knowing a colleague's username is not enough to lock them out.
        _fail(client, settings.AXES_FAILURE_LIMIT, address="203.0.113.9")
        assert _attempt(client, PASSWORD, address="10.0.0.1")["Location"] == reverse("home")

    def test_other_users_at_the_same_address_still_log_in(self, client: Any, world: World) -> None:
        _fail(client, settings.AXES_FAILURE_LIMIT)
        assert _attempt(client, PASSWORD, username="sup")["Location"] == reverse("home")

    def test_a_successful_login_clears_the_count(self, client: Any, world: World) -> None:
        _fail(client, settings.AXES_FAILURE_LIMIT - 1)
        _attempt(client, PASSWORD)
        client.logout()
        _fail(client, settings.AXES_FAILURE_LIMIT - 1)
        assert _attempt(client, PASSWORD)["Location"] == reverse("home")

    def test_the_pause_ends(self, client: Any, world: World) -> None:
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            _fail(client, settings.AXES_FAILURE_LIMIT)
            traveller.shift(timedelta(minutes=31))
            assert _attempt(client, PASSWORD)["Location"] == reverse("home")

    def test_an_administrator_can_lift_it(self, client: Any, world: World) -> None:
        _fail(client, settings.AXES_FAILURE_LIMIT)
        call_command("axes_reset_username", "cm")
        assert _attempt(client, PASSWORD)["Location"] == reverse("home")


class TestClientAddress:
    def test_without_a_proxy_the_peer_is_the_client(self) -> None:
        request = RequestFactory().get(
            "/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="10.9.9.9"
        )
        with override_settings(TRUSTED_PROXY_COUNT=0):
            assert client_ip(request) == "198.51.100.7"

    def test_behind_our_proxy_only_its_entry_is_trusted(self) -> None:
        # The client wrote the first entry itself; our proxy appended the real address.
        request = RequestFactory().get(
            "/", REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7"
        )
        with override_settings(TRUSTED_PROXY_COUNT=1):
            assert client_ip(request) == "198.51.100.7"
        with override_settings(TRUSTED_PROXY_COUNT=2):
            assert client_ip(request) == "10.9.9.9"

    def test_a_missing_header_falls_back_to_the_peer(self) -> None:
        request = RequestFactory().get("/", REMOTE_ADDR="172.18.0.2")
        with override_settings(TRUSTED_PROXY_COUNT=1):
            assert client_ip(request) == "172.18.0.2"
