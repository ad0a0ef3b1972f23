"""The menu and user line every page shows: right links for each role, at a fixed cost."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World


def _menu_links(client: Any) -> str:
    html = client.get(reverse("directory:directory")).content.decode()
    return html[html.index('<ul class="navbar-nav') : html.index("Notifications")]


@pytest.mark.django_db
class TestMainMenu:
    def test_each_role_gets_its_own_menu_whoever_came_first(
        self, client: Any, world: World
    ) -> None:
        # The menu is rendered once per kind of user: a case worker's menu must not be
        # served to the supervisor who asks next, nor the other way round.
        client.force_login(world.case_manager)
        worker_menu = _menu_links(client)
        client.force_login(world.supervisor)
        supervisor_menu = _menu_links(client)
        client.force_login(world.mdt)
        mdt_menu = _menu_links(client)
        client.force_login(world.administrator)
        admin_menu = _menu_links(client)

        assert "Caseload review" not in worker_menu and "Register" in worker_menu
        assert "Caseload review" in supervisor_menu and reverse("reports:report") in supervisor_menu
        assert "Register" not in mdt_menu and "My assessments" in mdt_menu
        assert "My cases" not in admin_menu and reverse("admin:index") in admin_menu
        assert reverse("admin:index") not in supervisor_menu

    def test_the_user_line_is_the_users_own(self, client: Any, world: World) -> None:
        client.force_login(world.supervisor)
        html = client.get(reverse("directory:directory")).content.decode()
        assert f"{world.supervisor} · {world.org.code}" in html

    def test_the_organisation_comes_with_the_user(self, client: Any, world: World) -> None:
        client.force_login(world.supervisor)
        client.get(reverse("directory:directory"))
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("directory:directory"))
        tables = " ".join(q["sql"] for q in captured.captured_queries)
        assert 'FROM "accounts_organisation"' not in tables
        assert "accounts_organisation" in tables  # joined to the user's row

    def test_a_deactivated_user_is_logged_out(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        world.case_manager.is_active = False
        world.case_manager.save()
        response = client.get(reverse("casework:caseload"))
        assert response.status_code == 302 and reverse("login") in response["Location"]
