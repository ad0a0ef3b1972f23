"""What a supervisor reviews each week: caseloads, overdue work, stages and cases needing
attention, for one organisation, in a fixed number of queries whatever its size."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, Max, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.choices import CaseStatus, ComplexFactor, RiskLevel, Stage, TeamRole
from cases.deadlines import (
    admitted_before_first_plan_due,
)
from cases.models import (
    ADULT_AGE,
    Beneficiary,
    Consent,
    CrisisAlarm,
    EmergencyAccess,
    RiskFlag,
    Setback,
    TeamMembership,
    age_on,
)
from monitoring.choices import DEFAULT_INTERVAL_DAYS, CadencePhase, KeepOpenReason
from monitoring.models import CadenceOverride, ContactInterval, KeepOpenDecision
from monitoring.selectors import FollowUp, follow_up_from, interval_days, keep_open_due_on
from monitoring.timeline import extensions_of, timeline_of
from plans.models import PlanVersion
from referrals.choices import OverrideStatus
from referrals.models import ReferralOverride

from . import figures
from .compliance import compliance
from .figures import (
    LONG_CASE_MONTHS,
    OVERDUE_KINDS,
    overdue_assessments,
    overdue_case_reviews,
    overdue_tasks,
)
from .models import Complaint, ComplaintStatus
from .trends import pictures

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The stage grid's column heads: the stages' short names.
STAGE_SHORT_NAMES = {
    Stage.CRISIS: _("Crisis"),
    Stage.TRANSITION: _("Transition"),
    Stage.INCLUSION: _("Inclusion"),
}
ATTENTION_DAYS = 30  # how far back "recent" setbacks and withdrawn consents go


@dataclass(eq=False)
class ReviewCase:
    """One active case as the review sees it: a light row, not a whole case file.

    The review reads thousands of cases at once; building full model objects for each, with
    a correlated subquery per figure, was most of its cost.
    """

    pk: int
    public_id: Any
    case_code: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    admitted_on: date
    stage: str
    security_risk: str
    complex_factors: list[str]
    last_contact_at: datetime | None
    manager_id: int | None = None
    manager: User | None = None  # set by the drill-down page, which shows the name
    follow_up: FollowUp = field(default_factory=lambda: FollowUp(None, None, None))
    assessment_overdue: bool = False
    plan_signed: bool = False
    tasks_overdue: int = 0
    months: int = 0
    expected: str = Stage.CRISIS  # with the organisation's extra months for this case
    extra_months: int = 0
    longer: bool = False
    case_review_overdue: bool = False  # a multidisciplinary case review is past its date
    at_risk: bool = False  # a re-trafficking risk is raised
    # Past the three-year mark: why it stays open, and whether the case manager is asked now.
    keep_open_reason: StrOrPromise = ""
    keep_open_asked: bool = False
    overdue: dict[str, bool] = field(default_factory=dict)
    weight: float = 1.0

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_stage_display(self) -> StrOrPromise:
        return Stage(self.stage).label

    @property
    def complex_factor_labels(self) -> list[StrOrPromise]:
        return [ComplexFactor(f).label for f in self.complex_factors]


# The columns a ReviewCase is made from, in its fields' order.
REVIEW_COLUMNS = (
    "pk", "public_id", "case_code", "first_name", "last_name", "date_of_birth",
    "admitted_on", "stage", "security_risk", "complex_factors", "last_contact_at",
)  # fmt: skip


def case_weight(case: ReviewCase, today: date) -> float:
    """A case's share of a caseload: 1, plus the settings' weights for complexity and youth."""
    weight = 1.0 + settings.CASELOAD_FACTOR_WEIGHT * len(case.complex_factors)
    if case.date_of_birth and age_on(case.date_of_birth, today) < ADULT_AGE:
        weight += settings.CASELOAD_CHILD_WEIGHT
    return weight


def _restricted(items: QuerySet[Any], case_id: str, only: Collection[int] | None) -> QuerySet[Any]:
    return items if only is None else items.filter(**{f"{case_id}__in": only})


def active_cases(
    organisation_id: int, today: date | None = None, only: Collection[int] | None = None
) -> list[ReviewCase]:
    """The organisation's active cases (or `only` those of them), each with its case manager
    and what is overdue: the drill-down's list, and the cases the review names.

    A fixed handful of set-based queries (one per kind of fact), joined up in Python.
    """
    today = today or timezone.localdate()
    mine: dict[str, Any] = {
        "beneficiary__organisation_id": organisation_id,
        "beneficiary__status": CaseStatus.ACTIVE,
    }
    chosen = Beneficiary.objects.filter(organisation_id=organisation_id, status=CaseStatus.ACTIVE)
    if only is not None:
        mine["beneficiary_id__in"] = only
        chosen = chosen.filter(pk__in=only)
    cases = [ReviewCase(*row) for row in chosen.order_by("case_code").values_list(*REVIEW_COLUMNS)]
    managers = dict(
        TeamMembership.objects.filter(
            role=TeamRole.CASE_MANAGER, ended_on__isnull=True, **mine
        ).values_list("beneficiary_id", "user_id")
    )
    at_risk = set(
        RiskFlag.objects.filter(cleared_on__isnull=True, **mine).values_list(
            "beneficiary_id", flat=True
        )
    )
    kept_open: dict[int, tuple[str, date | None]] = {}
    for case_id, reason, decided_on in (
        KeepOpenDecision.objects.filter(**mine)
        .order_by("beneficiary_id", "decided_on", "id")
        .values_list("beneficiary_id", "reason", "decided_on")
    ):
        kept_open[case_id] = (reason, decided_on)  # the latest wins
    overrides = dict(CadenceOverride.objects.filter(**mine).values_list("beneficiary_id", "days"))
    alarms = dict(  # the latest crisis alarm still within its closer follow-up, by case
        CrisisAlarm.objects.filter(
            raised_at__gte=timezone.now() - timedelta(days=settings.CRISIS_FOLLOW_UP_DAYS + 1),
            **mine,
        )
        .values("beneficiary_id")
        .annotate(last=Max("raised_at"))
        .values_list("beneficiary_id", "last")
    )
    intervals = dict(
        ContactInterval.objects.filter(organisation_id=organisation_id).values_list("phase", "days")
    )
    extensions = extensions_of([organisation_id])
    reviews_overdue = set(
        _restricted(
            overdue_case_reviews(organisation_id, today), "beneficiary_id", only
        ).values_list("beneficiary_id", flat=True)
    )
    assessments_late = set(
        _restricted(
            overdue_assessments(organisation_id, today), "beneficiary_id", only
        ).values_list("beneficiary_id", flat=True)
    )
    signed = set(
        PlanVersion.objects.filter(signed_on__isnull=False, **mine).values_list(
            "beneficiary_id", flat=True
        )
    )
    late_tasks = dict(
        _restricted(overdue_tasks(organisation_id, today), "goal__version__beneficiary_id", only)
        .values("goal__version__beneficiary_id")
        .annotate(n=Count("pk"))
        .values_list("goal__version__beneficiary_id", "n")
    )
    first_plan_deadline = admitted_before_first_plan_due(today)
    # Looked up once: finding the current time zone costs more than the conversion itself.
    zone = timezone.get_current_timezone()
    for case in cases:
        minor = bool(case.date_of_birth and age_on(case.date_of_birth, today) < ADULT_AGE)
        days = interval_days(
            CadencePhase(case.stage), intervals, minor=minor, override_days=overrides.get(case.pk)
        )
        case.follow_up = follow_up_from(
            case.admitted_on,
            days,
            case.last_contact_at,
            zone,
            alarm_at=alarms.get(case.pk),
            alarm_days=intervals.get(
                CadencePhase.AFTER_ALARM, DEFAULT_INTERVAL_DAYS[CadencePhase.AFTER_ALARM]
            ),
        )
        case.manager_id = managers.get(case.pk)
        case.at_risk = case.pk in at_risk
        reason, last_decided = kept_open.get(case.pk, ("", None))
        case.keep_open_reason = KeepOpenReason(reason).label if reason else ""
        case.keep_open_asked = keep_open_due_on(case.admitted_on, last_decided) <= today
        case.assessment_overdue = case.pk in assessments_late
        case.plan_signed = case.pk in signed
        case.tasks_overdue = late_tasks.get(case.pk, 0)
        timeline = timeline_of(
            organisation_id=organisation_id,
            stage=case.stage,
            admitted_on=case.admitted_on,
            date_of_birth=case.date_of_birth,
            complex_factors=case.complex_factors,
            extensions=extensions,
            today=today,
        )
        case.months, case.expected = timeline.months, timeline.expected
        case.extra_months, case.longer = timeline.extra_months, timeline.longer
        case.case_review_overdue = case.pk in reviews_overdue
        case.overdue = {
            # follow_up_from always gives a due date.
            "contact": cast(date, case.follow_up.due_on) < today,
            "assessment": case.assessment_overdue,
            "plan": not case.plan_signed and case.admitted_on < first_plan_deadline,
            "task": case.tasks_overdue > 0,
        }
        case.weight = case_weight(case, today)
    return cases


def first_named(
    organisation_id: int, today: date | None = None, facts: QuerySet[Any] | None = None
) -> dict[str, list[ReviewCase]]:
    """The cases the page names: the first ten of the lists it shows, in their order, each
    worked out in full by the review's Python rules."""
    today = today or timezone.localdate()
    facts = figures.case_facts(organisation_id, today) if facts is None else facts
    late = Q(due__lt=today)
    orders = {
        "high_risk_overdue": facts.filter(late, security_risk=RiskLevel.HIGH).order_by(
            "due", "case_code"
        ),
        "at_risk": facts.filter(at_risk=True).order_by(
            Case(When(late, then=0), default=1), "due", "case_code"
        ),
        "beyond": facts.filter(figures.months_at_least(LONG_CASE_MONTHS, today)).order_by(
            "-months", "case_code"
        ),
    }
    pks = {
        name: list(cases.values_list("pk", flat=True)[: figures.FIRST_NAMED])
        for name, cases in orders.items()
    }
    by_pk = {
        c.pk: c
        for c in active_cases(organisation_id, today, only={p for ps in pks.values() for p in ps})
    }
    return {name: [by_pk[pk] for pk in ids if pk in by_pk] for name, ids in pks.items()}


