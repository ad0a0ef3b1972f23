"""Figures over time for one organisation: cases falling behind on follow-up contact, and
each case manager's caseload. A period is counted week by week when short, month by month
when long, so a year reads as 12 points rather than 53 thin ones."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from accounts.models import User
from cases.choices import TeamRole
from cases.models import Closure, TeamMembership
from core import charts
from notifications.models import Notification, NotificationKind

# Up to this many days a period is drawn week by week; a longer one month by month.
WEEKLY_UP_TO_DAYS = 120


@dataclass(frozen=True)
class Trend:
    monthly: bool
    points: list[tuple[date, int]]  # the first day of each week or month, and its count


@dataclass(frozen=True)
class WorkerTrend:
    worker: User
    counts: list[int]  # active cases at the end of each week or month


@dataclass(frozen=True)
class CaseloadTrend:
    monthly: bool
    periods: list[date]  # the first day of each week or month
    workers: list[WorkerTrend]  # by name; only those with a case in the period


def periods_of(start: date, end: date) -> tuple[bool, list[date]]:
    """Whether the period goes month by month, and the first day of each week or month."""
    monthly = (end - start).days > WEEKLY_UP_TO_DAYS
    if monthly:
        first, step = start.replace(day=1), relativedelta(months=1)
    else:
        first, step = start - timedelta(days=start.weekday()), relativedelta(days=7)
    periods = []
    period = first
    while period <= end:
        periods.append(period)
        period += step
    return monthly, periods


def period_label(when: date, monthly: bool, first: bool) -> str:
    """Under a column: the day and month of a week; a month's short name, with the year on a
    second line under the first column and under each January."""
    if not monthly:
        return date_format(when, "d/m")
    if first or when.month == 1:
        return f"{date_format(when, 'M')}\n{when.year}"
    return date_format(when, "M")


def overdue_trend(organisation_id: int, start: date, end: date) -> Trend:
    """Cases that fell behind on follow-up contact in each week or month, from the reminders
    raised (a case counted once per point however many people were reminded)."""
    monthly, periods = periods_of(start, end)
    grain = TruncMonth("created_at") if monthly else TruncWeek("created_at")
    counted = (
        Notification.objects.filter(
            beneficiary__organisation_id=organisation_id,
            kind=NotificationKind.CONTACT_OVERDUE,
            escalated=False,
            created_at__date__gte=start,
            created_at__date__lte=end,
        )
        .annotate(period=grain)
        .values("period")
        .annotate(cases=Count("beneficiary", distinct=True))
        .values_list("period", "cases")
    )
    # PostgreSQL truncates to a moment, SQLite to a date.
    by_period = {(p.date() if hasattr(p, "date") else p): n for p, n in counted}
    return Trend(monthly, [(period, by_period.get(period, 0)) for period in periods])


def overdue_chart(trend: Trend) -> tuple[str, SafeString]:
    """The trend's title and its columns, for the reports page and the caseload review."""
    title = (
        gettext("Cases falling behind on follow-up contact, per month")
        if trend.monthly
        else gettext("Cases falling behind on follow-up contact, per week")
    )
    return title, charts.columns(
        title,
        [
            (period_label(when, trend.monthly, i == 0), n)
            for i, (when, n) in enumerate(trend.points)
        ],
    )


def caseload_trend(organisation_id: int, start: date, end: date) -> CaseloadTrend:
    """Each case manager's open cases at the end of each week or month (the last point on the
    period's end day), from the case-manager memberships and the closures.

    The database counts each person's memberships current on each day, one conditional
    count per point; the few memberships of cases closed at some time in the period are
    then taken off here for the days their case stood closed (a case may have been closed
    and reopened, and handed over, within the period). Four queries whatever the size of
    the organisation."""
    monthly, periods = periods_of(start, end)
    step = relativedelta(months=1) if monthly else relativedelta(days=7)
    as_of = [min(period + step - timedelta(days=1), end) for period in periods]

    memberships = TeamMembership.objects.filter(
        beneficiary__organisation_id=organisation_id,
        role=TeamRole.CASE_MANAGER,
        started_on__lte=end,
    ).exclude(ended_on__lt=as_of[0])
    current_on = {
        f"on_{i}": Count(
            "pk", filter=Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        )
        for i, day in enumerate(as_of)
    }
    counts: dict[int, list[int]] = {
        user_id: list(on_days)
        for user_id, *on_days in memberships.values("user_id")
        .annotate(**current_on)
        .values_list("user_id", *current_on)
        .order_by()
    }
    closures = Closure.objects.filter(
        beneficiary__organisation_id=organisation_id, closed_on__lte=end
    ).exclude(reopened_on__lte=as_of[0])
    closed: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for beneficiary_id, closed_on, reopened_on in closures.values_list(
        "beneficiary_id", "closed_on", "reopened_on"
    ):
        closed[beneficiary_id].append((closed_on, reopened_on))
    for user_id, beneficiary_id, started_on, ended_on in memberships.filter(
        beneficiary__in=closures.values("beneficiary_id")
    ).values_list("user_id", "beneficiary_id", "started_on", "ended_on"):
        for i, day in enumerate(as_of):
            managed = started_on <= day and (ended_on is None or ended_on > day)
            if managed and any(
                closed_on <= day and (reopened_on is None or reopened_on > day)
                for closed_on, reopened_on in closed[beneficiary_id]
            ):
                counts[user_id][i] -= 1

    workers = sorted(
        User.objects.filter(pk__in=[pk for pk, row in counts.items() if any(row)]),
        key=lambda user: (str(user).casefold(), user.pk),
    )
    return CaseloadTrend(
        monthly, periods, [WorkerTrend(worker, counts[worker.pk]) for worker in workers]
    )
