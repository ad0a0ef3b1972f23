"""The caseload review's figures, counted by the database in a fixed number of queries,
whatever the size of the organisation.

Each case's facts (its case manager, when its next contact is due, the stage typical for
its time since admission, its weight, what is overdue) are SQL expressions that follow the
Python rules of the case file rule for rule. One grouped query over the active cases counts
them by case manager, stage, expected stage, follow-up and security risk, and the few dozen
groups are added up here; whether a case has an overdue assessment, an unsigned first plan,
a re-trafficking risk or an overdue case review is looked up in sets the database builds
once per query. Overdue tasks are counted from their own side. A test compares every figure
with the cases its drill-down lists (`review.cases_behind`), which the Python rules decide.
Only the handful of cases the page names (the first ten of a list) are read one by one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Expression,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Greatest, RowNumber
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from assessments.models import Assessment
from cases.choices import TIMELINE_CHILD, CaseStatus, ComplexFactor, RiskLevel, Stage, TeamRole
from cases.deadlines import admitted_before_first_plan_due
from cases.models import ADULT_AGE, Beneficiary, CaseReview, RiskFlag
from cases.models.beneficiary import TYPICAL_STAGE_MONTHS
from cases.selectors import case_managers_in
from monitoring.due_dates import (
    last_contact_or_admission_on,
    next_contact_due,
    organisation_intervals,
)
from monitoring.timeline import extensions_of
from plans.models import PlanVersion, Task, TaskStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A case's follow-up contact, as the review groups cases by it.
LATE, ON_TIME = "late", "on time"
LONG_CASE_MONTHS = 36  # the guides' whole process: about three years
FIRST_NAMED = 10  # the review names this many cases of a list, and links to the rest

OVERDUE_KINDS = {
    "contact": _("Follow-up contacts"),
    "assessment": _("Needs assessments"),
    "plan": _("First signed plans"),
    "task": _("Plan tasks"),
}


# What is overdue on the organisation's active cases, item by item: the review counts them,
# the overdue work list (`supervision.overdue`) lists them.


def overdue_assessments(organisation_id: int, today: date) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        completed_on__isnull=True,
        due_on__lt=today,
        beneficiary__organisation_id=organisation_id,
        beneficiary__status=CaseStatus.ACTIVE,
    )


def overdue_tasks(organisation_id: int, today: date) -> QuerySet[Task]:
    """Tasks of the current plans still to be done past their date."""
    return Task.objects.filter(
        goal__version__beneficiary__organisation_id=organisation_id,
        goal__version__beneficiary__status=CaseStatus.ACTIVE,
        goal__version__superseded_on__isnull=True,
        status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS],
        due_on__lt=today,
    )


def overdue_case_reviews(organisation_id: int, today: date) -> QuerySet[CaseReview]:
    """Multidisciplinary case reviews not yet held past their date."""
    return CaseReview.objects.filter(
        held_on__isnull=True,
        due_on__lt=today,
        beneficiary__organisation_id=organisation_id,
        beneficiary__status=CaseStatus.ACTIVE,
    )


class DateKey(Func):
    """A date as the integer YYYYMMDD: whole-month and age arithmetic in plain SQL on both
    databases (SQLite's date parts are Python functions, slow over thousands of rows)."""

    output_field = IntegerField()
    arity = 1
    template = "CAST(to_char(%(expressions)s, 'YYYYMMDD') AS integer)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        # %% survives the placeholder substitution as a single %.
        return f"CAST(strftime('%%Y%%m%%d', {sql}) AS integer)", params


class JSONArrayLength(Func):
    output_field = IntegerField()
    arity = 1
    function = "jsonb_array_length"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="json_array_length", **extra)


def _int(expression: Any) -> Expression:
    return Cast(expression, IntegerField())


