"""Every change to a reintegration plan goes through these functions (see cases/services.py)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from assessments.models import Assessment
from cases.models import ADULT_AGE, Beneficiary, age_on
from cases.services import guardian_authority_problem
from core.records import EditConflict, save_record

from .models import (
    Goal,
    GoalStatus,
    Indicator,
    PlanVersion,
    Signature,
    SignatureMethod,
    SignerRole,
    Task,
)


def _copy(instance: Any, **changes: Any) -> Any:
    """A new, unsaved row with the same content (and a new public id)."""
    skipped = {"id", "public_id", "created_at", "updated_at"}
    fields = {
        f.name: getattr(instance, f.name)
        for f in instance._meta.concrete_fields
        if f.name not in skipped
    }
    return type(instance)(**{**fields, **changes})


def _require_editable(version: PlanVersion) -> None:
    if version.is_locked:
        raise ValidationError(
            gettext(
                "Signing has started, so this version's content is locked. "
                "Start a new version to change it."
            )
        )


def _require_current(version: PlanVersion) -> None:
    if version.superseded_on:
        raise ValidationError(
            gettext("This version has been replaced by a newer one and is kept as it was signed.")
        )


def latest_completed_assessment(beneficiary: Beneficiary) -> Assessment | None:
    return (
        beneficiary.assessments.filter(completed_on__isnull=False)
        .order_by("-completed_on", "-id")
        .first()
    )


@transaction.atomic
def plan_start(
    *, beneficiary: Beneficiary, actor: User, own_goals: str = "", participants: str = ""
) -> PlanVersion:
    """Open the first version of the case's plan, based on the latest completed assessment."""
    if beneficiary.plan_versions.exists():
        raise ValidationError(
            gettext("This case already has a plan. Start a new version of it instead.")
        )
    version = PlanVersion(
        beneficiary=beneficiary,
        number=1,
        based_on_assessment=latest_completed_assessment(beneficiary),
        own_goals=own_goals,
        participants=participants,
        created_by=actor,
    )
    save_record(version, actor)
    return version


@transaction.atomic
def plan_update(
    *, version: PlanVersion, actor: User, own_goals: str, participants: str, opened_at: str
) -> PlanVersion:
    _require_current(version)
    _require_editable(version)
    version.own_goals, version.participants = own_goals, participants
    save_record(version, actor, opened_at=opened_at)
    return version


@transaction.atomic
def plan_new_version(*, version: PlanVersion, actor: User, reason: str) -> PlanVersion:
    """Replace a locked version with an editable copy that must be signed again."""
    _require_current(version)
    if not version.is_locked:
        raise ValidationError(gettext("This version is still a draft: change it directly."))
    if not reason.strip():
        raise ValidationError({"reason": gettext("Say why the plan changes.")})
    version.superseded_on = timezone.localdate()
    save_record(version, actor)
    successor = PlanVersion(
        beneficiary=version.beneficiary,
        number=version.number + 1,
        based_on_assessment=latest_completed_assessment(version.beneficiary)
        or version.based_on_assessment,
        own_goals=version.own_goals,
        participants=version.participants,
        change_reason=reason,
        created_by=actor,
    )
    save_record(successor, actor)
    goals = version.goals.select_related("origin", "matrix_indicator", "document")
    for goal in goals.prefetch_related("tasks"):
        # The copy points at the goal as first written: the reports count it once.
        goal_copy = _copy(goal, version=successor, origin=goal.origin or goal)
        save_record(goal_copy, actor)
        for task in goal.tasks.all():
            save_record(_copy(task, goal=goal_copy), actor)
    return successor


def _check_goal_dates(version: PlanVersion, target_date: date | None) -> None:
    if target_date and target_date < version.beneficiary.admitted_on:
        raise ValidationError(
            {"target_date": gettext("The target date cannot be before admission.")}
        )


def _indicator_text(version: PlanVersion, data: dict[str, Any], goal: Goal | None) -> str:
    """The goal's indicator as the agreement prints it: what was written, else the name (in
    the current language) of the organisation's indicator chosen. The chosen indicator must
    be the case's organisation's own, and in use unless the goal already had it."""
    # What the save leaves out stays as the goal has it.
    chosen: Indicator | None = data.get("matrix_indicator", goal.matrix_indicator if goal else None)
    text = str(data.get("indicator", goal.indicator if goal else "") or "").strip()
    if chosen is not None:
        if chosen.organisation_id != version.beneficiary.organisation_id:
            raise ValidationError(
                {"matrix_indicator": gettext("Choose one of your organisation's indicators.")}
            )
        if not chosen.active and (goal is None or goal.matrix_indicator_id != chosen.pk):
            raise ValidationError(
                {"matrix_indicator": gettext("This indicator is no longer in use.")}
            )
        return text or chosen.localised_name
    if not text:
        raise ValidationError(
            {
                "indicator": gettext(
                    "Say how everyone will know the goal is reached, or choose an indicator."
                )
            }
        )
    return text


@transaction.atomic
def goal_save(
    *,
    version: PlanVersion,
    actor: User,
    data: dict[str, Any],
    goal: Goal | None = None,
    opened_at: str = "",
) -> Goal:
    """Add a goal (goal=None) or change what it says, as opened at version `opened_at`; its
    progress has `goal_progress`."""
    _require_current(version)
    _require_editable(version)
    _check_goal_dates(version, data.get("target_date"))
    data = {**data, "indicator": _indicator_text(version, data, goal)}
    goal = goal or Goal(version=version)
    for field, value in data.items():
        setattr(goal, field, value)
    save_record(goal, actor, opened_at=opened_at)
    return goal


