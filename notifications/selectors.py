"""Reads of notifications: each person's inbox, grouped by case and kind, the most urgent first."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, TypedDict

from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from accounts.models import User

from .models import (
    DUE_SOON_KINDS,
    EVENT_KINDS,
    WARNING_KINDS,
    Notification,
    NotificationKind,
    kinds_of,
)

# The order of the inbox: a crisis first, then the other events, then overdue work (the
# latest first), then what falls due soon, then what is told ahead of time.
URGENCY = Case(
    When(kind=NotificationKind.CRISIS_ALARM, then=Value(0)),
    When(kind__in=EVENT_KINDS, then=Value(1)),
    When(kind__in=DUE_SOON_KINDS, then=Value(3)),
    When(kind__in=WARNING_KINDS, then=Value(4)),
    default=Value(2),
    output_field=IntegerField(),
)


class InboxGroup(TypedDict):
    beneficiary_id: int | None
    code: str | None
    case_id: Any  # the case's public id, None for news about no one case
    kind: str
    urgency: int
    count: int
    unread: int
    escalated: int
    newest_due: Any
    oldest_due: Any


def inbox_groups(
    user: User, *, kind: str = "", case_code: str = "", timing: str = ""
) -> QuerySet[Any]:
    """One row per case and kind of the person's notifications, with how many, how many are
    unread, the newest due date: unread groups first, then by urgency, events the latest
    first, other work the longest due first."""
    rows = Notification.objects.filter(recipient=user)
    if kind:
        rows = rows.filter(kind=kind)
    if case_code:
        rows = rows.filter(beneficiary__case_code__icontains=case_code.strip())
    if timing:
        rows = rows.filter(kind__in=kinds_of(timing))
    return (
        rows.annotate(urgency=URGENCY)
        .values("beneficiary_id", "kind", "urgency")
        .annotate(
            code=F("beneficiary__case_code"),
            case_id=F("beneficiary__public_id"),
            count=Count("id"),
            unread=Count("id", filter=Q(read_at__isnull=True)),
            escalated=Count("id", filter=Q(escalated=True)),
            newest_due=Max("due_on"),
            oldest_due=Min("due_on"),
            event_at=Max("created_at", filter=Q(kind__in=EVENT_KINDS)),
        )
        .annotate(all_read=Case(When(unread=0, then=Value(1)), default=Value(0)))
        .order_by(
            "all_read",
            "urgency",
            F("event_at").desc(nulls_last=True),
            "oldest_due",
            "code",
            "kind",
        )
    )


def inbox_rows(user: User, groups: list[InboxGroup]) -> dict[tuple[int | None, str], list[Any]]:
    """The notifications of these groups (one query), by group, the earliest due first."""
    if not groups:
        return {}
    wanted = Q()
    for group in groups:
        case = group["beneficiary_id"]
        on_case = Q(beneficiary_id=case) if case is not None else Q(beneficiary__isnull=True)
        wanted |= on_case & Q(kind=group["kind"])
    by_group: dict[tuple[int | None, str], list[Any]] = defaultdict(list)
    for row in (
        Notification.objects.filter(recipient=user)
        .filter(wanted)
        .select_related("beneficiary")
        .order_by("due_on", "id")
    ):
        by_group[(row.beneficiary_id, row.kind)].append(row)
    return by_group


KEY_BATCH = 1000  # keys per lookup, for a database without a list parameter


def _listed_keys(keys: list[str]) -> tuple[str, list[Any]] | None:
    """A subquery listing the keys (column `k`), as one parameter however many keys there are (the
    reminder scan passes 100,000 and more; `key__in` needs a placeholder per key, and so a
    query per thousand): a JSON array, which the driver quotes as one string (as an array
    psycopg quoted each key, a third of a repeat scan's time)."""
    if connection.vendor == "postgresql":
        return "SELECT json_array_elements_text(%s::json) AS k", [json.dumps(keys)]
    if connection.vendor == "sqlite":
        return "SELECT value AS k FROM json_each(%s)", [json.dumps(keys)]
    return None


def with_keys(keys: list[str]) -> QuerySet[Notification]:
    """The notifications with these keys, in one query. The same rows as
    `with_keys_batched` (a test compares them on both databases)."""
    listed = _listed_keys(keys)
    if listed is None:
        return with_keys_batched(keys)
    return Notification.objects.filter(key__in=RawSQL(*listed))  # noqa: S611 (keys are a parameter)


def with_keys_batched(keys: list[str]) -> QuerySet[Notification]:
    """The ORM version of `with_keys`: a `key__in` per KEY_BATCH keys, OR-ed (one placeholder
    per key: for a few thousand keys at most)."""
    wanted = Q(pk__in=[])
    for start in range(0, len(keys), KEY_BATCH):
        wanted |= Q(key__in=keys[start : start + KEY_BATCH])
    return Notification.objects.filter(wanted)


def keys_not_used(keys: list[str]) -> set[str]:
    """Which of these keys no notification has yet, in one query: the reminder scan's repeat
    runs find nearly every key used, so only the new ones travel back (an index probe per
    key, whatever the size of the table). The same as `keys_not_used_batched` (a test
    compares them on both databases)."""
    return _keys_that(keys, used=False)


def keys_used(keys: list[str]) -> set[str]:
    """Which of these keys a notification has, in one query (an index probe per key): a
    first scan asks about a few hundred thousand and finds hardly any. The same as
    `keys_used_batched` (a test compares them on both databases)."""
    return _keys_that(keys, used=True)


def _keys_that(keys: list[str], *, used: bool) -> set[str]:
    listed = _listed_keys(keys)
    if listed is None or not keys:
        return keys_used_batched(keys) if used else keys_not_used_batched(keys)
    subquery, params = listed
    table = connection.ops.quote_name(Notification._meta.db_table)
    exists = "EXISTS" if used else "NOT EXISTS"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT listed.k FROM ({subquery}) AS listed "  # noqa: S608 (no input in it)
            f"WHERE {exists} (SELECT 1 FROM {table} AS n WHERE n.key = listed.k)",
            params,
        )
        return {key for (key,) in cursor.fetchall()}


def keys_not_used_batched(keys: list[str]) -> set[str]:
    """The ORM version of `keys_not_used`: a query per KEY_BATCH keys."""
    used: set[str] = set()
    for start in range(0, len(keys), KEY_BATCH):
        batch = keys[start : start + KEY_BATCH]
        used.update(Notification.objects.filter(key__in=batch).values_list("key", flat=True))
    return set(keys) - used


def keys_used_batched(keys: list[str]) -> set[str]:
    """The ORM version of `keys_used`."""
    return set(keys) - keys_not_used_batched(keys)
