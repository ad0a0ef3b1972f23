from __future__ import annotations

from typing import Any

from django.contrib import admin

from tests.conftest import World


class TestAdminSite:
    def test_it_manages_accounts_and_organisations(self, client: Any, world: World) -> None:
        client.force_login(world.administrator)
        assert client.get("/admin/accounts/user/").status_code == 200
        assert client.get("/admin/accounts/organisation/").status_code == 200

    def test_no_case_record_is_registered(self) -> None:
        apps = {model._meta.app_label for model in admin.site._registry}
        assert "cases" not in apps
        # Accounts, reference data and login attempts (where a login pause is lifted) only.
        assert apps <= {"accounts", "auth", "assessments", "monitoring", "plans", "axes"}
        # Of plans, only the organisation's indicator matrix: no plan, goal or signature.
        plans = {m.__name__ for m in admin.site._registry if m._meta.app_label == "plans"}
        assert plans == {"Indicator"}

    def test_case_records_cannot_be_browsed_there(self, client: Any, world: World) -> None:
        client.force_login(world.administrator)
        assert client.get("/admin/cases/").status_code == 404
        assert client.get("/admin/cases/beneficiary/").status_code == 404

    def test_staff_without_admin_rights_are_kept_out(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        assert client.get("/admin/").status_code == 302
