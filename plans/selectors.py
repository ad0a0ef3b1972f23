"""Reads of plans, shaped for the pages that show them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from assessments.choices import Priority
from assessments.models import AssessmentSection
from cases.choices import CaseStatus, TeamRole
from cases.deadlines import first_plan_due
from cases.models import Beneficiary, TeamMembership
from cases.selectors import beneficiaries_visible_to, guardian_on

from .models import ACTIVE_TASK_STATUSES, PlanStatus, PlanVersion, SignerRole, Task
from .services import required_roles


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
        version.goals.select_related("document__child", "matrix_indicator").prefetch_related(
            "tasks__assigned_to"
        )
    )
    signatures = list(version.signatures.select_related("recorded_by"))
    return {"goals": goals, "signatures": signatures}


def signature_initial(version: PlanVersion, role: str) -> dict[str, Any]:
    """What the signature form starts with: the role asked for (or the one signature still
    missing); for a child's parent or guardian, the guardian whose authority holds today."""
    today = timezone.localdate()
    missing = required_roles(version.beneficiary, today) - {
        signature.role for signature in version.signatures.all()
    }
    if role not in missing:
        role = next(iter(missing)) if len(missing) == 1 else ""
    initial: dict[str, Any] = {"role": role} if role else {}
    if role == SignerRole.GUARDIAN and (guardian := guardian_on(version.beneficiary, today)):
        initial.update(
            signer_name=guardian.name,
            relationship=guardian.relationship or guardian.get_kind_display(),
        )
    return initial


def my_tasks(user: User) -> QuerySet[Task]:
    """Plan tasks still to be done that are the user's to do or see to, in the current plan of
    the active cases they may see, the most overdue first: those assigned to them, and on the
    cases they manage those held by an outside organisation (the case manager follows them up)."""
    managed = TeamMembership.objects.filter(
        user=user, role=TeamRole.CASE_MANAGER, ended_on__isnull=True
    ).values("beneficiary_id")
    return (
        Task.objects.filter(
            status__in=ACTIVE_TASK_STATUSES,
            goal__version__superseded_on__isnull=True,
            goal__version__beneficiary__status=CaseStatus.ACTIVE,
            goal__version__beneficiary__in=beneficiaries_visible_to(user),
        )
        .filter(
            Q(assigned_to=user)
            | Q(assigned_to__isnull=True, goal__version__beneficiary_id__in=managed)
        )
        .select_related("goal__version__beneficiary")
        .order_by("due_on", "id")
    )
