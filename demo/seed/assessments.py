"""Seeds the needs assessments: the initial one of every case file in each of its states
(complete, late, in progress, overdue, not started) and reviews at the inclusion stage.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from accounts.models import User
from assessments import services as assessment_services
from assessments.choices import AssessmentKind, OutcomeDomain, Priority
from assessments.models import Assessment, AssessmentSection
from cases.choices import CaseStatus, Stage, TeamRole
from cases.models import Beneficiary
from core.records import version_of
from directory.choices import ServiceDomain

from .cases import MDT_MEMBERS
from .context import SeedContext

SECTION_NEEDS = [
    "Needs regular support in this area; no urgent problems.",
    "Urgent: no stable arrangement yet.",
    "Some needs, being addressed with the person.",
]
SECTION_STRENGTHS = [
    "Motivated, supportive sister nearby.",
    "Good practical skills; finished secondary school.",
    "Friendly with other residents; keeps appointments.",
]


def initial_assessment(
    ctx: SeedContext, beneficiary: Beneficiary, manager: User, number: int
) -> None:
    """Assessments in every state: complete (some late), in progress, overdue, not started."""
    assessment = beneficiary.assessments.get()
    days_since = (ctx.today - beneficiary.admitted_on).days
    if days_since > 30 and number % 7 != 0:
        finished_on = beneficiary.admitted_on + timedelta(
            days=ctx.rng.choice([8, 10, 12, 13, 19, 25])
        )
        _fill_sections(
            ctx, beneficiary, manager, assessment, upto=len(ServiceDomain), on=finished_on
        )
        _score_and_complete(ctx, assessment, manager, finished_on, base=2)
    elif days_since > 1 and (number % 2 == 0 or days_since <= 14):
        _fill_sections(ctx, beneficiary, manager, assessment, upto=3, on=ctx.today)


def review_assessment(ctx: SeedContext, beneficiary: Beneficiary, manager: User) -> None:
    """A completed review at the inclusion stage, scoring better than the initial assessment.

    Only where there was a completed assessment to review."""
    if not beneficiary.assessments.filter(completed_on__isnull=False).exists():
        return
    started_on = beneficiary.admitted_on + timedelta(days=390)
    reason = "Review after moving to the inclusion stage."
    _completed_review(ctx, beneficiary, manager, started_on=started_on, reason=reason, base=4)


def six_month_reviews(ctx: SeedContext, organisation_id: int) -> None:
    """A completed review about six months after admission for the active files past the
    crisis stage that have none, scoring a little better (or not) than the initial one, so
    the outcome breakdowns have people enough per group to show.

    Run once the organisation's files are made, with a generator of its own: the rest of
    the demo world stays as it was, down to names and dates."""
    own = replace(ctx, rng=random.Random(f"six-month-reviews:{ctx.today}"))  # noqa: S311 - demo data
    cases = (
        Beneficiary.objects.filter(
            organisation_id=organisation_id,
            status=CaseStatus.ACTIVE,
            stage__in=[Stage.TRANSITION, Stage.INCLUSION],
            admitted_on__lte=ctx.days_ago(200),
            assessments__completed_on__isnull=False,
        )
        .exclude(assessments__kind=AssessmentKind.REVIEW)
        .exclude(assessments__completed_on__isnull=True)
        .distinct()
        .order_by("case_code")
    )
    for beneficiary in cases:
        manager = beneficiary.team.get(role=TeamRole.CASE_MANAGER, ended_on=None).user
        started_on = beneficiary.admitted_on + timedelta(days=180)
        base = own.rng.choice([2, 3, 3, 4])
        _completed_review(
            own,
            beneficiary,
            manager,
            started_on=started_on,
            reason="Six-monthly review.",
            base=base,
        )


def _completed_review(
    ctx: SeedContext,
    beneficiary: Beneficiary,
    manager: User,
    *,
    started_on: date,
    reason: str,
    base: int,
) -> None:
    """A review started on the day given, its sections filled and its scores (around
    `base`) recorded within ten days."""
    review = assessment_services.assessment_start(
        beneficiary=beneficiary,
        actor=manager,
        kind=AssessmentKind.REVIEW,
        reason=reason,
        started_on=started_on,
    )
    _fill_sections(
        ctx,
        beneficiary,
        manager,
        review,
        upto=len(ServiceDomain),
        on=started_on + timedelta(days=9),
    )
    _score_and_complete(ctx, review, manager, started_on + timedelta(days=10), base=base)


def _section_author(
    ctx: SeedContext, on_team: set[int], manager: User, section: AssessmentSection
) -> User:
    """The MDT member of the owning discipline if on the team, else the case manager."""
    for username in MDT_MEMBERS:
        user = ctx.staff[username]
        if user.discipline == section.owner and user.pk in on_team:
            return user
    return manager


def _fill_sections(
    ctx: SeedContext,
    beneficiary: Beneficiary,
    manager: User,
    assessment: Assessment,
    *,
    upto: int,
    on: date,
) -> None:
    on_team = set(beneficiary.team.filter(ended_on=None).values_list("user_id", flat=True))
    rng = ctx.rng
    for section in list(assessment.sections.all())[:upto]:
        # Returning home is not on the cards for most: its section is often not applicable.
        not_applicable = section.domain == ServiceDomain.RETURN and rng.random() < 0.7
        assessment_services.section_save(
            section=section,
            actor=_section_author(ctx, on_team, manager, section),
            data={
                "needs": rng.choice(SECTION_NEEDS),
                "beneficiary_words": rng.choice(
                    ["", "I want to feel safe and work again.", "I need time."]
                ),
                "priority": rng.choice(Priority.values),
                "strengths": rng.choice(SECTION_STRENGTHS),
                "vulnerabilities_before": "Debts and no work in the home town.",
                "vulnerabilities_because": "Trauma symptoms; lost documents.",
                "vulnerabilities_during": "Family pressure to send money.",
                "recommended_services": "Counselling; vocational training.",
                "not_applicable": not_applicable,
                "not_applicable_reason": "Stays in the country of admission."
                if not_applicable
                else "",
            },
            complete=True,
            opened_at=version_of(section),
            on=on,
        )


def _score_and_complete(
    ctx: SeedContext, assessment: Assessment, manager: User, on: date, base: int
) -> None:
    """Scores around `base` (1-5) in every outcome domain, then the assessment is complete."""
    assessment_services.scores_save(
        assessment=assessment,
        actor=manager,
        scores={
            d: (max(1, min(5, base + ctx.rng.choice([-1, 0, 0, 1]))), "")
            for d in OutcomeDomain.values
        },
        opened_at={},  # the first scores
    )
    assessment_services.assessment_complete(
        assessment=assessment,
        actor=manager,
        beneficiary_present=True,
        beneficiary_views="Agrees with the priorities; wants to start training soon.",
        summary="Stabilisation first, then training and housing.",
        on=on,
    )