@dataclass(frozen=True)
class StageCell:
    current: str
    expected: str
    count: int


def stage_view(counts: figures.Counted, named: dict[str, list[ReviewCase]]) -> dict[str, Any]:
    """Current stage against the stage expected from time since admission."""
    grid = [
        [
            StageCell(current, expected, counts.grid.get((current, expected), 0))
            for expected in Stage.values
        ]
        for current in Stage.values
    ]
    return {
        "grid": list(zip(Stage.labels, grid, strict=True)),
        "expected": [STAGE_SHORT_NAMES[Stage(stage)] for stage in Stage.values],
        "longer": counts.longer,
        "case_review_overdue": counts.overall.case_review,
        "beyond": counts.overall.beyond,
        "beyond_first": named["beyond"],
    }


@dataclass(frozen=True)
class FirstAndCount:
    first: list[Any]
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.first)


def _first_named_and_count(rows: QuerySet[Any]) -> FirstAndCount:
    first = list(rows[: figures.FIRST_NAMED])
    count = len(first) if len(first) < figures.FIRST_NAMED else rows.count()
    return FirstAndCount(first, count)


def attention(
    organisation_id: int, counts: figures.Counted, named: dict[str, list[ReviewCase]]
) -> dict[str, Any]:
    """What a supervisor should look at this week."""
    since = timezone.localdate() - timedelta(days=ATTENTION_DAYS)
    return {
        # The latest ten of each, and how many there are: the rest are on the case files.
        "setbacks": _first_named_and_count(
            Setback.objects.filter(
                beneficiary__organisation_id=organisation_id, occurred_on__gte=since
            )
            .select_related("beneficiary")
            .order_by("-occurred_on", "-id")
        ),
        "high_risk": counts.overall.high_risk,
        "high_risk_overdue": counts.overall.high_risk_overdue,
        "high_risk_overdue_first": named["high_risk_overdue"],
        "at_risk": counts.overall.at_risk,
        "at_risk_first": named["at_risk"],
        "consents_withdrawn": _first_named_and_count(
            Consent.objects.filter(
                beneficiary__organisation_id=organisation_id, withdrawn_on__gte=since
            )
            .select_related("beneficiary", "provider")
            .order_by("-withdrawn_on", "-id")
        ),
        "override_requests": list(
            ReferralOverride.objects.filter(
                referral__beneficiary__organisation_id=organisation_id,
                status=OverrideStatus.REQUESTED,
            )
            .select_related("referral__beneficiary", "referral__service", "requested_by")
            .order_by("created_at", "id")
        ),
        "complaints_open": Complaint.objects.filter(
            organisation_id=organisation_id, status=ComplaintStatus.OPEN
        ).count(),
        "emergencies_to_review": EmergencyAccess.objects.filter(
            beneficiary__organisation_id=organisation_id, reviewed_at__isnull=True
        ).count(),
    }


