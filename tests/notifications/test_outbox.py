"""Reminder e-mails are sent at least once, and in practice once, whatever dies when.

These are the e-mails sent one by one (urgent events, and the reminders of someone who chose
an e-mail for each); the daily digest's are in test_digest.py."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from accounts.models import ReminderEmails
from monitoring import reminders
from notifications import services
from notifications.models import Notification
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(world: World) -> Notification:
    world.case_manager.email = "cm@example.org"
    world.case_manager.reminder_emails = ReminderEmails.IMMEDIATE
    world.case_manager.save()
    reminders.scan()
    return Notification.objects.filter(recipient=world.case_manager).first()


def _claimed_by_a_worker_that_died(notification: Notification, minutes_ago: int) -> None:
    Notification.objects.filter(pk=notification.pk).update(
        sending_since=timezone.now() - timedelta(minutes=minutes_ago), emailed_at=None
    )


def test_a_claim_left_by_a_dead_worker_is_taken_over_once_it_runs_out(
    pending: Notification,
) -> None:
    _claimed_by_a_worker_that_died(pending, minutes_ago=1)
    assert not services.deliver(pending.pk)  # it may still be sending: not twice
    assert mail.outbox == []
    assert pending.pk in reminders.scan()  # still pending: the scan offers it again

    _claimed_by_a_worker_that_died(pending, minutes_ago=11)
    assert services.deliver(pending.pk)
    assert len(mail.outbox) == 1
    pending.refresh_from_db()
    assert pending.emailed_at is not None and pending.sending_since is None
    assert not services.deliver(pending.pk)  # sent: never again


def test_a_resend_after_a_worker_died_before_marking_carries_the_same_message_id(
    pending: Notification,
) -> None:
    assert services.deliver(pending.pk)
    _claimed_by_a_worker_that_died(pending, minutes_ago=11)  # as if never marked sent
    assert services.deliver(pending.pk)
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert first.message()["Message-ID"] == pending.message_id
    assert str(pending.beneficiary.public_id) not in pending.message_id  # record numbers only


class RefusingServer(BaseEmailBackend):
    """An SMTP server that refuses every message, as a full or down server does."""

    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_refused_send_releases_the_claim_for_the_next_scan(
    pending: Notification, settings: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingServer"
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.deliver(pending.pk)
    pending.refresh_from_db()
    assert pending.emailed_at is None and pending.sending_since is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.deliver(pending.pk)
    assert len(mail.outbox) == 1
