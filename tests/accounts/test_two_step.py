"""Two-step login: after the password, a code from an authenticator app or a backup code."""

from __future__ import annotations

import io
import re
from base64 import b32decode
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.middleware import PASSED, TWO_STEP
from accounts.models import EnrolmentCode, User
from tests.conftest import World

LOGIN = "/accounts/login/"
PASSWORD = "test-pass-123"
CASELOAD = "/cases/"
VERIFY = "/accounts/two-step/"
SET_UP = "/accounts/two-step/set-up/"
SECURITY = "/accounts/login-security/"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code the app does not show now, nor a step before or after (all three are accepted)."""
    valid = {
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + d):06d}"
        for d in (-1, 0, 1)
    }
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def log_in(client: Any, username: str = "cm", **extra: Any) -> Any:
    return client.post(LOGIN, {"username": username, "password": PASSWORD, **extra})


def with_authenticator(user: Any) -> tuple[TOTPDevice, list[str]]:
    """Set up as the person would: begin, then confirm with the app's current code."""
    device = services.two_step_setup_begin(user=user)
    check = services.two_step_setup_confirm(user=user, code=code_for(device))
    assert check.accepted
    device.refresh_from_db()
    return device, list(check.backup_codes)


def past_second_step(client: Any, clock: Any, user: Any) -> TOTPDevice:
    """Logged in with an authenticator and its code; the clock then shows a fresh code."""
    device, _ = with_authenticator(user)
    client.force_login(user)
    clock.shift(30)
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
    clock.shift(30)
    return device


@pytest.fixture
def required(settings: Any) -> None:
    settings.TWO_STEP_LOGIN_REQUIRED = True


def enrol(client: Any, user: Any) -> None:
    """Enter the enrolment code an administrator gave, as setting up asks first."""
    code = services.enrolment_code_issue(user=user, by=None)
    assert client.post(SET_UP, {"enrolment_code": code})["Location"] == SET_UP


