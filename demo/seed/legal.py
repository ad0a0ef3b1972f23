"""Seeds legal proceedings and their hearings on a few of the demo case worker's cases: a
criminal trial where the person is injured party and witness, with her testimony in three
days (the demo lawyer is on that team, so it shows in both their My follow-ups); one ended
with a conviction and compensation paid; an administrative residence procedure.

Every name, court and reference is made up.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from accounts.models import User
from cases import services
from cases.choices import (
    CaseStatus,
    ProceedingKind,
    ProceedingOutcome,
    ProceedingRole,
    ProceedingStage,
    TeamRole,
)
from cases.models import Beneficiary, LegalProceeding

from .context import SeedContext

# Past the cases the documents tracker uses (`cases.documents`): different files show each.
FIRST_CASE = 3


def proceedings(ctx: SeedContext) -> None:
    worker = ctx.staff["caseworker"]
    cases = list(
        Beneficiary.objects.filter(organisation=worker.organisation, status=CaseStatus.ACTIVE)
        .filter(team__user=worker, team__role=TeamRole.CASE_MANAGER, team__ended_on__isnull=True)
        .order_by("case_code")[FIRST_CASE : FIRST_CASE + 3]
    )
    if len(cases) < 3:
        return
    trial, ended, residence = cases
    _trial_with_testimony_ahead(ctx, trial, worker)
    _ended_with_compensation(ctx, ended, worker)
    _residence_procedure(ctx, residence, worker)


def _lawyer_on_team(ctx: SeedContext, beneficiary: Beneficiary, manager: User) -> None:
    lawyer = ctx.staff["lawyer"]
    if not beneficiary.team.filter(user=lawyer, ended_on__isnull=True).exists():
        services.team_member_add(
            beneficiary=beneficiary,
            actor=manager,
            user=lawyer,
            discipline=lawyer.discipline,
            started_on=ctx.today,
        )


def _proceeding(
    beneficiary: Beneficiary, actor: User, started_on: date, **fields: Any
) -> LegalProceeding:
    # Trials start before people are referred: never before the person's birth, though.
    born = beneficiary.date_of_birth
    return services.proceeding_record(
        beneficiary=beneficiary,
        actor=actor,
        started_on=max(started_on, born) if born else started_on,
        **fields,
    )


def _hearing(proceeding: LegalProceeding, actor: User, held_on: date, **fields: Any) -> None:
    services.hearing_add(
        proceeding=proceeding,
        actor=actor,
        held_on=max(held_on, proceeding.started_on),
        **fields,
    )


def _trial_with_testimony_ahead(ctx: SeedContext, beneficiary: Beneficiary, actor: User) -> None:
    _lawyer_on_team(ctx, beneficiary, actor)
    lawyer = ctx.staff["lawyer"]
    trial = _proceeding(
        beneficiary,
        lawyer,
        ctx.days_ago(420),
        kind=ProceedingKind.CRIMINAL,
        authority="District Court of Riverton",
        reference="K-118/2025",
        stage=ProceedingStage.TRIAL,
        role=ProceedingRole.INJURED_PARTY_WITNESS,
        lawyer=f"{lawyer.get_full_name()}, our organisation",
        protection_measures=(
            "Testimony from a separate room by video link; an escort to and from the court."
        ),
        compensation_claimed=Decimal("5000"),
        currency="EUR",
        notes="Two defendants. She asked not to meet them in the corridor.",
    )
    _hearing(
        trial,
        lawyer,
        ctx.days_ago(40),
        starts_at=time(9, 30),
        place="District Court of Riverton, room 4",
        purpose="Preliminary hearing",
        result="Charges confirmed; the defence asked for more time.",
    )
    _hearing(
        trial,
        lawyer,
        ctx.today + timedelta(days=3),
        starts_at=time(10, 0),
        place="District Court of Riverton, room 4",
        purpose="Her testimony",
        person_attends=True,
    )


def _ended_with_compensation(ctx: SeedContext, beneficiary: Beneficiary, actor: User) -> None:
    proceeding = _proceeding(
        beneficiary,
        actor,
        ctx.days_ago(700),
        kind=ProceedingKind.CRIMINAL,
        authority="Court of Appeal of Lakeside",
        reference="A-77/2024",
        stage=ProceedingStage.ENDED,
        role=ProceedingRole.INJURED_PARTY,
        lawyer="Legal aid centre, Old Town",
        outcome=ProceedingOutcome.CONVICTION,
        outcome_on=ctx.days_ago(60),
        compensation_claimed=Decimal("8000"),
        compensation_received=Decimal("3000"),
        currency="EUR",
    )
    _hearing(
        proceeding,
        actor,
        ctx.days_ago(60),
        starts_at=time(11, 0),
        place="Court of Appeal of Lakeside",
        purpose="The verdict on appeal",
        result="Conviction upheld; 3,000 EUR of the compensation paid from the state fund.",
    )


def _residence_procedure(ctx: SeedContext, beneficiary: Beneficiary, actor: User) -> None:
    proceeding = _proceeding(
        beneficiary,
        actor,
        ctx.days_ago(50),
        kind=ProceedingKind.ADMINISTRATIVE,
        authority="Directorate for Migration, Riverton office",
        reference="RP-2026-3391",
        stage=ProceedingStage.REPORTED,
        role=ProceedingRole.CLAIMANT,
        notes="A residence permit on humanitarian grounds.",
    )
    _hearing(
        proceeding,
        actor,
        ctx.today + timedelta(days=20),
        starts_at=time(14, 0),
        place="Directorate for Migration, Riverton office",
        purpose="Interview on the application",
        person_attends=True,
    )
