"""Reads of assessments, shaped for the pages that show them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from accounts.models import User
from cases.access import viewer_discipline, viewer_role
from cases.choices import TeamRole
from cases.models import Beneficiary, TeamMembership

from .choices import AssessmentStatus, OutcomeDomain, SectionOwner
from .models import Assessment, AssessmentSection, OutcomeScore


class Progress(TypedDict):
    sections_total: int
    sections_done: int
    sections_touched: int  # completed, or with needs or a priority written


if TYPE_CHECKING:  # django-stubs-ext is a development tool, not installed in production
    from django_stubs_ext import WithAnnotations

    AssessmentWithProgress = WithAnnotations[Assessment, Progress]


def with_progress(assessments: QuerySet[Assessment]) -> QuerySet[AssessmentWithProgress]:
    """Annotate what `assessment_status` needs, so a list costs one query."""
    touched = (
        Q(sections__completed_on__isnull=False) | ~Q(sections__needs="") | ~Q(sections__priority="")
    )
    return assessments.annotate(
        sections_total=Count("sections", distinct=True),
        sections_done=Count(
            "sections", filter=Q(sections__completed_on__isnull=False), distinct=True
        ),
        sections_touched=Count("sections", filter=touched, distinct=True),
    )


def assessment_status(assessment: AssessmentWithProgress) -> AssessmentStatus:
    if assessment.is_complete:
        return AssessmentStatus.COMPLETE
    return (
        AssessmentStatus.IN_PROGRESS
        if assessment.sections_touched
        else AssessmentStatus.NOT_STARTED
    )


def assessments_of(beneficiary: Beneficiary) -> list[Assessment]:
    return list(
        with_progress(
            beneficiary.assessments.select_related("completed_by").order_by("-started_on", "-id")
        )
    )


def readable(user: User, beneficiary: Beneficiary, section: AssessmentSection) -> bool:
    """Sensitive sections are read by their discipline, the case manager and supervisors only.

    `beneficiary` comes from `get_beneficiary_for`, which carries the user's role on the case.
    """
    if not section.sensitive or beneficiary.can["manage"]:
        return True
    return (
        viewer_role(beneficiary) == TeamRole.MDT and viewer_discipline(beneficiary) == section.owner
    )


def editable(user: User, beneficiary: Beneficiary, section: AssessmentSection) -> bool:
    """Mirrors `services.can_edit_section` with what the page already loaded."""
    if section.assessment.is_complete:
        return False
    if beneficiary.can["manage"]:
        return True
    return (
        viewer_role(beneficiary) == TeamRole.MDT and viewer_discipline(beneficiary) == section.owner
    )


@dataclass(frozen=True)
class SectionView:
    section: AssessmentSection
    readable: bool
    editable: bool


def assessment_page(user: User, beneficiary: Beneficiary, assessment: Assessment) -> dict[str, Any]:
    sections = list(assessment.sections.select_related("completed_by"))
    for section in sections:
        section.assessment = assessment  # already loaded: no query per section
    scores = {s.domain: s for s in assessment.scores.all()}
    return {
        "sections": [
            SectionView(s, readable(user, beneficiary, s), editable(user, beneficiary, s))
            for s in sections
        ],
        "scores": [(domain, scores.get(domain)) for domain in OutcomeDomain],
        "all_done": all(s.is_done for s in sections),
    }


def my_sections_to_complete(user: User) -> QuerySet[AssessmentSection]:
    """Open sections the user completes, across the cases they are on, most urgent first.

    An MDT member completes the sections owned by their discipline on the case; a case
    manager those owned by the case manager.
    """
    active = TeamMembership.objects.filter(
        user=user, ended_on__isnull=True, beneficiary=OuterRef("assessment__beneficiary")
    )
    as_mdt = Exists(active.filter(role=TeamRole.MDT, discipline=OuterRef("owner")))
    as_manager = Exists(active.filter(role=TeamRole.CASE_MANAGER))
    return (
        AssessmentSection.objects.filter(
            completed_on__isnull=True, assessment__completed_on__isnull=True
        )
        .filter(Q(as_mdt) | (Q(as_manager) & Q(owner=SectionOwner.CASE_MANAGER)))
        .select_related("assessment__beneficiary")
        .order_by("assessment__due_on", "assessment__beneficiary__case_code", "id")
    )


@dataclass(frozen=True)
class ScoreRow:
    domain: OutcomeDomain
    scores: list[OutcomeScore | None]  # one per completed or open assessment, oldest first

    @property
    def change(self) -> int | None:
        given = [s.score for s in self.scores if s is not None]
        return given[-1] - given[0] if len(given) > 1 else None


def score_history(
    beneficiary: Beneficiary, assessments: list[Assessment] | None = None
) -> tuple[list[Assessment], list[ScoreRow]]:
    """Each outcome domain's scores over the case's assessments, first to latest.

    Two queries, or one when the page already loaded the assessments (`assessments_of`).
    """
    if assessments is None:
        assessments = list(beneficiary.assessments.order_by("started_on", "id"))
    else:
        assessments = sorted(assessments, key=lambda a: (a.started_on, a.pk))
    by_key = {
        (s.assessment_id, s.domain): s
        for s in OutcomeScore.objects.filter(assessment__beneficiary=beneficiary)
    }
    rows = [
        ScoreRow(domain, [by_key.get((a.pk, domain)) for a in assessments])
        for domain in OutcomeDomain
    ]
    return assessments, rows