@pytest.fixture
def clock() -> Any:
    """Each test moves on by whole 30-second steps: a code is accepted once only."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.mark.django_db
class TestSettingUpWhenRequired:
    def test_a_password_alone_leads_only_to_setting_up(
        self, client: Any, world: World, required: None
    ) -> None:
        assert log_in(client)["Location"] == reverse("home")
        response = client.get(CASELOAD)
        assert response.status_code == 302
        assert response["Location"] == f"{SET_UP}?next=%2Fcases%2F"
        assert client.get(f"/cases/{world.case.public_id}/")["Location"].startswith(SET_UP)
        # A form sent before the second step goes nowhere, and is not kept as the way back.
        response = client.post(reverse("casework:intake"), {})
        assert response.status_code == 302 and response["Location"] == SET_UP
        assert client.get("/admin/")["Location"].startswith(SET_UP)

    def test_the_page_shows_a_qr_code_and_the_key_and_the_same_ones_again(
        self, client: Any, world: World, required: None
    ) -> None:
        log_in(client)
        enrol(client, world.case_manager)
        html = client.get(f"{SET_UP}?next=/cases/").content.decode()
        assert "<svg" in html and 'class="segno"' in html
        key = re.search(r'id="two-step-key" translate="no">([A-Z2-7 ]+)<', html).group(1)
        device = TOTPDevice.objects.get(user=world.case_manager, confirmed=False)
        assert b32decode(key.replace(" ", "")) == device.bin_key
        again = client.get(SET_UP).content.decode()
        assert key in again
        assert TOTPDevice.objects.filter(user=world.case_manager).count() == 1
        # The menu is not offered before the second step, logging out is.
        assert "Caseload" not in html and reverse("logout") in html

    def test_a_wrong_code_is_refused_next_to_the_field(
        self, client: Any, world: World, required: None, clock: Any
    ) -> None:
        log_in(client)
        enrol(client, world.case_manager)
        client.get(SET_UP)
        device = TOTPDevice.objects.get(user=world.case_manager)
        wrong = wrong_code(device)
        response = client.post(SET_UP, {"code": wrong})
        assert response.status_code == 200
        assert "That code was not accepted" in response.content.decode()
        assert response.context["form"].errors["code"]
        device.refresh_from_db()
        assert not device.confirmed
        assert not StaticToken.objects.exists()
        assert client.get(CASELOAD).status_code == 302

    def test_the_right_code_turns_it_on_and_shows_ten_backup_codes_once(
        self, client: Any, world: World, required: None
    ) -> None:
        log_in(client)
        enrol(client, world.case_manager)
        client.get(SET_UP)
        device = TOTPDevice.objects.get(user=world.case_manager)
        key_before = client.session.session_key
        response = client.post(SET_UP, {"code": code_for(device), "next": "/cases/"})
        assert response.status_code == 200
        codes = response.context["codes"]
        assert len(codes) == 10 and len(set(codes)) == 10
        html = response.content.decode()
        assert all(code in html for code in codes) and 'href="/cases/"' in html
        assert client.session.session_key != key_before
        assert client.session[TWO_STEP] == PASSED
        assert not any(code in str(dict(client.session)) for code in codes)
        device.refresh_from_db()
        assert device.confirmed
        assert client.get(CASELOAD).status_code == 200


@pytest.mark.django_db
class TestLoggingInWithAnAuthenticator:
    def test_every_page_asks_for_the_code_first(self, client: Any, world: World) -> None:
        with_authenticator(world.case_manager)
        log_in(client)
        assert client.get(CASELOAD)["Location"] == f"{VERIFY}?next=%2Fcases%2F"
        assert client.get(SECURITY)["Location"].startswith(VERIFY)

    def test_setting_up_another_phone_needs_the_code_first(self, client: Any, world: World) -> None:
        # Otherwise a stolen password would be enough to add the thief's phone.
        with_authenticator(world.case_manager)
        log_in(client)
        assert client.get(SET_UP)["Location"] == VERIFY
        assert client.post(SET_UP, {"code": "123456"})["Location"] == VERIFY
        assert TOTPDevice.objects.filter(user=world.case_manager).count() == 1

    def test_the_code_opens_the_page_asked_for(self, client: Any, world: World, clock: Any) -> None:
        device, _ = with_authenticator(world.case_manager)
        clock.shift(30)
        log_in(client)
        key_before = client.session.session_key
        response = client.post(VERIFY, {"code": code_for(device), "next": "/cases/"})
        assert response["Location"] == "/cases/"
        assert client.session.session_key != key_before
        assert client.get(CASELOAD).status_code == 200

    def test_a_code_is_accepted_once_only(self, client: Any, world: World, clock: Any) -> None:
        device, _ = with_authenticator(world.case_manager)
        clock.shift(30)
        code = code_for(device)
        log_in(client)
        assert client.post(VERIFY, {"code": code})["Location"] == reverse("home")
        client.post(reverse("logout"))
        log_in(client)
        response = client.post(VERIFY, {"code": code})
        assert response.status_code == 200
        assert "That code was not accepted" in response.content.decode()
        clock.shift(30)
        assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302

    def test_codes_typed_with_a_space_are_accepted(
        self, client: Any, world: World, clock: Any
    ) -> None:
        device, _ = with_authenticator(world.case_manager)
        clock.shift(30)
        code = code_for(device)
        log_in(client)
        assert client.post(VERIFY, {"code": f" {code[:3]} {code[3:]} "}).status_code == 302

    def test_wrong_codes_make_the_next_try_wait(
        self, client: Any, world: World, clock: Any
    ) -> None:
        device, _ = with_authenticator(world.case_manager)
        clock.shift(30)
        log_in(client)
        wrong = wrong_code(device)
        client.post(VERIFY, {"code": wrong})
        # After a wrong code the next try waits a second, even with the right code...
        response = client.post(VERIFY, {"code": code_for(device)})
        assert response.status_code == 200
        assert "wait 1 second before" in response.content.decode()
        clock.shift(1)
        client.post(VERIFY, {"code": wrong})
        # ...and each further wrong code doubles the wait.
        assert "wait 2 seconds" in client.post(VERIFY, {"code": code_for(device)}).content.decode()
        clock.shift(2)
        assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302

    def test_an_address_elsewhere_is_not_followed(
        self, client: Any, world: World, clock: Any
    ) -> None:
        device, _ = with_authenticator(world.case_manager)
        clock.shift(30)
        log_in(client)
        response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
        assert response["Location"] == reverse("home")
        # Nor a bare word, which Django's redirect() would take for the name of a page.
        client.post(reverse("logout"))
        log_in(client)
        clock.shift(30)
        response = client.post(VERIFY, {"code": code_for(device), "next": "logout"})
        assert response["Location"] == reverse("home")

    def test_logging_out_needs_no_code(self, client: Any, world: World) -> None:
        with_authenticator(world.case_manager)
        log_in(client)
        client.post(reverse("logout"))
        assert "_auth_user_id" not in client.session

    def test_the_code_page_is_for_logins_waiting_for_a_code(
        self, client: Any, world: World
    ) -> None:
        log_in(client)  # no authenticator, not required: nothing to enter
        assert client.get(VERIFY)["Location"] == reverse("home")


@pytest.mark.django_db
class TestBackupCodes:
    def test_each_backup_code_works_once(self, client: Any, world: World) -> None:
        _, codes = with_authenticator(world.case_manager)
        log_in(client)
        response = client.post(VERIFY, {"code": codes[0].upper()}, follow=True)
        assert response.status_code == 200
        assert "You used a backup code; 9 left" in response.content.decode()
        client.post(reverse("logout"))
        log_in(client)
        response = client.post(VERIFY, {"code": codes[0]})
        assert response.status_code == 200 and response.context["form"].errors["code"]

    def test_new_backup_codes_replace_the_old_ones(
        self, client: Any, world: World, clock: Any
    ) -> None:
        device = past_second_step(client, clock, world.case_manager)
        old = set(StaticToken.objects.values_list("token", flat=True))
        response = client.post(
            reverse("two_step_backup_codes"),
            {"renew-password": PASSWORD, "renew-code": code_for(device)},
        )
        assert response.status_code == 200
        new = response.context["codes"]
        assert len(old) == 10 and old.isdisjoint(services.backup_code_digest(c) for c in new)
        stored = set(StaticToken.objects.values_list("token", flat=True))
        assert stored == {services.backup_code_digest(c) for c in new}
        assert stored.isdisjoint(new)  # the codes themselves are kept nowhere

    def test_they_need_the_password_again(self, client: Any, world: World, clock: Any) -> None:
        device = past_second_step(client, clock, world.case_manager)
        old = set(StaticToken.objects.values_list("token", flat=True))
        response = client.post(
            reverse("two_step_backup_codes"),
            {"renew-password": "not-it", "renew-code": code_for(device)},
        )
        assert response.status_code == 200
        assert response.context["renew_form"].errors["password"] == ["That is not your password."]
        assert set(StaticToken.objects.values_list("token", flat=True)) == old


@pytest.mark.django_db
class TestWhenNotRequired:
    def test_a_password_alone_logs_in(self, client: Any, world: World) -> None:
        log_in(client)
        assert client.get(CASELOAD).status_code == 200
        html = client.get(SECURITY).content.decode()
        assert "Off" in html and SET_UP in html

    def test_staff_may_turn_it_on_and_are_then_asked_for_codes(
        self, client: Any, world: World, clock: Any
    ) -> None:
        log_in(client)
        client.get(SET_UP)
        device = TOTPDevice.objects.get(user=world.case_manager)
        assert client.post(SET_UP, {"code": code_for(device)}).status_code == 200
        assert client.get(SET_UP)["Location"] == SECURITY  # on already
        assert "10 backup codes left" in client.get(SECURITY).content.decode()
        client.post(reverse("logout"))
        log_in(client)
        assert client.get(CASELOAD)["Location"].startswith(VERIFY)

    def test_and_turn_it_off_with_their_password_and_a_code(
        self, client: Any, world: World, clock: Any
    ) -> None:
        device = past_second_step(client, clock, world.case_manager)
        wrong = wrong_code(device)
        response = client.post(
            reverse("two_step_remove"), {"remove-password": PASSWORD, "remove-code": wrong}
        )
        assert response.status_code == 200 and response.context["remove_form"].errors["code"]
        assert TOTPDevice.objects.filter(user=world.case_manager).exists()
        clock.shift(30)  # past the wait a wrong code causes
        response = client.post(
            reverse("two_step_remove"),
            {"remove-password": PASSWORD, "remove-code": code_for(device)},
        )
        assert response["Location"] == SECURITY
        assert not TOTPDevice.objects.filter(user=world.case_manager).exists()
        assert not StaticToken.objects.exists()


@pytest.mark.django_db
class TestMovingToANewPhoneWhenRequired:
    def test_removing_the_old_one_leads_straight_to_setting_up_the_new(
        self, client: Any, world: World, required: None, clock: Any
    ) -> None:
        device = past_second_step(client, clock, world.case_manager)
        response = client.post(
            reverse("two_step_remove"),
            {"remove-password": PASSWORD, "remove-code": code_for(device)},
        )
        assert response["Location"] == SET_UP
        assert client.get(CASELOAD)["Location"].startswith(SET_UP)
        client.get(SET_UP)
        new = TOTPDevice.objects.get(user=world.case_manager)
        assert new.key != device.key
        assert client.post(SET_UP, {"code": code_for(new)}).status_code == 200
        assert client.get(CASELOAD).status_code == 200


@pytest.mark.django_db
class TestSessionsBegunBefore:
    def test_a_session_without_the_step_is_sent_to_it(
        self, client: Any, world: World, required: None
    ) -> None:
        client.force_login(world.case_manager)
        session = client.session
        del session[TWO_STEP]  # as a login from before two-step login existed
        session.save()
        assert client.get(CASELOAD)["Location"].startswith(SET_UP)


@pytest.mark.django_db
class TestAdministrators:
    def test_reset_a_lost_phone_and_cannot_read_anyone_s_key(
        self, client: Any, world: World, required: None, clock: Any
    ) -> None:
        with_authenticator(world.case_manager)
        past_second_step(client, clock, world.administrator)
        response = client.post(
            "/admin/accounts/user/",
            {
                "action": "reset_two_step_login",
                "_selected_action": [world.case_manager.pk],
            },
            follow=True,
        )
        assert "Two-step login reset for 1 staff member" in response.content.decode()
        assert not TOTPDevice.objects.filter(user=world.case_manager).exists()
        assert TOTPDevice.objects.filter(user=world.administrator).exists()
        apps = {model._meta.app_label for model in admin.site._registry}
        assert not apps & {"otp_totp", "otp_static"}
        assert client.get("/admin/otp_totp/totpdevice/").status_code == 404

    def test_after_a_reset_the_next_login_sets_up_a_new_phone(
        self, client: Any, world: World, required: None
    ) -> None:
        with_authenticator(world.case_manager)
        services.two_step_remove(user=world.case_manager, by=world.administrator)
        log_in(client)
        assert client.get(CASELOAD)["Location"].startswith(SET_UP)


def test_the_wait_is_counted_from_the_last_wrong_code(db: None, world: World) -> None:
    device, _ = with_authenticator(world.case_manager)
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        check = services.two_step_check(user=world.case_manager, code=wrong_code(device))
        assert not check.accepted
        assert check.wait_until == timezone.now() + timedelta(seconds=1)


@pytest.mark.django_db
class TestEnrolmentCodes:
    """Whoever holds only the password of an account that has no authenticator yet cannot
    enrol a phone of their own: setting up asks first for the administrator's code."""

    def test_a_password_alone_shows_no_key_and_enrols_nothing(
        self, client: Any, world: World, required: None
    ) -> None:
        log_in(client)
        html = client.get(SET_UP).content.decode()
        assert 'name="enrolment_code"' in html and "two-step-key" not in html
        assert not TOTPDevice.objects.filter(user=world.case_manager).exists()
        assert client.post(SET_UP, {"code": "123456"}).status_code == 200  # the code page again
        assert not TOTPDevice.objects.filter(user=world.case_manager).exists()
        response = client.post(SET_UP, {"enrolment_code": "ABCDE-FGHJK"})
        assert "That enrolment code is not valid" in response.content.decode()
        assert client.get(CASELOAD)["Location"].startswith(SET_UP)

    def test_the_code_works_once_typed_any_way_and_not_after_it_expires(
        self, client: Any, world: World, required: None, clock: Any
    ) -> None:
        code = services.enrolment_code_issue(user=world.case_manager, by=world.administrator)
        assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code)
        assert services.enrolment_code_valid(
            user=world.case_manager, code=code.lower().replace("-", " ")
        )
        assert not services.enrolment_code_valid(user=world.colleague, code=code)
        clock.shift(72 * 3600 + 1)
        assert not services.enrolment_code_valid(user=world.case_manager, code=code)

    def test_a_key_seen_before_the_code_never_becomes_the_one_that_works(
        self, client: Any, world: World, required: None, clock: Any
    ) -> None:
        seen_early = services.two_step_setup_begin(user=world.case_manager)
        log_in(client)
        enrol(client, world.case_manager)
        client.get(SET_UP)
        device = TOTPDevice.objects.get(user=world.case_manager)
        assert device.pk != seen_early.pk and device.bin_key != seen_early.bin_key
        assert client.post(SET_UP, {"code": code_for(device)}).status_code == 200
        # Used: it opens nothing again.
        assert not EnrolmentCode.objects.filter(user=world.case_manager).exists()

    def test_a_new_account_and_a_reset_give_the_administrator_a_code_once(
        self, client: Any, world: World, clock: Any
    ) -> None:
        client.force_login(world.administrator)
        response = client.post(
            "/admin/accounts/user/add/",
            {
                "username": "newcomer",
                "password1": "a-long-pass-2026",
                "password2": "a-long-pass-2026",
                "usable_password": "true",
                "role": "case_worker",
                "organisation": world.org.pk,
            },
            follow=True,
        )
        shown = re.search(
            r"Enrolment code for newcomer: ([A-Z2-9]{5}-[A-Z2-9]{5})", response.content.decode()
        )
        assert shown, "the code is shown to the administrator"
        newcomer = User.objects.get(username="newcomer")
        assert services.enrolment_code_valid(user=newcomer, code=shown.group(1))
        response = client.post(
            "/admin/accounts/user/",
            {"action": "reset_two_step_login", "_selected_action": [newcomer.pk]},
            follow=True,
        )
        again = re.search(
            r"Enrolment code for newcomer: ([A-Z2-9]{5}-[A-Z2-9]{5})", response.content.decode()
        )
        assert again and again.group(1) != shown.group(1)
        assert not services.enrolment_code_valid(user=newcomer, code=shown.group(1))
        assert EnrolmentCode.objects.get(user=newcomer).digest != again.group(1)  # kept hashed

    def test_the_first_administrator_gets_a_code_from_the_command_line(self, world: World) -> None:
        out = io.StringIO()
        call_command("enrolment_code", "adm", stdout=out)
        assert services.enrolment_code_valid(user=world.administrator, code=out.getvalue().strip())
        with pytest.raises(CommandError):
            call_command("enrolment_code", "nobody", stdout=out)
