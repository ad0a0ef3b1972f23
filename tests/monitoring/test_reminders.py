from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from monitoring import reminders
from notifications import services as notification_services
from notifications.models import Notification
from tests.conftest import World
from tests.factories import make_case


def _kinds(user: Any) -> set[tuple[str, bool]]:
    return set(Notification.objects.filter(recipient=user).values_list("kind", "escalated"))


class TestScan:
    def test_it_finds_overdue_work_and_escalates_past_the_grace_period(self, world: World) -> None:
        reminders.scan()  # the world's case: admitted 20 days ago, no contact, no assessment done
        assert _kinds(world.case_manager) == {
            ("contact_overdue", False),
            ("assessment_overdue", False),
        }
        assert _kinds(world.supervisor) == {("contact_overdue", True), ("assessment_overdue", True)}
        assert not Notification.objects.filter(
            recipient__in=[world.mdt, world.colleague, world.outsider]
        ).exists()

    def test_nothing_is_due_for_a_fresh_case(self, world: World) -> None:
        fresh = make_case(
            case_manager=world.colleague, first_name="New", admitted_on=timezone.localdate()
        )
        reminders.scan()
        assert not Notification.objects.filter(beneficiary=fresh).exists()

    def test_the_first_plan_and_a_long_stage_are_reminded(self, world: World) -> None:
        late = make_case(
            case_manager=world.colleague,
            first_name="Late",
            admitted_on=timezone.localdate() - timedelta(days=250),
        )
        reminders.scan()
        kinds = set(
            Notification.objects.filter(beneficiary=late, recipient=world.colleague).values_list(
                "kind", flat=True
            )
        )
        assert {"plan_overdue", "stage_review", "contact_overdue", "assessment_overdue"} <= kinds

    def test_running_twice_creates_nothing_more(self, world: World) -> None:
        reminders.scan()
        count = Notification.objects.count()
        reminders.scan()
        assert Notification.objects.count() == count

    def test_a_repeat_scan_does_not_even_try_to_insert_what_exists(self, world: World) -> None:
        # A repeat scan is the steady state every five minutes: it looks all the keys up in
        # one query and inserts only the new rows, instead of re-inserting every row for the
        # unique key to discard.
        reminders.scan()
        late = make_case(
            case_manager=world.colleague,
            first_name="Late",
            admitted_on=timezone.localdate() - timedelta(days=250),
        )
        with CaptureQueriesContext(connection) as captured:
            reminders.scan()
        (insert,) = [q["sql"] for q in captured if "INSERT" in q["sql"] or "COPY" in q["sql"]]
        new = Notification.objects.filter(beneficiary=late).count()
        assert new >= 4 and Notification.objects.exclude(beneficiary=late).count() == 4
        if connection.vendor == "sqlite":  # an executemany: logged as "<rows> times: INSERT"
            assert insert.startswith(f"{new} times: ")
        else:  # a COPY, logged with the number of rows
            assert insert.startswith("COPY") and insert.endswith(f": {new} rows")

    def test_a_day_later_the_same_overdue_item_is_not_repeated(self, world: World) -> None:
        reminders.scan()
        count = Notification.objects.count()
        reminders.scan(today=timezone.localdate() + timedelta(days=1))
        assert Notification.objects.count() == count


class TestDelivery:
    def test_each_reminder_is_emailed_once_with_neutral_wording(self, world: World) -> None:
        # Someone who chose an e-mail for each reminder; the daily digest is the default
        # (tests/notifications/test_digest.py).
        world.case_manager.email = "cm@example.org"
        world.case_manager.reminder_emails = "immediate"
        world.case_manager.save()
        pending = reminders.scan()
        sent = [pk for pk in pending if notification_services.deliver(pk)]
        assert not any(notification_services.deliver(pk) for pk in pending)  # claimed once
        assert sent
        to_manager = [m for m in mail.outbox if m.to == ["cm@example.org"]]
        assert len(to_manager) == 2
        body = to_manager[0].body
        assert world.case.case_code in body
        assert world.case.first_name not in body and world.case.last_name not in body
        assert "traffick" not in body.lower() and "victim" not in body.lower()

    def test_the_command_runs_the_same_scan(self, world: World) -> None:
        call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert Notification.objects.filter(recipient=world.case_manager).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_never_duplicate(world: World) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            reminders.scan()
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (
        not errors or connection.vendor == "sqlite"
    )  # SQLite serialises writers; a lock error may surface
    keys = list(Notification.objects.values_list("key", flat=True))
    assert keys and len(keys) == len(set(keys))


class TestNotificationPages:
    def test_the_bell_counts_unread_and_marking_read_clears_it(
        self, client: Any, world: World
    ) -> None:
        reminders.scan()
        client.force_login(world.case_manager)
        page = client.get(reverse("notifications:inbox"))
        assert '2<span class="visually-hidden"> unread' in page.content.decode()
        client.post(reverse("notifications:read"), {"id": "not-a-number"})
        assert (
            Notification.objects.filter(recipient=world.case_manager, read_at__isnull=True).count()
            == 2
        )
        client.post(
            reverse("notifications:read"),
            {"id": Notification.objects.filter(recipient=world.case_manager).first().pk},
        )
        assert (
            Notification.objects.filter(recipient=world.case_manager, read_at__isnull=True).count()
            == 1
        )
        client.post(reverse("notifications:read"))
        assert not Notification.objects.filter(
            recipient=world.case_manager, read_at__isnull=True
        ).exists()

    def test_nobody_marks_someone_elses(self, client: Any, world: World) -> None:
        reminders.scan()
        theirs = Notification.objects.filter(recipient=world.supervisor).first()
        client.force_login(world.case_manager)
        client.post(reverse("notifications:read"), {"id": theirs.pk})
        theirs.refresh_from_db()
        assert theirs.read_at is None


def test_the_benchmark_command_runs_and_keeps_nothing(db: None) -> None:
    from io import StringIO

    from cases.models import Beneficiary

    out = StringIO()
    call_command("benchmark_reminders", cases=30, stdout=out)
    assert f"reminder scan over 30 open cases on {connection.vendor}: first run" in out.getvalue()
    assert not Beneficiary.objects.exists() and not Notification.objects.exists()
