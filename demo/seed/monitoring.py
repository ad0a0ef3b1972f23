"""Seeds the follow-up of each case: visits and calls, and the milestones reached."""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.models import User
from cases.choices import CaseStatus, Stage, TeamRole, YesNoUnknown
from cases.models import Beneficiary
from monitoring import services as monitoring_services
from monitoring.choices import (
    KEEP_OPEN_AFTER_MONTHS,
    ContactType,
    KeepOpenReason,
    Observation,
)
from monitoring.models import Milestone

from .context import SeedContext

CONTACT_SUMMARIES = [
    "Talked about the course and the week ahead.",
    "Reviewed the budget together; rent is paid.",
    "Accompanied to the health centre; next check-up booked.",
    "Difficult week; agreed on an extra call on Friday.",
]


def milestones_by_stage() -> dict[str, list[Milestone]]:
    """The reference milestones of each stage, in their order (read once for all cases)."""
    return {
        stage: list(Milestone.objects.filter(stage=stage).order_by("position"))
        for stage in Stage.values
    }


def contacts(ctx: SeedContext, beneficiary: Beneficiary, manager: User, number: int) -> None:
    """Visits and calls; the last one recent for most cases, long ago (overdue) for some."""
    days_since = (ctx.today - beneficiary.admitted_on).days
    if days_since < 2:
        return
    rng = ctx.rng
    gap = rng.choice([1, 2, 3, 5]) if number % 6 else rng.choice([15, 25, 45])
    oldest = days_since - 1  # with the hours taken off below, still on or after admission
    latest = min(oldest, gap)
    for days_ago in sorted(
        {latest, min(oldest, latest + 7), min(oldest, latest + 20)}, reverse=True
    ):
        # Home visits only where the person allows them (drawn either way: the same demo).
        home = rng.random() < 0.3 and beneficiary.home_visits_allowed != YesNoUnknown.NO
        monitoring_services.contact_log(
            beneficiary=beneficiary,
            actor=manager,
            data={
                "occurred_at": timezone.now() - timedelta(days=days_ago, hours=rng.randint(1, 6)),
                "kind": ContactType.HOME_VISIT if home else ContactType.OFFICE_VISIT,
                "safety_checked": home,
                "participants": f"{beneficiary.first_name}, {manager.first_name}",
                "summary": rng.choice(CONTACT_SUMMARIES),
                "observations": rng.sample(
                    [Observation.ANXIETY, Observation.HOPE, Observation.SLEEP], k=1
                ),
            },
        )


def milestones(ctx: SeedContext, beneficiary: Beneficiary, manager: User) -> None:
    """Most of the crisis milestones once past crisis; some of the next stage's."""
    crisis, transition = ctx.milestones[Stage.CRISIS], ctx.milestones[Stage.TRANSITION]
    reached: dict[str, list[Milestone]] = {
        Stage.CRISIS: crisis[:2],
        Stage.TRANSITION: crisis[:7],
        Stage.INCLUSION: crisis + transition[:5],
    }
    for milestone in reached[beneficiary.stage]:
        monitoring_services.milestone_mark(
            beneficiary=beneficiary,
            actor=manager,
            milestone=milestone,
            achieved_on=min(ctx.today, beneficiary.stage_since),
            note="",
        )


def keep_open_reasons(ctx: SeedContext) -> None:
    """Cases open beyond three years: their case managers said why, except the longest one,
    which waits for an answer (on the case file and in the supervisor's review)."""
    organisation = ctx.organisations[0]
    mark = ctx.today - relativedelta(months=KEEP_OPEN_AFTER_MONTHS)
    long_open = list(
        Beneficiary.objects.filter(
            organisation=organisation, status=CaseStatus.ACTIVE, admitted_on__lte=mark
        ).order_by("admitted_on", "case_code")
    )
    for beneficiary in long_open[1:]:
        manager = beneficiary.team.get(role=TeamRole.CASE_MANAGER, ended_on__isnull=True).user
        monitoring_services.keep_open_decide(
            beneficiary=beneficiary,
            actor=manager,
            reason=KeepOpenReason.LEGAL_PROCEEDINGS,
            notes="She is a witness in the trial; the next hearing is in spring.",
            decided_on=ctx.days_ago(20),
        )
