"""One digest e-mail a day per person, at the organisation's hour; urgent events at once;
an e-mail for each reminder for those who choose it. At most once, whoever races."""

from __future__ import annotations

import smtplib
import threading
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ReminderEmails
from monitoring import reminders
from notifications import services
from notifications.models import DigestEmail, Notification, NotificationKind
from tests.conftest import World
from tests.factories import make_plan_task
from tests.i18n.helpers import translated

DAY = timezone.localdate()


def _at(hour: int, minute: int = 0, day: date = DAY) -> Any:
    moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
    return time_machine.travel(moment, tick=False)


def _run() -> None:
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _to(address: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def emails(world: World) -> World:
    for user, address in (
        (world.case_manager, "cm@example.org"),
        (world.supervisor, "sup@example.org"),
    ):
        user.email = address
        user.save()
    world.org.digest_hour = 7
    world.org.save()
    return world


def test_one_digest_a_day_at_the_organisations_hour(emails: World) -> None:
    world = emails
    with _at(6, 30):
        _run()  # the reminders are made, nothing e-mailed before the hour
    assert Notification.objects.filter(recipient=world.case_manager).count() == 2
    assert mail.outbox == []

    with _at(7, 0):
        _run()
    (digest,) = _to("cm@example.org")
    assert world.case.case_code in digest.body
    assert "Follow-up contact overdue" in digest.body and "Needs assessment overdue" in digest.body
    assert reverse("notifications:inbox") in digest.body
    assert digest.extra_headers["Message-ID"].startswith("<digest.")
    assert not Notification.objects.filter(
        recipient=world.case_manager, emailed_at__isnull=True
    ).exists()

    # Later the same day: a new reminder waits for tomorrow's digest.
    make_plan_task(
        world.case, world.case_manager, description="Visit the school",
        assigned_to=world.case_manager, due_on=DAY + timedelta(days=1),
    )  # fmt: skip
    with _at(7, 5):
        _run()
        _run()
    with _at(23, 55):
        _run()
    assert len(_to("cm@example.org")) == 1
    with _at(7, 0, day=DAY + timedelta(days=1)):
        _run()
    first, second = _to("cm@example.org")
    assert "Plan task due soon" in second.body
    assert first.extra_headers["Message-ID"] != second.extra_headers["Message-ID"]


def test_the_digest_is_neutral(emails: World) -> None:
    world = emails
    make_plan_task(
        world.case, world.case_manager, description="Call Ardita's sister",
        assigned_to=world.case_manager, due_on=DAY - timedelta(days=1),
    )  # fmt: skip
    with _at(8):
        _run()
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in ("Ardita", world.case.first_name, world.case.last_name, "Visit"):
            assert secret not in text
        assert "traffick" not in text.lower() and "victim" not in text.lower()


def test_the_digest_is_in_the_recipients_language(emails: World) -> None:
    emails.case_manager.language = "sq"
    emails.case_manager.save()
    with _at(9):
        _run()
    (digest,) = _to("cm@example.org")
    label = translated("sq", "Follow-up contact overdue")
    assert label != "Follow-up contact overdue" and label in digest.body


def test_an_hour_the_organisation_sets(emails: World) -> None:
    emails.org.digest_hour = 18
    emails.org.save()
    with _at(17, 55):
        _run()
    assert mail.outbox == []
    with _at(18, 0):
        _run()
    assert len(_to("cm@example.org")) == 1


def test_who_chose_immediate_emails_gets_each_reminder_at_once(emails: World) -> None:
    emails.case_manager.reminder_emails = ReminderEmails.IMMEDIATE
    emails.case_manager.save()
    with _at(3):
        _run()
    assert len(_to("cm@example.org")) == 2  # one per reminder, before any digest hour
    with _at(8):
        _run()
    assert len(_to("cm@example.org")) == 2  # and no digest on top
    assert not DigestEmail.objects.filter(recipient=emails.case_manager).exists()


def test_urgent_events_go_at_once_and_stay_out_of_the_digest(
    emails: World, django_capture_on_commit_callbacks: Any
) -> None:
    with _at(3), django_capture_on_commit_callbacks(execute=True):
        services.risk_raised_notify(beneficiary=emails.case, flag_id=1)
    (alert,) = _to("sup@example.org")
    assert alert.extra_headers["Message-ID"].startswith("<notification.")
    with _at(3, 5):
        _run()
    assert len(_to("sup@example.org")) == 1  # not again, and no digest before the hour
    with _at(7, 10, day=DAY + timedelta(days=10)):
        _run()  # by now the case is overdue past the grace period: escalated to the supervisor
    digests = [
        m for m in _to("sup@example.org") if m.extra_headers["Message-ID"].startswith("<digest.")
    ]
    assert len(digests) == 1
    assert "Risk flag raised" not in digests[0].body


def test_a_read_reminder_is_not_emailed(client: Client, emails: World) -> None:
    with _at(6):
        _run()
    client.force_login(emails.case_manager)
    client.post(reverse("notifications:read"))
    with _at(7):
        _run()
    assert _to("cm@example.org") == []
    assert not DigestEmail.objects.filter(recipient=emails.case_manager).exists()


def test_a_claim_left_by_a_dead_worker_runs_out_and_the_resend_keeps_its_message_id(
    emails: World,
) -> None:
    reminders.scan()
    DigestEmail.objects.create(
        recipient=emails.case_manager, day=DAY, sending_since=timezone.now() - timedelta(minutes=1)
    )
    assert not services.digest_send(recipient_id=emails.case_manager.pk, day=DAY)
    assert mail.outbox == []
    DigestEmail.objects.filter(day=DAY).update(sending_since=timezone.now() - timedelta(minutes=11))
    assert services.digest_send(recipient_id=emails.case_manager.pk, day=DAY)
    assert not services.digest_send(recipient_id=emails.case_manager.pk, day=DAY)  # sent: once
    (sent,) = _to("cm@example.org")
    digest = DigestEmail.objects.get(recipient=emails.case_manager, day=DAY)
    assert sent.extra_headers["Message-ID"] == digest.message_id and digest.reminders == 2


class RefusingServer(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_refused_send_releases_the_claim(emails: World, settings: Any) -> None:
    reminders.scan()
    settings.EMAIL_BACKEND = f"{__name__}.RefusingServer"
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.digest_send(recipient_id=emails.case_manager.pk, day=DAY)
    assert (
        Notification.objects.filter(recipient=emails.case_manager, emailed_at__isnull=True).count()
        == 2
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.digest_send(recipient_id=emails.case_manager.pk, day=DAY)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_digest(emails: World) -> None:
    reminders.scan()
    results: list[bool] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(services.digest_send(recipient_id=emails.case_manager.pk, day=DAY))
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors or connection.vendor == "sqlite"  # SQLite may refuse a racing writer
    assert results.count(True) == 1
    assert len(_to("cm@example.org")) == 1


def test_each_person_chooses_on_the_login_security_page(client: Client, world: World) -> None:
    client.force_login(world.case_manager)
    page = client.get(reverse("login_security")).content.decode()
    assert 'name="reminder_emails"' in page and "7:00" in page
    response = client.post(reverse("reminder_emails"), {"reminder_emails": "immediate"})
    assert response.status_code == 302
    world.case_manager.refresh_from_db()
    assert world.case_manager.reminder_emails == ReminderEmails.IMMEDIATE
    for hostile in ("", "weekly", "<script>", "x" * 500):
        response = client.post(reverse("reminder_emails"), {"reminder_emails": hostile})
        assert response.status_code == 200  # the page again, with the error
    world.case_manager.refresh_from_db()
    assert world.case_manager.reminder_emails == ReminderEmails.IMMEDIATE
    assert client.get(reverse("reminder_emails")).status_code == 405


def test_administrators_set_the_hour_and_each_persons_choice(client: Client, world: World) -> None:
    client.force_login(world.administrator)
    form = client.get(reverse("admin:accounts_organisation_change", args=[world.org.pk]))
    assert 'name="digest_hour"' in form.content.decode()
    user_form = client.get(reverse("admin:accounts_user_change", args=[world.case_manager.pk]))
    assert 'name="reminder_emails"' in user_form.content.decode()


def test_the_kinds_e_mailed_at_once_are_events() -> None:
    from notifications.models import EVENT_KINDS, URGENT_KINDS

    assert URGENT_KINDS <= EVENT_KINDS
    assert NotificationKind.CRISIS_ALARM in URGENT_KINDS
