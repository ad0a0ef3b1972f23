"""The next contact's due date as a database expression, for lists that sort or filter by it
(the caseload, My follow-ups) and must page correctly without loading every case.

It follows `monitoring.selectors.follow_up_from` and `interval_days` rule for rule (a test
compares the two over every rule, on SQLite and PostgreSQL): the last contact made (the local
date of the case's `last_contact_at`) or else admission, plus the case's own interval, else
the organisation's for the phase (for a child's open case the closer of the stage's and the
child's), with the closer follow-up after a crisis alarm on top; no due date for a closed
case once post-closure monitoring has ended. The pages still show the due date worked out
in Python for their rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import (
    Case,
    DateField,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from cases.choices import CaseStatus, Stage
from cases.models import ADULT_AGE, Beneficiary, CrisisAlarm
from core.sql import LocalDate

from .choices import DEFAULT_INTERVAL_DAYS, MONITORING_YEARS, CadencePhase
from .models import CadenceOverride, ContactInterval


def monitoring_ends_on(admitted_on: date) -> date:
    """Post-closure monitoring lasts until five years after admission."""
    return admitted_on.replace(
        year=admitted_on.year + MONITORING_YEARS, day=min(admitted_on.day, 28)
    )


def _monitored_since(today: date) -> date:
    """The earliest admission still monitored after closure today (`monitoring_ends_on` never
    decreases, so one comparison in SQL says the same as the rule)."""
    admitted = today - relativedelta(years=MONITORING_YEARS) - timedelta(days=5)
    while monitoring_ends_on(admitted) <= today:
        admitted += timedelta(days=1)
    return admitted


class AddDays(Func):
    """A date plus a whole number of days, as a date (PostgreSQL: date + integer)."""

    output_field = DateField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " + "

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", ",
            **extra,
        )


def _organisation_days(
    phase: CadencePhase, organisation_days: Mapping[str, int] | None
) -> Expression:
    """The case's organisation's interval for `phase`, or the default: a constant when the
    caller read the intervals of the one organisation its cases belong to (a subquery per
    phase and row costs more than the rest of the expression together)."""
    if organisation_days is not None:
        return Value(organisation_days.get(phase, DEFAULT_INTERVAL_DAYS[phase]))
    # One row at most (unique per organisation and phase): no ordering, which by default
    # would join the organisation and sort, for every case.
    days = (
        ContactInterval.objects.filter(organisation_id=OuterRef("organisation_id"), phase=phase)
        .order_by()
        .values("days")[:1]
    )
    return Coalesce(
        Subquery(days, output_field=IntegerField()),
        Value(DEFAULT_INTERVAL_DAYS[phase]),
        output_field=IntegerField(),
    )


def last_contact_or_admission_on(zone: Any) -> Coalesce:
    """The local date of the case's last contact made, or of its admission if none yet: what
    the next contact's interval counts from."""
    return Coalesce(LocalDate("last_contact_at", zone), F("admitted_on"), output_field=DateField())


def no_longer_followed_up(today: date) -> Q:
    """The cases `next_contact_due` gives no date: closed, and past post-closure monitoring.
    A filter on this reads two columns; one on the expression works it out for every case."""
    return Q(status=CaseStatus.CLOSED, admitted_on__lt=_monitored_since(today))


def next_contact_due(
    today: date | None = None, organisation_days: Mapping[str, int] | None = None
) -> Expression:
    """For annotating cases (`next_contact_due=next_contact_due()`): when the next contact is
    due, or NULL when the case is no longer followed up. `organisation_days` (phase → days,
    `organisation_intervals`): the intervals of the organisation all the cases belong to."""
    today = today or timezone.localdate()
    zone = timezone.get_current_timezone()
    base = last_contact_or_admission_on(zone)
    # A child: under 18 today (`cases.models.age_on`; no date of birth: not a child).
    minor = Q(date_of_birth__gt=today - relativedelta(years=ADULT_AGE))
    stage_days = []
    for stage in Stage.values:
        own = _organisation_days(CadencePhase(stage), organisation_days)
        child = Least(own, _organisation_days(CadencePhase.CHILD, organisation_days))
        stage_days += [When(Q(stage=stage) & minor, then=child), When(stage=stage, then=own)]
    # Few cases have their own interval or a recent crisis alarm: whether a case is one of
    # them is looked up in a set the database builds once per query, and only theirs are
    # then read row by row (a subquery on every case cost more than the rest together).
    overridden = Q(pk__in=CadenceOverride.objects.values("beneficiary_id"))
    own_days = CadenceOverride.objects.filter(beneficiary=OuterRef("pk")).values("days")[:1]
    days = Case(  # the case's own interval wins, after closure too
        When(overridden, then=Subquery(own_days, output_field=IntegerField())),
        default=Case(
            When(
                status=CaseStatus.CLOSED,
                then=_organisation_days(CadencePhase.AFTER_CLOSURE, organisation_days),
            ),
            *stage_days,
            output_field=IntegerField(),
        ),
        output_field=IntegerField(),
    )
    due = AddDays(base, days)
    # The latest crisis alarm, and whether its closer follow-up still runs today.
    recent_alarms = CrisisAlarm.objects.filter(
        raised_at__gte=timezone.now() - timedelta(days=settings.CRISIS_FOLLOW_UP_DAYS + 1)
    )
    alarm_on = Subquery(
        recent_alarms.filter(beneficiary=OuterRef("pk"))
        .order_by("-raised_at")
        .annotate(on=LocalDate("raised_at", zone))
        .values("on")[:1],
        output_field=DateField(),
    )
    closer_since = today - timedelta(days=settings.CRISIS_FOLLOW_UP_DAYS - 1)
    closer_due = AddDays(
        Greatest(base, alarm_on, output_field=DateField()),
        _organisation_days(CadencePhase.AFTER_ALARM, organisation_days),
    )
    return Case(
        When(no_longer_followed_up(today), then=Value(None, output_field=DateField())),
        When(
            Q(pk__in=recent_alarms.values("beneficiary_id"))
            & GreaterThanOrEqual(alarm_on, Value(closer_since, output_field=DateField())),
            then=Least(due, closer_due, output_field=DateField()),
        ),
        default=due,
        output_field=DateField(),
    )


class NextContactDue(TypedDict):
    next_contact_due: date | None


if TYPE_CHECKING:  # django-stubs-ext is a development tool, not installed in production
    from django_stubs_ext import WithAnnotations

    CaseWithNextContactDue = WithAnnotations[Beneficiary, NextContactDue]


def organisation_intervals(organisation_id: int) -> dict[str, int]:
    """One organisation's contact intervals, phase → days (missing phases: the defaults)."""
    return dict(
        ContactInterval.objects.filter(organisation_id=organisation_id).values_list("phase", "days")
    )


def with_next_contact_due(
    cases: QuerySet[Beneficiary],
    today: date | None = None,
    organisation_days: Mapping[str, int] | None = None,
) -> QuerySet[CaseWithNextContactDue]:
    """Annotate `next_contact_due` (see `next_contact_due`)."""
    return cases.annotate(next_contact_due=next_contact_due(today, organisation_days))
