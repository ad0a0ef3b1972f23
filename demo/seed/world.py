"""Seeds the whole demo world, step by step, in the order the demo data depends on."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.utils import timezone

from cases.choices import Stage
from cases.models import Beneficiary

from . import (
    accounts,
    assessments,
    cases,
    children,
    directory,
    legal,
    monitoring,
    plans,
    referrals,
    reviews,
    safety,
    supervision,
)
from .context import SeedContext

CASES_IN_FIRST_ORGANISATION = 60
CASES_IN_SECOND_ORGANISATION = 4
# A fixed seed: every demo has the same people, codes and dates relative to today.
SEED = 2026


@dataclass(frozen=True)
class Seeded:
    """What a run did: the accounts are always refreshed, case files made only once."""

    organisations: int
    staff: int
    case_files_made: bool


def seed_world() -> Seeded:
    """Refresh the demo accounts; make everything else while the demo organisation has no
    case files. Call it inside a transaction."""
    organisations = accounts.seed_organisations()
    staff = accounts.seed_staff(organisations)
    if Beneficiary.objects.filter(organisation=organisations[0]).exists():
        return Seeded(len(organisations), len(staff), case_files_made=False)
    today = timezone.localdate()
    ctx = SeedContext(
        today=today,
        rng=random.Random(SEED),  # noqa: S311 - varied demo data, nothing secret
        organisations=organisations,
        staff=staff,
        directory=directory.seed_directory(staff["admin"], today),
        milestones=monitoring.milestones_by_stage(),
    )
    for number in range(CASES_IN_FIRST_ORGANISATION):
        _case_file(ctx, number)
    assessments.six_month_reviews(ctx, organisations[0].pk)
    for number in range(CASES_IN_SECOND_ORGANISATION):
        cases.foreign_case(ctx, number)
    for number in range(supervision.OLD_CLOSED_CASES):
        supervision.old_closed_case(ctx, number)
    supervision.supervision_records(ctx)
    supervision.complaints_and_emergency(ctx)
    monitoring.keep_open_reasons(ctx)
    reviews.organisation_settings(ctx)
    reviews.complex_case(ctx)
    cases.documents(ctx)
    legal.proceedings(ctx)
    safety.open_crisis_alarm(ctx)
    safety.visit_against_the_instructions(ctx)
    safety.risk_raised(ctx, safety.safety_plan_due_for_review(ctx))
    children.child_safeguards(ctx)
    return Seeded(len(organisations), len(staff), case_files_made=True)


def _case_file(ctx: SeedContext, number: int) -> Beneficiary:
    """One varied, plausible case file of the first organisation; `number` picks its story."""
    months = (number * 41) % 40  # spread admissions over 0-39 months ago
    beneficiary, manager = cases.open_case_file(ctx, number, months)
    assessments.initial_assessment(ctx, beneficiary, manager, number)
    plan = plans.first_plan(ctx, beneficiary, manager, number)
    cases.stages(ctx, beneficiary, manager, months, number)
    if beneficiary.stage == Stage.INCLUSION and number % 3 == 0:
        assessments.review_assessment(ctx, beneficiary, manager)
        if plan and plan.is_signed:
            plans.revised_plan(ctx, plan, manager)
    if number % 10 == 4:
        manager = cases.handover(ctx, beneficiary, manager)
    monitoring.contacts(ctx, beneficiary, manager, number)
    monitoring.milestones(ctx, beneficiary, manager)
    cases.closure(ctx, beneficiary, manager, number)
    if not beneficiary.is_closed:
        referrals.referral(ctx, beneficiary, manager, number)
        referrals.unmet_need(ctx, beneficiary, manager, number)
    return beneficiary
