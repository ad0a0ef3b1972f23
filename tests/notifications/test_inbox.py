"""The inbox: grouped by case and kind, the most urgent first, filtered, paged, marked read
a group at a time, in the same number of queries however many there are."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from monitoring import reminders
from notifications import views
from notifications.models import Notification, NotificationKind
from plans import services as plan_services
from tests.conftest import World
from tests.factories import make_case, make_plan_task

INBOX = reverse("notifications:inbox")


def _late_tasks(world: World, *descriptions: str) -> None:
    late = timezone.localdate() - timedelta(days=2)
    task = make_plan_task(
        world.case, world.case_manager, description=descriptions[0],
        assigned_to=world.case_manager, due_on=late,
    )  # fmt: skip
    for description in descriptions[1:]:
        plan_services.task_save(
            goal=task.goal,
            actor=world.case_manager,
            data={"description": description, "due_on": late, "assigned_to": world.case_manager},
        )


def _groups(client: Client, query: str = "") -> list[dict[str, Any]]:
    response = client.get(f"{INBOX}?{query}")
    assert response.status_code == 200
    return list(response.context["page"])


def test_one_group_per_case_and_kind_with_the_subjects(client: Client, world: World) -> None:
    _late_tasks(world, "Visit the school", "Apply for the ID card", "Book the dentist")
    reminders.scan()
    client.force_login(world.case_manager)
    groups = _groups(client)
    (tasks,) = [g for g in groups if g["kind"] == NotificationKind.TASK_OVERDUE]
    assert tasks["count"] == 3 and tasks["unread"] == 3 and tasks["code"] == world.case.case_code
    assert tasks["newest_due"] == timezone.localdate() - timedelta(days=2)
    page = client.get(INBOX).content.decode()
    for description in ("Visit the school", "Apply for the ID card", "Book the dentist"):
        assert description in page


def test_overdue_contacts_come_before_warnings_and_events_before_both(
    client: Client, world: World
) -> None:
    late = make_case(
        case_manager=world.case_manager,
        first_name="Late",
        admitted_on=timezone.localdate() - timedelta(days=250),
    )
    reminders.scan()
    from notifications.services import notify

    notify(
        [world.case_manager], late, NotificationKind.CRISIS_ALARM, timezone.localdate(), "crisis:x"
    )
    client.force_login(world.case_manager)
    kinds = [g["kind"] for g in _groups(client)]
    assert kinds[0] == NotificationKind.CRISIS_ALARM
    assert kinds.index(NotificationKind.CONTACT_OVERDUE) < kinds.index(
        NotificationKind.STAGE_REVIEW
    )
    # Overdue work: the longest overdue first (the older case's contact before the newer's).
    contacts = [g for g in _groups(client) if g["kind"] == NotificationKind.CONTACT_OVERDUE]
    assert [g["code"] for g in contacts] == [late.case_code, world.case.case_code]


def test_filters_by_timing_kind_and_case(client: Client, world: World) -> None:
    other = make_case(case_manager=world.case_manager, first_name="Other")
    reminders.scan()
    client.force_login(world.case_manager)
    overdue = _groups(client, "timing=overdue")
    assert overdue and all(g["urgency"] == 2 for g in overdue)
    assert [g["kind"] for g in _groups(client, "kind=contact_overdue")] == [
        NotificationKind.CONTACT_OVERDUE
    ] * len(_groups(client, "kind=contact_overdue"))
    by_case = _groups(client, f"case={world.case.case_code.lower()}")
    assert by_case and {g["code"] for g in by_case} == {world.case.case_code}
    assert other.case_code not in {g["code"] for g in by_case}
    assert _groups(client, "timing=events") == []


@pytest.mark.parametrize(
    "query",
    ["timing=nonsense", "kind=<script>", "case=" + "x" * 500, "page=-1", "page=abc", "case=%00"],
)
def test_hostile_filters_are_ignored_not_an_error(client: Client, world: World, query: str) -> None:
    reminders.scan()
    client.force_login(world.case_manager)
    assert client.get(f"{INBOX}?{query}").status_code == 200


def test_paged_without_a_cap(client: Client, world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr(views, "INBOX_PAGE_SIZE", 1)
    reminders.scan()
    client.force_login(world.case_manager)
    first = client.get(INBOX)
    total = first.context["page"].paginator.count
    assert total == 2
    second = client.get(f"{INBOX}?page=2")
    assert [g["kind"] for g in second.context["page"]] != [g["kind"] for g in first.context["page"]]


def test_marking_a_group_read_marks_that_group_only(client: Client, world: World) -> None:
    _late_tasks(world, "Visit the school", "Book the dentist")
    reminders.scan()
    mine = Notification.objects.filter(recipient=world.case_manager)
    client.force_login(world.case_manager)
    response = client.post(
        reverse("notifications:read"),
        {"kind": "task_overdue", "case": str(world.case.public_id), "return": "timing=overdue"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?timing=overdue")
    assert not mine.filter(kind="task_overdue", read_at__isnull=True).exists()
    assert mine.filter(kind="contact_overdue", read_at__isnull=True).exists()
    # Someone else's group is not theirs to mark.
    supervisor_rows = Notification.objects.filter(recipient=world.supervisor, read_at__isnull=True)
    before = supervisor_rows.count()
    client.post(
        reverse("notifications:read"),
        {"kind": "contact_overdue", "case": str(world.case.public_id)},
    )
    assert supervisor_rows.count() == before
    # All of one's own.
    client.post(reverse("notifications:read"))
    assert not mine.filter(read_at__isnull=True).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "nonsense", "case": "1"},
        {"kind": "task_overdue", "case": "not-a-uuid"},
        {"id": "-3"},
        {"id": "9" * 40},
        {"return": "kind=<script>&page=\x00"},
    ],
)
def test_hostile_marks_mark_nothing_and_never_fail(
    client: Client, world: World, data: dict[str, str]
) -> None:
    reminders.scan()
    client.force_login(world.case_manager)
    unread = Notification.objects.filter(recipient=world.case_manager, read_at__isnull=True)
    before = unread.count()
    response = client.post(reverse("notifications:read"), data)
    assert response.status_code == 302
    if "return" not in data:
        assert unread.count() == before


def test_marking_read_is_post_only(client: Client, world: World) -> None:
    client.force_login(world.case_manager)
    assert client.get(reverse("notifications:read")).status_code == 405


def _inbox_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(INBOX).status_code == 200
    return len(captured)


def test_the_inbox_runs_the_same_queries_however_many_groups(client: Client, world: World) -> None:
    reminders.scan()
    client.force_login(world.supervisor)
    few = _inbox_queries(client)
    for n in range(6):
        make_case(
            case_manager=world.colleague,
            first_name=f"Many{n}",
            admitted_on=timezone.localdate() - timedelta(days=60 + n),
        )
    reminders.scan()
    assert Notification.objects.filter(recipient=world.supervisor).count() > 10
    assert _inbox_queries(client) == few
