"""Seeds the individual plans: first versions in every state (signed on time or late,
awaiting signatures, draft, not started) and a signed second version after some reviews.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from accounts.models import User
from cases.models import Beneficiary
from core.languages import document_language, language_name
from plans import services as plan_services
from plans.models import PlanVersion, SignatureMethod, SignerRole

from .context import SeedContext

# domain, goal, indicator of success
PLAN_GOALS = [
    (
        "housing",
        "Move into a rented room of her own",
        "Tenancy agreement signed and first rent paid",
    ),
    ("economic", "Find steady work", "Work contract and three months' pay received"),
    ("education", "Complete a vocational course", "Course certificate obtained"),
    (
        "medical",
        "Regular check-ups for a chronic condition",
        "Registered with a family doctor; two visits kept",
    ),
    ("administrative", "Obtain an identity card", "Identity card in hand"),
    ("psychological", "Weekly counselling sessions", "Attends at least three sessions a month"),
]


def first_plan(
    ctx: SeedContext, beneficiary: Beneficiary, manager: User, number: int
) -> PlanVersion | None:
    """Plans in every state: signed on time or late, awaiting signatures, draft, none yet."""
    days_since = (ctx.today - beneficiary.admitted_on).days
    if days_since < 10 or number % 13 == 6:
        return None  # not started (overdue when more than a month has passed)
    plan = plan_services.plan_start(
        beneficiary=beneficiary,
        actor=manager,
        own_goals=ctx.rng.choice(
            ["A safe place of my own.", "To work and support my son.", "Finish school."]
        ),
        participants=f"{beneficiary.first_name}, {manager}",
    )
    _goals(ctx, plan, manager, beneficiary.admitted_on + timedelta(days=5))
    if days_since < 20 or number % 9 == 4:
        return plan  # a draft
    signed_on = min(
        beneficiary.admitted_on + timedelta(days=ctx.rng.choice([18, 25, 28, 40])), ctx.today
    )
    roles = [SignerRole.BENEFICIARY, SignerRole.CASE_MANAGER]
    if SignerRole.GUARDIAN in plan_services.required_roles(beneficiary, signed_on):
        roles.append(SignerRole.GUARDIAN)
    if number % 10 == 5:
        roles = roles[:1]  # awaiting the case manager's signature
    _sign(plan, manager, signed_on, roles)
    plan.refresh_from_db()
    return plan


def revised_plan(ctx: SeedContext, plan: PlanVersion, manager: User) -> None:
    """A second version after the review: the first stays as it was signed."""
    second = plan_services.plan_new_version(
        version=plan, actor=manager, reason="Review at the inclusion stage."
    )
    _goals(ctx, second, manager, ctx.today - timedelta(days=5))
    _sign(
        second,
        manager,
        ctx.today - timedelta(days=2),
        [SignerRole.BENEFICIARY, SignerRole.CASE_MANAGER],
    )


def _goals(ctx: SeedContext, version: PlanVersion, manager: User, start: date) -> None:
    """Two or three goals, each with a task for the case manager and one for another service."""
    rng = ctx.rng
    for domain, description, indicator in rng.sample(PLAN_GOALS, k=rng.choice([2, 3])):
        goal = plan_services.goal_save(
            version=version,
            actor=manager,
            data={
                "domain": domain,
                "description": description,
                "target_date": start + timedelta(days=rng.choice([60, 90, 180])),
                "indicator": indicator,
            },
        )
        plan_services.task_save(
            goal=goal,
            actor=manager,
            data={
                "description": "Agree the first steps together",
                "assigned_to": manager,
                "due_on": start + timedelta(days=14),
            },
        )
        plan_services.task_save(
            goal=goal,
            actor=manager,
            data={
                "description": "Referral and accompaniment",
                "external_organisation": "Municipal employment office",
                "due_on": start + timedelta(days=45),
            },
        )


def _reading(beneficiary: Beneficiary) -> dict[str, str]:
    """The language the plan was read in, through an interpreter where one is needed."""
    language = document_language(None, beneficiary.document_language)
    return {
        "read_in": language_name(language),
        "interpreter": "Community interpreter" if beneficiary.interpreter_needed else "",
    }


def _sign(version: PlanVersion, manager: User, on: date, roles: Sequence[str]) -> None:
    """Paper signatures of `roles`, witnessed, all on one day."""
    names = {
        SignerRole.BENEFICIARY.value: version.beneficiary.full_name,
        SignerRole.CASE_MANAGER.value: str(manager),
        SignerRole.GUARDIAN.value: "Appointed guardian",
    }
    for role in roles:
        plan_services.signature_record(
            version=version,
            actor=manager,
            data={
                "role": role,
                "signer_name": names[role],
                "relationship": "Legal guardian" if role == SignerRole.GUARDIAN else "",
                "signed_on": on,
                "method": SignatureMethod.PAPER,
                "witness": "Second staff member",
                **_reading(version.beneficiary),
            },
        )
