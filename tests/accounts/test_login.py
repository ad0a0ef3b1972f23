from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import World


class TestLogin:
    def test_the_login_page_logs_in_through_django_auth(self, client: Any, world: World) -> None:
        assert client.get("/accounts/login/").status_code == 200
        response = client.post("/accounts/login/", {"username": "cm", "password": "test-pass-123"})
        assert response.status_code == 302
        assert response["Location"] == reverse("home")

    def test_a_wrong_password_is_refused_with_a_message(self, client: Any, world: World) -> None:
        response = client.post("/accounts/login/", {"username": "cm", "password": "wrong"})
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()

    @pytest.mark.parametrize(
        ("persona", "lands_on"),
        [
            ("case_manager", "/cases/?mine=1"),
            ("mdt", "/cases/?mine=1"),
            ("supervisor", "/supervision/"),
        ],
    )
    def test_each_user_lands_on_their_own_work(
        self, client: Any, world: World, persona: str, lands_on: str
    ) -> None:
        client.force_login(world.personas()[persona])
        assert client.get(reverse("home"))["Location"] == lands_on

    def test_an_administrator_lands_on_the_administration_page(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.administrator)
        response = client.get(reverse("home"))
        assert response.status_code == 200
        assert "Manage accounts and organisations" in response.content.decode()

    def test_logout_is_a_post(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        assert client.get("/accounts/logout/").status_code == 405
        response = client.post("/accounts/logout/")
        assert response["Location"] == reverse("login")
        assert client.get(reverse("casework:caseload")).status_code == 302

    def test_anonymous_users_go_to_login(self, client: Any, db: None) -> None:
        response = client.get(reverse("home"))
        assert response["Location"].startswith("/accounts/login/")
