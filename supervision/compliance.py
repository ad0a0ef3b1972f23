"""Whether the deadlines were met, by case manager and overall: the caseload review's
compliance table (its admissions over the period chosen, its contacts as of today)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from assessments.choices import AssessmentKind
from assessments.models import Assessment
from cases.deadlines import first_plan_due, initial_assessment_due
from cases.models import Beneficiary
from cases.selectors import case_managers_in, current_case_manager
from plans.models import PlanVersion

from . import figures


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
    organisation_id: int, start: date, end: date, counts: figures.Counted
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
            manager_id=current_case_manager(),
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
    overall = ComplianceRow(gettext("All case managers"))
    for manager_id, admitted, assessed, signed in admissions:
        for row in (rows[manager_id], overall):
            assessment_deadline = initial_assessment_due(admitted)
            if assessment_deadline < today:
                row.assessments.add(assessed is not None and assessed <= assessment_deadline)
            plan_deadline = first_plan_due(admitted)
            if plan_deadline < today:
                row.plans.add(signed is not None and signed <= plan_deadline)
    for worker in counts.workers:  # every active case has a due date
        if worker.tally.active:
            for row in (rows[worker.worker.pk], overall):
                row.contacts.met += worker.tally.active - worker.tally.contact
                row.contacts.due += worker.tally.active
    for manager_id, row in rows.items():
        row.label = names.get(manager_id) or (
            gettext("(no case manager)") if manager_id is None else gettext("Former case manager")
        )
    ordered = sorted(rows.values(), key=lambda r: r.label)
    return [*ordered, overall]