def months_since_admission(today: date) -> Expression:
    """`cases.models.months_between(admitted_on, today)` in SQL."""
    key = DateKey("admitted_on")
    year = key / Value(10000)
    month = key / Value(100) - year * Value(100)
    day = key - key / Value(100) * Value(100)
    months = Value(today.year * 12 + today.month) - year * Value(12) - month
    months = months - Case(When(GreaterThan(day, today.day), then=1), default=0)
    return _int(Greatest(months, Value(0)))


# Up to this many different sums of extra months, the expected stage is found by comparing
# the admission date with a fixed date for each; beyond it, by whole-month arithmetic.
MOST_EXTRA_SUMS = 8


def _extra_months(organisation_id: int) -> tuple[Expression, set[int]]:
    """`monitoring.timeline`'s extra months: the organisation's months for each of the
    case's complex factors, and for a person admitted as a child; and the sums they can
    come to."""
    extra: Expression = Value(0)
    sums = {0}
    for (_org, cause), months in extensions_of([organisation_id]).items():
        if months <= 0:
            continue
        if cause == TIMELINE_CHILD:
            # Under 18 on the admission date (`cases.models.age_on`): born less than 18 years
            # before it, compared as YYYYMMDD so that 29 February follows the Python rule.
            applies: Any = GreaterThan(
                DateKey("date_of_birth") + Value(ADULT_AGE * 10000), DateKey("admitted_on")
            )
        elif cause in ComplexFactor.values:
            applies = Q(_factors__contains=f'"{cause}"')
        else:
            continue
        extra = extra + Case(When(applies, then=Value(months)), default=Value(0))
        sums |= {total + months for total in sums}
    return (_int(extra) if not isinstance(extra, Value) else extra), sums


def _expected_stage(sums: set[int], today: date) -> Case:
    """`cases.models.expected_stage_after` in SQL, over the `_extra` annotation.

    Each stage is stretched by the case's extra months; for each sum the extra months can
    come to, the stage changes on a fixed admission date (`_months_at_least`), so a case is
    placed by two date comparisons rather than by month arithmetic on its every row."""
    if len(sums) > MOST_EXTRA_SUMS:
        length = Value(TYPICAL_STAGE_MONTHS) + F("_extra")
        return Case(
            When(Q(_months__gte=Value(2) * length), then=Value(Stage.INCLUSION)),
            When(Q(_months__gte=length), then=Value(Stage.TRANSITION)),
            default=Value(Stage.CRISIS),
        )
    whens = []
    for stage, stages in ((Stage.INCLUSION, 2), (Stage.TRANSITION, 1)):
        for extra in sorted(sums):
            reached = months_at_least(stages * (TYPICAL_STAGE_MONTHS + extra), today)
            if len(sums) > 1:
                reached &= Q(_extra=extra)
            whens.append(When(reached, then=Value(stage)))
    return Case(*whens, default=Value(Stage.CRISIS))


def _one_of(records: QuerySet[Any]) -> ExpressionWrapper:
    """Whether the case is one of those `records` belong to."""
    return ExpressionWrapper(Q(pk__in=records.values("beneficiary_id")), BooleanField())


def case_facts(organisation_id: int, today: date) -> QuerySet[Any]:
    """The organisation's active cases, each annotated with what the review counts."""
    extra, extra_sums = _extra_months(organisation_id)
    minor_today = Q(date_of_birth__gt=today - relativedelta(years=ADULT_AGE))
    weight = (
        Value(1.0)
        + Value(float(settings.CASELOAD_FACTOR_WEIGHT)) * JSONArrayLength("complex_factors")
        + Case(When(minor_today, then=Value(float(settings.CASELOAD_CHILD_WEIGHT))), default=0.0)
    )
    return (
        Beneficiary.objects.filter(organisation_id=organisation_id, status=CaseStatus.ACTIVE)
        .annotate(
            # A join, not a subquery per case: at most one current case manager (a constraint).
            _manager=FilteredRelation(
                "team",
                condition=Q(team__role=TeamRole.CASE_MANAGER, team__ended_on__isnull=True),
            ),
            manager_id=F("_manager__user_id"),
            _factors=Cast("complex_factors", TextField()),
            _months=months_since_admission(today),
        )
        .annotate(_extra=extra)
        .annotate(
            months=F("_months"),
            expected=_expected_stage(extra_sums, today),
            due=next_contact_due(today, organisation_intervals(organisation_id)),
            weight=Cast(weight, FloatField()),
            # Each a set of cases the database builds once per query and looks every case
            # up in, not a subquery per case.
            assessment_late=_one_of(Assessment.objects.filter(completed_on__isnull=True, due_on__lt=today)),
            plan_signed=_one_of(PlanVersion.objects.filter(signed_on__isnull=False)),
            at_risk=_one_of(RiskFlag.objects.filter(cleared_on__isnull=True)),
            case_review_late=_one_of(CaseReview.objects.filter(held_on__isnull=True, due_on__lt=today)),
        )
        .annotate(
            # Grouped by, so that the due date is worked out once per case.
            # (An active case always has a due date.)
            contact_state=Case(When(due__lt=today, then=Value(LATE)), default=Value(ON_TIME)),
        )
    )  # fmt: skip


