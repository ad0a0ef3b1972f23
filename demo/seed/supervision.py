"""Seeds what the supervisor's pages show: files past the retention period, last week's
supervision, complaints and a night-time emergency access waiting for review.
"""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings

from cases import emergency, services
from cases.choices import ClosureReason, TeamRole
from cases.models import Beneficiary
from supervision import services as supervision_services
from supervision.models import SupervisionKind

from .cases import profile
from .context import SeedContext

# Files closed long ago, past the retention period: Supervision → Retention lists them.
OLD_CLOSED_CASES = 2


def old_closed_case(ctx: SeedContext, number: int) -> Beneficiary:
    """Closed a little over CASE_RETENTION_YEARS ago, after about three years of work."""
    manager = ctx.staff["caseworker"]
    closed_on = ctx.today - relativedelta(
        years=settings.CASE_RETENTION_YEARS, days=40 + number * 75
    )
    admitted_on = closed_on - timedelta(days=3 * 365)
    beneficiary = services.beneficiary_register(
        actor=manager,
        case_manager=manager,
        profile=profile(ctx, 200 + number, admitted_on, child=False),
        assigned_on=admitted_on,
    )
    services.family_member_save(
        beneficiary=beneficiary,
        actor=manager,
        data={
            "name": f"{('Ilinca', 'Dorota')[number % 2]} {beneficiary.last_name}",
            "relationship": "mother",
            "lives_with_beneficiary": False,
            "risk_notes": "Supportive; visits on Sundays.",
        },
    )
    services.case_close(
        beneficiary=beneficiary,
        actor=manager,
        closed_on=closed_on,
        reason=ClosureReason.GOALS_ACHIEVED,
        mutually_agreed=True,
        notes="Living independently; works at a bakery.",
    )
    return beneficiary


def supervision_records(ctx: SeedContext) -> None:
    """Last week's supervision: a meeting with a worker and a review of two cases."""
    supervisor, worker = ctx.staff["supervisor"], ctx.staff["caseworker"]
    # Her own capacity, not the default: the caseload review weighs her cases against it.
    worker.caseload_capacity = 30
    worker.save(update_fields=["caseload_capacity"])
    codes = list(
        Beneficiary.objects.filter(
            team__user=worker, team__role=TeamRole.CASE_MANAGER, team__ended_on__isnull=True
        )
        .order_by("case_code")
        .values_list("case_code", flat=True)[:2]
    )
    supervision_services.supervision_record(
        actor=supervisor,
        data={
            "kind": SupervisionKind.MEETING,
            "held_on": ctx.days_ago(7),
            "worker": worker,
            "discussion": "Caseload and the two cases with overdue follow-ups.",
            "decisions": "Move two crisis cases to a colleague; weekly calls on high-risk cases.",
            "next_review_on": ctx.today + timedelta(days=7),
        },
        case_codes=codes,
    )
    supervision_services.supervision_record(
        actor=supervisor,
        data={
            "kind": SupervisionKind.CASE_REVIEW,
            "held_on": ctx.days_ago(3),
            "discussion": "Long in crisis; housing still not found.",
            "decisions": "Refer to the rent deposit scheme; review the safety plan.",
            "next_review_on": ctx.today + timedelta(days=14),
        },
        case_codes=codes[:1],
    )


def complaints_and_emergency(ctx: SeedContext) -> None:
    """Complaints waiting for an answer (one named, one anonymous), one answered, and a
    night-time emergency access for the supervisor to review."""
    worker, other = ctx.staff["caseworker"], ctx.staff["caseworker2"]
    cases = list(
        Beneficiary.objects.filter(organisation=worker.organisation, status="active")
        .filter(team__user=worker, team__role="case_manager", team__ended_on__isnull=True)
        .order_by("case_code")[:2]
    )
    supervision_services.complaint_record(
        actor=worker,
        beneficiary=cases[0],
        data={
            "received_on": ctx.days_ago(2),
            "channel": "in_person",
            "subject": "service",
            "details": "The language course is at a time when she has to collect her son.",
        },
    )
    supervision_services.complaint_record(
        actor=other,
        data={
            "received_on": ctx.days_ago(5),
            "channel": "box",
            "subject": "organisation",
            "details": "Nobody answers the office phone after four o'clock.",
        },
    )
    answered = supervision_services.complaint_record(
        actor=other,
        data={
            "received_on": ctx.days_ago(30),
            "channel": "box",
            "subject": "organisation",
            "details": "The waiting room has no toys for children.",
        },
    )
    supervision_services.complaint_resolve(
        complaint=answered,
        actor=ctx.staff["supervisor"],
        response="A box of toys and books is now in the waiting room.",
        resolved_on=ctx.days_ago(20),
    )
    # A colleague's case: emergency access opens only files one is not on the team of.
    emergency.emergency_access_open(
        user=other,
        case_code=cases[1].case_code,
        reason="Called the night line at 23:40, frightened; her case manager was off duty.",
    )