# --- Drill-down ------------------------------------------------------------------------


def cases_behind(key: str, cases: list[ReviewCase], worker: str = "") -> list[ReviewCase]:
    """The cases behind one figure of the review, named by a key the page links with, of one
    case manager (their id), of none ("none"), or of everyone ("").

    Unknown keys give no cases (never an error): both come from the address bar.
    """
    if worker == "none":
        cases = [c for c in cases if c.manager_id is None]
    elif worker.isdigit():
        cases = [c for c in cases if c.manager_id == int(worker)]
    kind, _sep, value = key.partition(":")
    if kind == "all":
        return cases
    if kind == "stage":
        current, _sep, expected = value.partition(":")
        return [c for c in cases if c.stage == current and (not expected or c.expected == expected)]
    if kind == "overdue" and value in OVERDUE_KINDS:
        return [c for c in cases if c.overdue[value]]
    if key == "longer":
        return [c for c in cases if c.longer]
    if key == "beyond":
        return [c for c in cases if c.months >= LONG_CASE_MONTHS]
    if key == "case_review":
        return [c for c in cases if c.case_review_overdue]
    if key == "high_risk":
        return [c for c in cases if c.security_risk == RiskLevel.HIGH]
    if key == "high_risk_overdue":
        return [c for c in cases if c.security_risk == RiskLevel.HIGH and c.overdue["contact"]]
    return []