def _tallies(today: date) -> dict[str, Any]:
    """What each group of cases adds to the review (besides what its grouping says)."""
    return {
        "active": Count("pk"),
        "weight": Sum("weight"),
        # `months >= 36` for every case, as one comparison (`_months_at_least`).
        "beyond": Count("pk", filter=months_at_least(LONG_CASE_MONTHS, today)),
        "assessment": Count("pk", filter=Q(assessment_late=True)),
        "plan": Count(
            "pk", filter=Q(plan_signed=False, admitted_on__lt=admitted_before_first_plan_due(today))
        ),
        "case_review": Count("pk", filter=Q(case_review_late=True)),
        "at_risk": Count("pk", filter=Q(at_risk=True)),
    }


def months_at_least(months: int, today: date) -> Q:
    """Whole months since admission at least `months`: admitted on or before the day as many
    months ago (`months_between` counts a month once its day of the month is reached, and
    relativedelta keeps 31 January minus a month at 28 or 29 February)."""
    return Q(admitted_on__lte=today - relativedelta(months=months))


# The tallies that add up as whole numbers.
COUNTS = (
    "active", "contact", "beyond", "high_risk", "high_risk_overdue",
    "assessment", "plan", "case_review", "at_risk",
)  # fmt: skip


@dataclass
class Tally:
    active: int = 0
    weight: float = 0.0
    contact: int = 0
    assessment: int = 0
    plan: int = 0
    task: int = 0
    beyond: int = 0
    case_review: int = 0
    high_risk: int = 0
    high_risk_overdue: int = 0
    at_risk: int = 0
    oldest: date | None = None

    def add(self, group: dict[str, Any]) -> None:
        late, high = group["contact_state"] == LATE, group["security_risk"] == RiskLevel.HIGH
        group = {
            **group,
            "contact": group["active"] if late else 0,
            "high_risk": group["active"] if high else 0,
            "high_risk_overdue": group["active"] if high and late else 0,
        }
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + (group[name] or 0))
        self.weight += group["weight"] or 0.0


@dataclass(frozen=True)
class NamedCase:
    """A case the page names: its link and code."""

    public_id: Any
    case_code: str


@dataclass
class WorkerFigures:
    """One row of the review: a case manager's caseload (or the cases without one)."""

    worker: User
    tally: Tally = field(default_factory=Tally)
    by_stage_counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    longest_without_contact: NamedCase | None = None

    @property
    def active(self) -> int:
        return self.tally.active

    @property
    def by_stage(self) -> list[tuple[str, StrOrPromise, int]]:
        return [(stage.value, stage.label, self.by_stage_counts[stage.value]) for stage in Stage]

    @property
    def weighted(self) -> float:
        return round(self.tally.weight, 1)

    @property
    def capacity(self) -> int:
        return self.worker.caseload_capacity or settings.CASELOAD_DEFAULT_CAPACITY

    @property
    def overloaded(self) -> bool:
        return self.weighted > self.capacity

    @property
    def overdue(self) -> list[tuple[str, StrOrPromise, int]]:
        """Overdue items by kind; tasks count each task, the rest count cases."""
        return [(kind, label, getattr(self.tally, kind)) for kind, label in OVERDUE_KINDS.items()]

    @property
    def days_since_contact(self) -> int | None:
        if self.tally.oldest is None:
            return None
        return (timezone.localdate() - self.tally.oldest).days


