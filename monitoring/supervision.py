"""What a supervisor reviews each week: caseloads, overdue work, stages and cases needing
attention, for one organisation, in a fixed number of queries whatever its size."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from assessments.choices import AssessmentKind
from assessments.models import Assessment
from cases.choices import CaseStatus, ComplexFactor, RiskLevel, Stage, TeamRole
from cases.models import (
    ADULT_AGE,
    Beneficiary,
    Consent,
    Setback,
    TeamMembership,
    age_on,
    expected_stage_after,
    months_between,
)
from cases.selectors import case_managers_in
from plans.models import FIRST_PLAN_DAYS, PlanVersion, Task, TaskStatus
from referrals.choices import OverrideStatus
from referrals.models import ReferralOverride

from .selectors import attach_follow_ups, with_last_contact

OVERDUE_KINDS = {
    "contact": "Follow-up contacts",
    "assessment": "Needs assessments",
    "plan": "First signed plans",
    "task": "Plan tasks",
}
ATTENTION_DAYS = 30  # how far back "recent" setbacks and withdrawn consents go
LONG_CASE_MONTHS = 36  # the guides' whole process: about three years
INITIAL_ASSESSMENT_DAYS = 14


REVIEW_FIELDS = (
    "public_id", "organisation_id", "case_code", "first_name", "last_name", "alias",
    "date_of_birth", "admitted_on", "stage", "status", "security_risk", "complex_factors",
    "cadence_override__days",
)  # fmt: skip


def _manager() -> Subquery:
    current = TeamMembership.objects.filter(
        beneficiary=OuterRef("pk"), role=TeamRole.CASE_MANAGER, ended_on__isnull=True
    )
    return Subquery(current.values("user_id")[:1])


def case_weight(case: Beneficiary, today: date) -> float:
    """A case's share of a caseload: 1, plus the settings' weights for complexity and youth."""
    weight = 1.0 + settings.CASELOAD_FACTOR_WEIGHT * len(case.complex_factors)
    if case.date_of_birth and age_on(case.date_of_birth, today) < ADULT_AGE:
        weight += settings.CASELOAD_CHILD_WEIGHT
    return weight


def active_cases(organisation_id: int, today: date | None = None) -> list[Beneficiary]:
    """The organisation's active cases, each with its case manager and what is overdue."""
    today = today or timezone.localdate()
    overdue_assessment = Assessment.objects.filter(
        beneficiary=OuterRef("pk"), completed_on__isnull=True, due_on__lt=today
    )
    signed = PlanVersion.objects.filter(beneficiary=OuterRef("pk"), signed_on__isnull=False)
    late_tasks = (
        Task.objects.filter(
            goal__version__beneficiary=OuterRef("pk"),
            goal__version__superseded_on__isnull=True,
            status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS],
            due_on__lt=today,
        )
        .values("goal__version__beneficiary")
        .annotate(n=Count("pk"))
        .values("n")
    )
    cases = (
        with_last_contact(
            Beneficiary.objects.filter(organisation_id=organisation_id, status=CaseStatus.ACTIVE)
        )
        # Only what the review reads: loading whole profiles of thousands of cases is slow.
        .only(*REVIEW_FIELDS)
        .annotate(
            manager_id=_manager(),
            assessment_overdue=Exists(overdue_assessment),
            plan_signed=Exists(signed),
            tasks_overdue=Coalesce(Subquery(late_tasks, output_field=IntegerField()), Value(0)),
        )
        .order_by("case_code")
    )
    cases = attach_follow_ups(list(cases))
    first_plan_deadline = today - timedelta(days=FIRST_PLAN_DAYS)
    for case in cases:
        # Worked out once here: the model's properties ask for today's date at every use.
        case.months = months_between(case.admitted_on, today)
        case.expected = expected_stage_after(case.months)
        case.longer = Stage.order(case.stage) < Stage.order(case.expected)
        case.overdue = {
            "contact": case.follow_up.state == "overdue",
            "assessment": case.assessment_overdue,
            "plan": not case.plan_signed and case.admitted_on < first_plan_deadline,
            "task": case.tasks_overdue > 0,
        }
        case.weight = case_weight(case, today)
    return cases


