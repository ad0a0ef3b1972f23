"""Every change to a needs assessment goes through these functions (see cases/services.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Role, User
from cases.choices import TeamRole
from cases.deadlines import assessment_due
from cases.models import Beneficiary, TeamMembership
from core.records import VERSION_FIELD, EditConflict, save_record
from directory.choices import ServiceDomain

from .choices import DEFAULT_OWNERS, AssessmentKind, OutcomeDomain
from .models import (
    Assessment,
    AssessmentSection,
    OutcomeScore,
    SectionOwnership,
)


def _membership(user: User, beneficiary: Beneficiary) -> TeamMembership | None:
    return beneficiary.team.filter(user=user, ended_on__isnull=True).first()


def _manages(user: User, beneficiary: Beneficiary, membership: TeamMembership | None) -> bool:
    supervises = (
        user.role == Role.SUPERVISOR and user.organisation_id == beneficiary.organisation_id
    )
    return supervises or (membership is not None and membership.role == TeamRole.CASE_MANAGER)


def can_edit_section(user: User, beneficiary: Beneficiary, section: AssessmentSection) -> bool:
    """The owning discipline edits its own section; the case manager and supervisors edit all."""
    membership = _membership(user, beneficiary)
    if _manages(user, beneficiary, membership):
        return True
    return (
        membership is not None
        and membership.role == TeamRole.MDT
        and membership.discipline == section.owner
    )


def _require_open(assessment: Assessment) -> None:
    if assessment.is_complete:
        raise ValidationError(
            gettext(
                "This assessment is complete and can no longer be changed. "
                "Start a review assessment to correct it."
            )
        )


@transaction.atomic
def assessment_start(
    *,
    beneficiary: Beneficiary,
    actor: User,
    kind: str,
    reason: str = "",
    started_on: date | None = None,
) -> Assessment:
    """Open an assessment with one section per service domain, each with its owner.

    The initial assessment starts at admission and is due two weeks later; a review starts
    when the case manager opens it and is due two weeks after that.
    """
    if kind == AssessmentKind.INITIAL:
        started_on = beneficiary.admitted_on
    else:
        started_on = started_on or timezone.localdate()
        if not reason.strip():
            raise ValidationError({"reason": gettext("Say why the case is being reassessed.")})
        if beneficiary.assessments.filter(completed_on__isnull=True).exists():
            raise ValidationError(
                gettext("Complete the open assessment before starting a new one.")
            )
        if started_on > timezone.localdate():
            raise ValidationError({"started_on": gettext("A review cannot start in the future.")})
    assessment = Assessment(
        beneficiary=beneficiary,
        kind=kind,
        reason=reason,
        started_on=started_on,
        due_on=assessment_due(started_on),
        created_by=actor,
    )
    save_record(assessment, actor)
    owners = {o.domain: (o.owner, o.sensitive) for o in SectionOwnership.objects.all()}
    for domain in ServiceDomain:
        owner, sensitive = owners.get(domain, DEFAULT_OWNERS[domain])
        save_record(
            AssessmentSection(
                assessment=assessment, domain=domain, owner=owner, sensitive=sensitive
            ),
            actor,
        )
    return assessment


@transaction.atomic
def section_save(
    *,
    section: AssessmentSection,
    actor: User,
    data: dict[str, Any],
    complete: bool,
    opened_at: str,
    on: date | None = None,
) -> AssessmentSection:
    """Save a section's answers, as opened at version `opened_at`; `complete` marks it done
    (or, unticked, open again)."""
    assessment = section.assessment
    _require_open(assessment)
    if not can_edit_section(actor, assessment.beneficiary, section):
        raise PermissionDenied(
            gettext("The %(owner)s completes this section.")
            % {"owner": section.get_owner_display().lower()}
        )
    for field, value in data.items():
        setattr(section, field, value)
    if section.not_applicable:
        if not section.not_applicable_reason.strip():
            raise ValidationError(
                {"not_applicable_reason": gettext("Say why this area does not apply.")}
            )
        complete = True
    elif complete:
        errors = {}
        if not section.needs.strip():
            errors["needs"] = gettext(
                "Describe the needs and problems (or that there are none) before completing."
            )
        if not section.priority:
            errors["priority"] = gettext("Choose a priority before completing.")
        if errors:
            raise ValidationError(errors)
    if on and on > timezone.localdate():
        raise ValidationError(gettext("A section cannot be completed in the future."))
    if complete:
        section.completed_on = section.completed_on or on or timezone.localdate()
        section.completed_by = section.completed_by or actor
    else:
        section.completed_on = None
        section.completed_by = None
    save_record(section, actor, opened_at=opened_at)
    return section


@transaction.atomic
def scores_save(
    *,
    assessment: Assessment,
    actor: User,
    scores: dict[str, tuple[int, str]],
    opened_at: dict[str, str],
) -> list[OutcomeScore]:
    """Record this assessment's score (1-5) and note for each outcome domain given.

    `opened_at` holds the version each domain's score was opened at ("" for none yet): a
    score someone else changed since is refused, every refused domain at once.
    """
    _require_open(assessment)
    if not _manages(actor, assessment.beneficiary, _membership(actor, assessment.beneficiary)):
        raise PermissionDenied(gettext("The case manager scores the outcome domains."))
    existing = {s.domain: s for s in assessment.scores.all()}
    saved, refused = [], []
    for domain, (score, note) in scores.items():
        row = existing.get(domain) or OutcomeScore(assessment=assessment, domain=domain)
        row.score, row.note = score, note
        try:
            save_record(row, actor, opened_at=opened_at.get(domain, ""))
        except EditConflict as conflict:
            names = {"score": f"score_{domain}", "note": f"note_{domain}"}
            refused.append(conflict.renamed(names, f"{VERSION_FIELD}_{domain}"))
        saved.append(row)
    if refused:
        raise EditConflict.joined(refused)
    return saved


@transaction.atomic
def assessment_complete(
    *,
    assessment: Assessment,
    actor: User,
    beneficiary_present: bool | None,
    beneficiary_views: str,
    summary: str,
    on: date | None = None,
) -> Assessment:
    """Close the assessment once every section is done and every outcome domain scored."""
    _require_open(assessment)
    beneficiary = assessment.beneficiary
    if not _manages(actor, beneficiary, _membership(actor, beneficiary)):
        raise PermissionDenied(gettext("The case manager completes the assessment."))
    open_sections = [
        f"{s.get_domain_display()} ({s.get_owner_display().lower()})"
        for s in assessment.sections.all()
        if not s.is_done
    ]
    if open_sections:
        raise ValidationError(
            gettext("These sections are not completed yet: %(sections)s.")
            % {"sections": ", ".join(open_sections)}
        )
    scored = set(assessment.scores.values_list("domain", flat=True))
    missing = [str(OutcomeDomain(d).label) for d in OutcomeDomain.values if d not in scored]
    if missing:
        raise ValidationError(
            gettext("Score every outcome domain first; missing: %(domains)s.")
            % {"domains": ", ".join(missing)}
        )
    errors = {}
    if beneficiary_present is None:
        errors["beneficiary_present"] = gettext("Record whether the person took part.")
    if not beneficiary_views.strip():
        errors["beneficiary_views"] = gettext("Record the person's own views on the assessment.")
    if not summary.strip():
        errors["summary"] = gettext("Write a summary of the assessment.")
    if errors:
        raise ValidationError(errors)
    completed_on = on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise ValidationError(gettext("An assessment cannot be completed in the future."))
    if completed_on < assessment.started_on:
        raise ValidationError(gettext("An assessment cannot be completed before it started."))
    assessment.beneficiary_present = beneficiary_present
    assessment.beneficiary_views = beneficiary_views
    assessment.summary = summary
    assessment.completed_on = completed_on
    assessment.completed_by = actor
    save_record(assessment, actor)
    return assessment
