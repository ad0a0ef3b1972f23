"""The language of pages and e-mails: the browser's until someone chooses, then theirs."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from monitoring import reminders
from notifications import services as notification_services
from tests.conftest import World
from tests.i18n.helpers import translated as _in

PASSWORD = "test-pass-123"  # tests/factories.py


pytestmark = pytest.mark.django_db


def test_a_page_follows_the_browsers_language_until_someone_chooses(client: Client) -> None:
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="id,en;q=0.5")
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert _in("id", "Log in") in html and _in("id", "Log in") != "Log in"
    assert response["Content-Language"] == "id"
    # A language we do not have falls back to the working language.
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="de")
    assert '<html lang="en-gb">' in response.content.decode()


def test_the_switcher_on_the_login_page_changes_the_language(client: Client) -> None:
    response = client.post(
        reverse("set_language"), {"language": "sq", "next": reverse("login")}, follow=True
    )
    assert '<html lang="sq">' in response.content.decode()
    assert 'name="language"' in response.content.decode()  # the switcher is on the page


def test_a_staff_members_choice_is_kept_on_their_account(world: World, client: Client) -> None:
    client.force_login(world.case_manager)
    client.post(reverse("set_language"), {"language": "sq", "next": "/"})
    world.case_manager.refresh_from_db()
    assert world.case_manager.language == "sq"

    # Another computer, a browser asking for Indonesian: the account's choice wins.
    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="id")
    elsewhere.force_login(world.case_manager)
    response = elsewhere.get(reverse("notifications:inbox"))
    assert '<html lang="sq">' in response.content.decode()
    # The cookie follows, so the login page after logging out stays in Albanian.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sq"


def test_a_language_chosen_before_logging_in_becomes_the_accounts(world: World) -> None:
    world.case_manager.set_password(PASSWORD)
    world.case_manager.save()
    client = Client()
    client.post(reverse("set_language"), {"language": "id", "next": reverse("login")})
    client.post(reverse("login"), {"username": "cm", "password": PASSWORD})
    world.case_manager.refresh_from_db()
    assert world.case_manager.language == "id"


def test_a_login_does_not_override_a_choice_already_made(world: World) -> None:
    world.case_manager.set_password(PASSWORD)
    world.case_manager.language = "sq"
    world.case_manager.save()
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    client.post(reverse("login"), {"username": "cm", "password": PASSWORD})
    world.case_manager.refresh_from_db()
    assert world.case_manager.language == "sq"


def test_an_unknown_language_changes_nothing(world: World, client: Client) -> None:
    client.force_login(world.case_manager)
    client.post(reverse("set_language"), {"language": "xx-evil", "next": "/"})
    world.case_manager.refresh_from_db()
    assert world.case_manager.language == ""


def test_reminder_emails_are_written_in_each_recipients_language(world: World) -> None:
    world.case_manager.email = "cm@example.org"
    world.case_manager.language = "id"
    world.case_manager.reminder_emails = "immediate"  # the daily digest: tests/notifications
    world.case_manager.save()
    with translation.override("sq"):  # whatever language the scan runs in
        for pk in reminders.scan():
            notification_services.deliver(pk)
    sent = [m for m in mail.outbox if m.to == ["cm@example.org"]]
    assert sent
    open_case = _in("id", "Open the case: %(link)s").split("%(link)s")[0]
    assert open_case != "Open the case: "
    assert all(open_case in m.body for m in sent)
    assert all(_in("id", "Casework reminder: %(code)s").split("%")[0] in m.subject for m in sent)
    assert not any("trafficking" in m.body.lower() or "korban" in m.body.lower() for m in sent)


def test_the_export_log_kept_in_english_reads_in_the_readers_language(world: World) -> None:
    from cases.models import ExportLog

    report = ExportLog(what="Report: Setbacks by category")
    listing = ExportLog(what="De-identified case list")
    with translation.override("sq"):
        assert report.what_display == translation.gettext("Report: %(title)s") % {
            "title": _in("sq", "Setbacks by category")
        }
        assert listing.what_display == _in("sq", "De-identified case list")
    assert ExportLog(what="Something older").what_display == "Something older"
