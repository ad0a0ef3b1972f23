"""Reads of notifications: each person's inbox, grouped by case and kind, the most urgent first."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypedDict

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
