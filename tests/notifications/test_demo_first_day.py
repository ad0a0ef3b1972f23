"""The demo's first day: nobody gets more than one reminder e-mail (issue 18)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from notifications.models import URGENT_KINDS, Notification

pytestmark = pytest.mark.django_db


def _at(hour: int, minute: int = 0) -> Any:
    moment = timezone.make_aware(datetime.combine(timezone.localdate(), time(hour, minute)))
    return time_machine.travel(moment, tick=False)


def test_the_demos_first_day_sends_at_most_one_reminder_email_per_person() -> None:
    call_command("seed_demo", verbosity=0)
    mail.outbox.clear()  # what seeding itself sent (crisis alarms raised by the seed)
    # Through the day, as beat runs the scan: before the digest hour, at it, after it.
    for hour, minute in ((0, 5), (6, 55), (7, 0), (7, 5), (12, 0), (23, 55)):
        with _at(hour, minute):
            call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Notification.objects.exclude(kind__in=URGENT_KINDS).count() > 100  # a real flood
    # Urgent events (a crisis alarm, a raised risk, an emergency access) are e-mailed one by
    # one, at once, by design: told apart by their Message-ID, counted separately.
    urgent_ids = {n.message_id for n in Notification.objects.filter(kind__in=URGENT_KINDS)}
    reminders = [m for m in mail.outbox if m.extra_headers["Message-ID"] not in urgent_ids]
    per_person = Counter(m.to[0] for m in reminders)
    assert per_person, "the digests went out"
    assert max(per_person.values()) == 1, per_person.most_common(3)
    staff_with_reminders = set(
        User.objects.filter(notifications__isnull=False, email__gt="", is_active=True).values_list(
            "email", flat=True
        )
    )
    assert set(per_person) <= staff_with_reminders