@transaction.atomic
def goal_progress(*, goal: Goal, actor: User, status: str, note: str, opened_at: str) -> Goal:
    """Record progress on a goal. Progress does not change the agreement: no new signatures."""
    _require_current(goal.version)
    if status in {GoalStatus.DROPPED, GoalStatus.REVISED} and not note.strip():
        raise ValidationError({"note": gettext("Say why the goal was dropped or revised.")})
    if status != goal.status:
        goal.status_changed_on = timezone.localdate()
    goal.status, goal.status_note = status, note
    try:
        save_record(goal, actor, opened_at=opened_at)
    except EditConflict as conflict:
        raise conflict.renamed({"status_note": "note"}) from None
    return goal


@transaction.atomic
def task_save(
    *,
    goal: Goal,
    actor: User,
    data: dict[str, Any],
    task: Task | None = None,
    opened_at: str = "",
) -> Task:
    """Add a task to a goal (task=None) or change it, as opened at version `opened_at`. A task
    belongs to a team member or an organisation."""
    version = goal.version
    _require_current(version)
    _require_editable(version)
    assignee = data.get("assigned_to")
    if (
        assignee
        and not version.beneficiary.team.filter(user=assignee, ended_on__isnull=True).exists()
    ):
        raise ValidationError(
            {"assigned_to": gettext("Assign the task to someone on the case team.")}
        )
    if not assignee and not (data.get("external_organisation") or "").strip():
        raise ValidationError(
            {"assigned_to": gettext("Assign the task to a team member or name an organisation.")}
        )
    task = task or Task(goal=goal)
    for field, value in data.items():
        setattr(task, field, value)
    save_record(task, actor, opened_at=opened_at)
    return task


@transaction.atomic
def task_progress(*, task: Task, actor: User, status: str, opened_at: str) -> Task:
    _require_current(task.goal.version)
    task.status = status
    save_record(task, actor, opened_at=opened_at)
    return task


def required_roles(beneficiary: Beneficiary, on: date) -> set[str]:
    """The person and the case manager sign; for a child on that day, a parent or guardian too."""
    roles = {SignerRole.BENEFICIARY.value, SignerRole.CASE_MANAGER.value}
    if beneficiary.date_of_birth and age_on(beneficiary.date_of_birth, on) < ADULT_AGE:
        roles.add(SignerRole.GUARDIAN.value)
    return roles


def fingerprint(version: PlanVersion) -> str:
    """SHA-256 of the agreed content, so two printouts of different versions can be told apart.

    Progress (goal and task status) is left out: it changes without a new agreement. So is
    the organisation's indicator a goal is counted under (`matrix_indicator`): it is a
    reporting category, not printed; the printed indicator text is in.
    """
    content = {
        "case": version.beneficiary.case_code,
        "version": version.number,
        "own_goals": version.own_goals,
        "participants": version.participants,
        "goals": [
            {
                "domain": goal.domain,
                "description": goal.description,
                "target_date": goal.target_date.isoformat(),
                "indicator": goal.indicator,
                "tasks": [
                    {
                        "description": task.description,
                        "owner": task.owner_label,
                        "due_on": task.due_on.isoformat(),
                    }
                    for task in goal.tasks.all()
                ],
            }
            for goal in version.goals.prefetch_related("tasks__assigned_to")
        ],
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def signature_record(*, version: PlanVersion, actor: User, data: dict[str, Any]) -> Signature:
    """Record one signature; the first locks the content, the last makes the plan active."""
    _require_current(version)
    if version.is_signed:
        raise ValidationError(
            gettext("This version is already signed by everyone who must sign it.")
        )
    if not version.goals.exists():
        raise ValidationError(
            gettext("A plan with no goals cannot be signed. Add at least one goal first.")
        )
    signature = Signature(version=version, recorded_by=actor, **data)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if signature.signed_on and signature.signed_on > today:
        errors["signed_on"] = gettext("A signature cannot be dated in the future.")
    if version.signatures.filter(role=signature.role).exists():
        errors["role"] = gettext("This version already has a signature as %(role)s.") % {
            "role": signature.get_role_display().lower()
        }
    if signature.role == SignerRole.GUARDIAN:
        if signature.signed_on and SignerRole.GUARDIAN not in required_roles(
            version.beneficiary, signature.signed_on
        ):
            errors["role"] = gettext("Only a child's plan is signed by a parent or guardian.")
        elif signature.signed_on and (
            problem := guardian_authority_problem(version.beneficiary, signature.signed_on)
        ):
            # Where the child's guardians are recorded, one of them signs.
            errors["signer_name"] = problem
        if not signature.relationship.strip():
            errors["relationship"] = gettext(
                "Give the parent's or guardian's relationship to the child."
            )
    if not signature.read_in.strip():
        errors["read_in"] = gettext("Say which language the plan was read in.")
    if signature.method == SignatureMethod.PAPER and not signature.witness.strip():
        errors["witness"] = gettext("Name the witness of a signature on paper.")
    if signature.method == SignatureMethod.ON_SCREEN and not signature.attested:
        errors["attested"] = gettext("The signer must tick the attestation to sign on screen.")
    if errors:
        raise ValidationError(errors)
    save_record(signature, actor)
    if not version.is_locked:
        version.locked_at = timezone.now()
    signatures = list(version.signatures.all())
    last_day = max(s.signed_on for s in signatures)
    if required_roles(version.beneficiary, last_day) <= {s.role for s in signatures}:
        version.signed_on = last_day
        version.fingerprint = fingerprint(version)
    save_record(version, actor)
    return signature
