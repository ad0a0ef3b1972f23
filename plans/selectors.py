"""Reads of plans, shaped for the pages that show them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from assessments.choices import Priority
from assessments.models import AssessmentSection
from cases.deadlines import first_plan_due
from cases.models import Beneficiary

from .models import PlanStatus, PlanVersion


@dataclass(frozen=True)
class PlanSummary:
    current: PlanVersion | None
    status: PlanStatus
    due_on: date
    overdue: bool


def summarise(beneficiary: Beneficiary, versions: list[PlanVersion]) -> PlanSummary:
    """The plan's state from its versions: overdue while no version was ever signed past the due date."""
    current = next((v for v in versions if not v.superseded_on), None)
    due_on = first_plan_due(beneficiary.admitted_on)
    ever_signed = any(v.signed_on for v in versions)
    return PlanSummary(
        current=current,
        status=current.status if current else PlanStatus.NOT_STARTED,
        due_on=due_on,
        overdue=not ever_signed and timezone.localdate() > due_on,
    )


def plan_summary(beneficiary: Beneficiary) -> PlanSummary:
    return summarise(beneficiary, list(beneficiary.plan_versions.all()))


def suggested_goals(version: PlanVersion) -> list[AssessmentSection]:
    """Prioritised needs of the assessment the plan starts from, offered as starting goals."""
    if version.based_on_assessment_id is None:
        return []
    return list(
        AssessmentSection.objects.filter(
            assessment_id=version.based_on_assessment_id, not_applicable=False
        )
        .exclude(priority__in=["", Priority.NONE])
        .order_by("id")
    )


def suggestion(version: PlanVersion, section_id: str) -> AssessmentSection | None:
    """One of `suggested_goals`, by the public id a "Take as goal" link carries."""
    try:
        public_id = uuid.UUID(section_id)
    except ValueError:
        return None
    return next((s for s in suggested_goals(version) if s.public_id == public_id), None)


def team_members(beneficiary: Beneficiary) -> QuerySet[User]:
    """Staff on the case team now: the people a task can be given to."""
    return User.objects.filter(
        case_memberships__beneficiary=beneficiary, case_memberships__ended_on__isnull=True
    )


def version_page(version: PlanVersion) -> dict[str, object]:
    goals = list(
        version.goals.select_related("document__child").prefetch_related("tasks__assigned_to")
    )
    signatures = list(version.signatures.select_related("recorded_by"))
    return {"goals": goals, "signatures": signatures}