@dataclass
class Counted:
    """Every count of the review, from one grouped query."""

    workers: list[WorkerFigures]
    overall: Tally
    grid: dict[tuple[str, str], int]  # (current stage, expected stage) → cases

    @property
    def longer(self) -> int:
        """Cases in an earlier stage than the one typical for their time since admission."""
        return sum(
            n
            for (current, expected), n in self.grid.items()
            if Stage.order(current) < Stage.order(expected)
        )


def counted(
    organisation_id: int, today: date | None = None, facts: QuerySet[Any] | None = None
) -> Counted:
    """`facts`: `case_facts` of the organisation, when the caller has them already."""
    today = today or timezone.localdate()
    facts = case_facts(organisation_id, today) if facts is None else facts
    groups = list(
        facts.values("manager_id", "stage", "expected", "contact_state", "security_risk")
        .annotate(**_tallies(today))
        .order_by()
    )
    rows: dict[int | None, WorkerFigures] = {
        w.pk: WorkerFigures(w) for w in case_managers_in(organisation_id)
    }
    # Someone no longer active (or no longer a case worker) may still hold cases.
    holders = {g["manager_id"] for g in groups if g["manager_id"] is not None} - set(rows)
    rows.update({w.pk: WorkerFigures(w) for w in User.objects.filter(pk__in=holders)})
    if any(g["manager_id"] is None for g in groups):
        rows[None] = WorkerFigures(User(username=gettext("(no case manager)")))
    overall = Tally()
    grid: dict[tuple[str, str], int] = defaultdict(int)
    for group in groups:
        row = rows[group["manager_id"]]
        row.tally.add(group)
        row.by_stage_counts[group["stage"]] += group["active"]
        overall.add(group)
        grid[(group["stage"], group["expected"])] += group["active"]
    # Overdue tasks are few: counted from their side, not looked for in every case.
    for manager_id, late_tasks in _late_tasks_by_manager(organisation_id, today):
        rows[manager_id].tally.task += late_tasks
        overall.task += late_tasks
    _name_longest_without_contact(facts, rows)
    return Counted(list(rows.values()), overall, grid)


def _late_tasks_by_manager(organisation_id: int, today: date) -> QuerySet[Any]:
    return (
        overdue_tasks(organisation_id, today)
        .annotate(
            _manager=FilteredRelation(
                "goal__version__beneficiary__team",
                condition=Q(
                    goal__version__beneficiary__team__role=TeamRole.CASE_MANAGER,
                    goal__version__beneficiary__team__ended_on__isnull=True,
                ),
            )
        )
        .values("_manager__user_id")
        .annotate(n=Count("pk"))
        .values_list("_manager__user_id", "n")
        .order_by()
    )


def _name_longest_without_contact(
    facts: QuerySet[Any], rows: dict[int | None, WorkerFigures]
) -> None:
    """Each row's case whose last contact (or admission, if none yet) is the oldest; the
    first by case code where several share the day. One pass over the cases: each case's
    last contact is looked up once, and the database ranks them per case manager."""
    first = (
        facts.annotate(
            _oldest=last_contact_or_admission_on(timezone.get_current_timezone()),
            _rank=Window(
                RowNumber(),
                partition_by=[F("manager_id")],
                order_by=[F("_oldest").asc(), F("case_code").asc()],
            ),
        )
        .filter(_rank=1)
        .values_list("manager_id", "public_id", "case_code", "_oldest")
    )
    for manager_id, public_id, case_code, oldest in first:
        row = rows[manager_id]
        row.longest_without_contact = NamedCase(public_id, case_code)
        row.tally.oldest = oldest