@dataclass
class WorkerRow:
    worker: User
    cases: list[Beneficiary] = field(default_factory=list)

    @cached_property
    def active(self) -> int:
        return len(self.cases)

    @cached_property
    def by_stage(self) -> list[tuple[str, str, int]]:
        counts = Counter(c.stage for c in self.cases)
        return [(stage.value, stage.label, counts[stage.value]) for stage in Stage]

    @cached_property
    def weighted(self) -> float:
        return round(sum(c.weight for c in self.cases), 1)

    @cached_property
    def capacity(self) -> int:
        return self.worker.caseload_capacity or settings.CASELOAD_DEFAULT_CAPACITY

    @cached_property
    def overloaded(self) -> bool:
        return self.weighted > self.capacity

    @cached_property
    def overdue(self) -> list[tuple[str, str, int]]:
        """Overdue items by kind; tasks count each task, the rest count cases."""
        counts = {kind: sum(1 for c in self.cases if c.overdue[kind]) for kind in OVERDUE_KINDS}
        counts["task"] = sum(c.tasks_overdue for c in self.cases)
        return [(kind, label, counts[kind]) for kind, label in OVERDUE_KINDS.items()]

    @cached_property
    def longest_without_contact(self) -> Beneficiary | None:
        """The case whose last contact (or admission, if none yet) is the oldest."""
        return min(
            self.cases,
            key=lambda c: (c.follow_up.last_contact_on or c.admitted_on, c.case_code),
            default=None,
        )

    @cached_property
    def days_since_contact(self) -> int | None:
        case = self.longest_without_contact
        if case is None:
            return None
        last = case.follow_up.last_contact_on or case.admitted_on
        return (timezone.localdate() - last).days


def worker_rows(organisation_id: int, cases: list[Beneficiary]) -> list[WorkerRow]:
    """One row per case manager of the organisation, and one for cases without one."""
    rows = {w.pk: WorkerRow(w) for w in case_managers_in(organisation_id)}
    # Someone no longer active (or no longer a case worker) may still hold cases.
    holders = {c.manager_id for c in cases if c.manager_id is not None} - set(rows)
    rows.update({w.pk: WorkerRow(w) for w in User.objects.filter(pk__in=holders)})
    unassigned: list[Beneficiary] = []
    for case in cases:
        row = rows.get(case.manager_id)
        (row.cases if row else unassigned).append(case)
    result = list(rows.values())
    if unassigned:
        result.append(WorkerRow(User(username="(no case manager)"), unassigned))
    return result


@dataclass(frozen=True)
class StageCell:
    current: str
    expected: str
    count: int


def stage_view(cases: list[Beneficiary]) -> dict[str, Any]:
    """Current stage against the stage expected from time since admission."""
    counts = Counter((c.stage, c.expected) for c in cases)
    grid = [
        [StageCell(current, expected, counts[(current, expected)]) for expected in Stage.values]
        for current in Stage.values
    ]
    return {
        "grid": list(zip(Stage.labels, grid, strict=True)),
        "longer": [c for c in cases if c.longer],
        "beyond": [c for c in cases if c.months >= LONG_CASE_MONTHS],
    }


def attention(organisation_id: int, cases: list[Beneficiary]) -> dict[str, list[Any]]:
    """What a supervisor should look at this week."""
    since = timezone.localdate() - timedelta(days=ATTENTION_DAYS)
    high_risk = [c for c in cases if c.security_risk == RiskLevel.HIGH]
    return {
        "setbacks": list(
            Setback.objects.filter(
                beneficiary__organisation_id=organisation_id, occurred_on__gte=since
            )
            .select_related("beneficiary")
            .order_by("-occurred_on", "-id")
        ),
        "high_risk": high_risk,
        "high_risk_overdue": [c for c in high_risk if c.overdue["contact"]],
        "consents_withdrawn": list(
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
    }


# --- Compliance ------------------------------------------------------------------------


@dataclass
class Share:
    """How many of the cases a rule applied to met it."""

    met: int = 0
    due: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.met / self.due) if self.due else None

    def add(self, met: bool) -> None:
        self.due += 1
        self.met += int(met)


