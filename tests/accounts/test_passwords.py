"""Staff change their own password; a password an administrator gives is temporary; an
administrator can end every login of a person."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from tests.conftest import World

LOGIN = "/accounts/login/"
PASSWORD = "test-pass-123"
NEW_PASSWORD = "a-longer-new-passphrase-7"
CASELOAD = "/cases/"


def log_in(client: Any, username: str = "cm", password: str = PASSWORD) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def change(client: Any, old: str = PASSWORD, new: str = NEW_PASSWORD, next: str = "") -> Any:
    address = reverse("password_change") + (f"?next={next}" if next else "")
    return client.post(address, {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.mark.django_db
class TestChangingYourPassword:
    def test_the_old_password_is_asked_for(self, client: Any, world: World) -> None:
        log_in(client)
        response = change(client, old="not-it")
        assert response.status_code == 200
        assert response.context["form"].errors["old_password"]
        world.case_manager.refresh_from_db()
        assert world.case_manager.check_password(PASSWORD)

    def test_the_password_rules_apply(self, client: Any, world: World) -> None:
        log_in(client)
        response = change(client, new="password1")
        assert response.status_code == 200
        errors = " ".join(response.context["form"].errors["new_password2"])
        assert "too short" in errors and "too common" in errors
        world.case_manager.refresh_from_db()
        assert world.case_manager.check_password(PASSWORD)

    def test_it_keeps_this_login_and_ends_the_others(self, client: Any, world: World) -> None:
        elsewhere = Client()
        log_in(elsewhere)
        log_in(client)
        response = change(client)
        assert response["Location"] == reverse("login_security")
        assert client.get(CASELOAD).status_code == 200
        assert elsewhere.get(CASELOAD).status_code == 302  # logged out
        world.case_manager.refresh_from_db()
        assert world.case_manager.check_password(NEW_PASSWORD)

    def test_the_login_security_page_links_to_it(self, client: Any, world: World) -> None:
        log_in(client)
        assert (
            reverse("password_change") in client.get("/accounts/login-security/").content.decode()
        )


@pytest.mark.django_db
class TestTemporaryPasswords:
    def test_an_account_made_by_an_administrator_starts_with_one(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.administrator)
        response = client.post(
            "/admin/accounts/user/add/",
            {
                "username": "newcomer",
                "password1": "Temporary-pass-2026",
                "password2": "Temporary-pass-2026",
                "usable_password": "true",
                "organisation": world.org.pk,
                "role": Role.CASE_WORKER,
            },
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert User.objects.get(username="newcomer").must_change_password

    def test_so_does_a_password_an_administrator_sets(self, client: Any, world: World) -> None:
        client.force_login(world.administrator)
        response = client.post(
            f"/admin/accounts/user/{world.case_manager.pk}/password/",
            {"password1": "Temporary-pass-2026", "password2": "Temporary-pass-2026"},
        )
        assert response.status_code == 302
        world.case_manager.refresh_from_db()
        assert world.case_manager.must_change_password

    def test_the_person_chooses_their_own_before_anything_else(
        self, client: Any, world: World
    ) -> None:
        User.objects.filter(pk=world.case_manager.pk).update(must_change_password=True)
        log_in(client)
        response = client.get(CASELOAD)
        assert response["Location"] == f"{reverse('password_change')}?next=%2Fcases%2F"
        page = client.get(response["Location"])
        assert "Choose your password" in page.content.decode()
        assert "My cases" not in page.content.decode()  # no menu to pages that are closed
        assert client.post(reverse("casework:intake"), {})["Location"] == reverse("password_change")
        response = change(client, next="/cases/")
        assert response["Location"] == "/cases/"
        assert client.get(CASELOAD).status_code == 200
        world.case_manager.refresh_from_db()
        assert not world.case_manager.must_change_password

    def test_logging_out_is_still_open(self, client: Any, world: World) -> None:
        User.objects.filter(pk=world.case_manager.pk).update(must_change_password=True)
        log_in(client)
        client.post(reverse("logout"))
        assert "_auth_user_id" not in client.session

    def test_the_second_step_comes_first(self, client: Any, world: World, settings: Any) -> None:
        # With the password alone, nobody may change it: that would lock its owner out.
        settings.TWO_STEP_LOGIN_REQUIRED = True
        User.objects.filter(pk=world.case_manager.pk).update(must_change_password=True)
        log_in(client)
        assert client.get(CASELOAD)["Location"].startswith(reverse("two_step_set_up"))
        assert change(client)["Location"] == reverse("two_step_set_up")
        world.case_manager.refresh_from_db()
        assert world.case_manager.check_password(PASSWORD)


@pytest.mark.django_db
class TestEndingEveryLogin:
    def test_an_administrator_logs_someone_out_everywhere(self, client: Any, world: World) -> None:
        office, laptop = Client(), Client()
        log_in(office)
        log_in(laptop)
        client.force_login(world.administrator)
        response = client.post(
            "/admin/accounts/user/",
            {"action": "end_logins", "_selected_action": [world.case_manager.pk]},
            follow=True,
        )
        assert "Every login of 1 staff member was ended" in response.content.decode()
        history = client.get(f"/admin/accounts/user/{world.case_manager.pk}/history/")
        assert "Logged out everywhere." in history.content.decode()
        assert office.get(CASELOAD).status_code == 302
        assert laptop.get(CASELOAD).status_code == 302
        assert client.get("/admin/").status_code == 200  # the administrator's own stays
        log_in(office)
        assert office.get(CASELOAD).status_code == 200  # and the person can log in again

    def test_staff_log_themselves_out_everywhere_else(self, client: Any, world: World) -> None:
        elsewhere = Client()
        log_in(elsewhere)
        log_in(client)
        response = client.post(reverse("logins_elsewhere_end"), follow=True)
        assert "logged out on every other computer" in response.content.decode()
        assert client.get(CASELOAD).status_code == 200
        assert elsewhere.get(CASELOAD).status_code == 302

    def test_logins_from_before_were_not_ended_by_the_upgrade(self, world: World) -> None:
        # Generation 0 keeps Django's own session hash.
        user = world.case_manager
        assert user.session_generation == 0
        assert user.get_session_auth_hash() == AbstractBaseUser._get_session_auth_hash(user)