# The review is computed at most once a minute per organisation and period (Refresh, or a
# reassignment, recomputes it at once): over thousands of cases it takes a moment.
CACHE_SECONDS = 60


def _generation_key(organisation_id: int) -> str:
    return f"caseload-review:{organisation_id}:generation"


def generation(organisation_id: int) -> int:
    """Part of the cached page's key: raised to make the next page recompute."""
    return int(cache.get(_generation_key(organisation_id), 0))


def refresh(organisation_id: int) -> None:
    key = _generation_key(organisation_id)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, None)


class Figures:
    """The review's figures, computed on first use only: a cached page never asks."""

    def __init__(self, organisation_id: int, start: Any, end: Any) -> None:
        self.organisation_id, self.start, self.end = organisation_id, start, end

    @cached_property
    def data(self) -> dict[str, Any]:
        today = timezone.localdate()
        facts = figures.case_facts(self.organisation_id, today)
        counts = figures.counted(self.organisation_id, today, facts)
        named = first_named(self.organisation_id, today, facts)
        return {
            "rows": counts.workers,
            "total": counts.overall.active,
            "stages": stage_view(counts, named),
            "attention": attention(self.organisation_id, counts, named),
            "compliance": compliance(self.organisation_id, self.start, self.end, counts),
            "trends": pictures(self.organisation_id, self.start, self.end),
            "as_of": timezone.localtime(),
        }