@dataclass
class ComplianceRow:
    label: str
    assessments: Share = field(default_factory=Share)
    plans: Share = field(default_factory=Share)
    contacts: Share = field(default_factory=Share)


def compliance(
    organisation_id: int, start: date, end: date, cases: list[Beneficiary]
) -> list[ComplianceRow]:
    """By case manager and overall.

    Of the admissions in the period whose deadline has passed: the initial assessment
    completed within 14 days, and a plan signed within 30 days. Of the active cases now:
    contacted within their interval. Admissions count for their current case manager.
    """
    today = timezone.localdate()
    initial = Assessment.objects.filter(
        beneficiary=OuterRef("pk"), kind=AssessmentKind.INITIAL
    ).order_by("started_on", "id")
    admissions = (
        Beneficiary.objects.filter(
            organisation_id=organisation_id, admitted_on__gte=start, admitted_on__lte=end
        )
        .annotate(
            manager_id=_manager(),
            assessed_on=Subquery(initial.values("completed_on")[:1]),
            first_signed_on=Subquery(
                PlanVersion.objects.filter(beneficiary=OuterRef("pk"), signed_on__isnull=False)
                .values("beneficiary")
                .annotate(first=Min("signed_on"))
                .values("first")
            ),
        )
        .values_list("manager_id", "admitted_on", "assessed_on", "first_signed_on")
    )
    names = {w.pk: str(w) for w in case_managers_in(organisation_id)}
    rows: dict[Any, ComplianceRow] = defaultdict(lambda: ComplianceRow(""))
    overall = ComplianceRow("All case managers")
    for manager_id, admitted, assessed, signed in admissions:
        for row in (rows[manager_id], overall):
            assessment_deadline = admitted + timedelta(days=INITIAL_ASSESSMENT_DAYS)
            if assessment_deadline < today:
                row.assessments.add(assessed is not None and assessed <= assessment_deadline)
            plan_deadline = admitted + timedelta(days=FIRST_PLAN_DAYS)
            if plan_deadline < today:
                row.plans.add(signed is not None and signed <= plan_deadline)
    for case in cases:
        if case.follow_up.due_on is None:
            continue
        for row in (rows[case.manager_id], overall):
            row.contacts.add(not case.overdue["contact"])
    for manager_id, row in rows.items():
        row.label = names.get(manager_id) or (
            "(no case manager)" if manager_id is None else "Former case manager"
        )
    ordered = sorted(rows.values(), key=lambda r: r.label)
    return [*ordered, overall]


# --- Drill-down ------------------------------------------------------------------------


def cases_behind(key: str, cases: list[Beneficiary]) -> list[Beneficiary]:
    """The cases behind one figure of the review, named by a key the page links with.

    Unknown keys give no cases (never an error): the key comes from the address bar.
    """
    kind, _, value = key.partition(":")
    if kind == "all":
        return cases
    if kind == "stage":
        current, _, expected = value.partition(":")
        return [
            c
            for c in cases
            if c.stage == current and (not expected or c.expected_stage == expected)
        ]
    if kind == "overdue" and value in OVERDUE_KINDS:
        return [c for c in cases if c.overdue[value]]
    if key == "longer":
        return [c for c in cases if c.longer]
    if key == "beyond":
        return [c for c in cases if c.months >= LONG_CASE_MONTHS]
    if key == "high_risk":
        return [c for c in cases if c.security_risk == RiskLevel.HIGH]
    if key == "high_risk_overdue":
        return [c for c in cases if c.security_risk == RiskLevel.HIGH and c.overdue["contact"]]
    return []


def complex_labels(case: Beneficiary) -> list[str]:
    return [ComplexFactor(f).label for f in case.complex_factors]
