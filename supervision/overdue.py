"""The organisation's overdue work, item by item, for its supervisors: follow-up contacts,
needs assessments, first signed plans, plan tasks, safety-plan reviews and case reviews of its
active cases, most overdue first.

Built on the caseload review's reading of the organisation (`review.active_cases`, whose
follow-ups are those of `monitoring.selectors`) and its overdue queries, plus one query per
kind listed item by item: a fixed number of queries whatever the organisation's size.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from assessments.choices import AssessmentKind
from cases.choices import CaseStatus, RiskLevel
from cases.deadlines import first_plan_due
from cases.models import SafetyPlan
from cases.selectors import case_managers_in

from . import review
from .review import ReviewCase

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The kinds, in the order the totals show them (the review's four first, under its keys).
OVERDUE_WORK_KINDS: dict[str, StrOrPromise] = {
    **review.OVERDUE_KINDS,
    "safety_plan": _("Safety-plan reviews"),
    "case_review": _("Case reviews"),
}
# The one of each kind, for a row.
KIND_LABELS: dict[str, StrOrPromise] = {
    "contact": _("Follow-up contact"),
    "assessment": _("Needs assessment"),
    "plan": _("First signed plan"),
    "task": _("Plan task"),
    "safety_plan": _("Safety-plan review"),
    "case_review": _("Case review"),
}
# Where on the case file each kind is seen to.
ANCHORS = {
    "contact": "follow-up",
    "assessment": "assessment",
    "plan": "plan",
    "task": "plan",
    "safety_plan": "safety",
    "case_review": "case-reviews",
}
ORDER = {kind: n for n, kind in enumerate(OVERDUE_WORK_KINDS)}


@dataclass(frozen=True)
class OverdueItem:
    kind: str
    case: ReviewCase
    due_on: date
    today: date
    detail: StrOrPromise = ""  # which one: the task, the kind of assessment

    @property
    def days_overdue(self) -> int:
        return (self.today - self.due_on).days

    @property
    def label(self) -> StrOrPromise:
        return KIND_LABELS[self.kind]

    @property
    def anchor(self) -> str:
        return ANCHORS[self.kind]

    @property
    def risk_label(self) -> StrOrPromise:
        return RiskLevel(self.case.security_risk).label

    @property
    def high_risk(self) -> bool:
        return self.case.security_risk == RiskLevel.HIGH


def overdue_work(organisation_id: int, today: date | None = None) -> list[OverdueItem]:
    """Every overdue item of the organisation's active cases, the most overdue first."""
    today = today or timezone.localdate()
    cases = {case.pk: case for case in review.active_cases(organisation_id, today)}
    items: list[OverdueItem] = []
    for case in cases.values():
        if case.overdue["contact"]:
            # active_cases gives every active case a due date.
            items.append(OverdueItem("contact", case, cast(date, case.follow_up.due_on), today))
        if case.overdue["plan"]:
            items.append(OverdueItem("plan", case, first_plan_due(case.admitted_on), today))
    rows: list[tuple[str, Any]] = [
        (
            "assessment",
            review.overdue_assessments(organisation_id, today).values_list(
                "beneficiary_id", "due_on", "kind"
            ),
        ),
        (
            "task",
            review.overdue_tasks(organisation_id, today).values_list(
                "goal__version__beneficiary_id", "due_on", "description"
            ),
        ),
        (
            "safety_plan",
            SafetyPlan.objects.filter(
                review_on__lt=today,
                beneficiary__organisation_id=organisation_id,
                beneficiary__status=CaseStatus.ACTIVE,
            ).values_list("beneficiary_id", "review_on", "pk"),
        ),
        (
            "case_review",
            review.overdue_case_reviews(organisation_id, today).values_list(
                "beneficiary_id", "due_on", "pk"
            ),
        ),
    ]
    for kind, found in rows:
        for case_id, due_on, detail in found:
            if case_id not in cases:  # active when read a moment ago, closed since
                continue
            if kind == "assessment":
                detail = AssessmentKind(detail).label
            elif kind != "task":
                detail = ""
            items.append(OverdueItem(kind, cases[case_id], due_on, today, detail))
    return sorted(items, key=lambda i: (i.due_on, i.case.case_code, ORDER[i.kind]))


def narrowed(
    items: list[OverdueItem],
    *,
    worker: str = "",
    stage: str = "",
    risk: str = "",
) -> list[OverdueItem]:
    """The items of one case manager's cases (their id, or "none" for cases without one), in
    one stage, at one risk (`high`, `retrafficking` or `either`): empty values narrow nothing."""
    if worker == "none":
        items = [i for i in items if i.case.manager_id is None]
    elif worker:
        items = [i for i in items if str(i.case.manager_id) == worker]
    if stage:
        items = [i for i in items if i.case.stage == stage]
    if risk in ("high", "either", "retrafficking"):
        items = [
            i
            for i in items
            if (risk != "retrafficking" and i.high_risk) or (risk != "high" and i.case.at_risk)
        ]
    return items


def totals(items: list[OverdueItem]) -> list[tuple[str, StrOrPromise, int]]:
    """How many items of each kind: (kind, label, count), every kind."""
    counts = Counter(i.kind for i in items)
    return [(kind, label, counts[kind]) for kind, label in OVERDUE_WORK_KINDS.items()]


def people_of(organisation_id: int, items: list[OverdueItem]) -> dict[int | None, User]:
    """The organisation's case managers and whoever else holds a case of the items (someone
    who left may still hold cases), by id: one query."""
    holders = {i.case.manager_id for i in items if i.case.manager_id is not None}
    people = User.objects.filter(
        Q(pk__in=case_managers_in(organisation_id).values("pk")) | Q(pk__in=holders)
    ).order_by("first_name", "last_name", "username")
    return {person.pk: person for person in people}
