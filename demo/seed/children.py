"""Seeds the child safeguards: a child in the programme with an appointed guardian and two
best-interests determinations (a return to the family, reviewed in a few weeks; school, whose
review date has passed), and a beneficiary's child registered as a case of their own, linked
to the mother's file.

Every name, authority and reference is made up. Nothing here draws on the shared random
generator, so the steps seeded after it stay as they were.
"""

from __future__ import annotations

from datetime import date, timedelta

from accounts.models import User
from cases import services
from cases.choices import (
    Accommodation,
    CaseStatus,
    ChildSituation,
    GuardianKind,
    IdentificationStatus,
    ReferralSource,
    RiskLevel,
    Sex,
    TeamRole,
)
from cases.models import Beneficiary

from .context import SeedContext


def _active_cases_of(worker: User) -> list[Beneficiary]:
    return list(
        Beneficiary.objects.filter(organisation=worker.organisation, status=CaseStatus.ACTIVE)
        .filter(team__user=worker, team__role=TeamRole.CASE_MANAGER, team__ended_on__isnull=True)
        .order_by("case_code")
    )


def child_safeguards(ctx: SeedContext) -> None:
    # The demo's children are in the second case worker's caseload.
    for username in ("caseworker2", "caseworker"):
        worker = ctx.staff[username]
        child = next((c for c in _active_cases_of(worker) if c.is_minor), None)
        if child is not None:
            _guardian_and_decisions(ctx, child, worker)
            break
    worker = ctx.staff["caseworker"]
    parent = next((c for c in reversed(_active_cases_of(worker)) if not c.is_minor), None)
    if parent is not None:
        _child_with_a_case_of_their_own(ctx, parent, worker)


def _guardian_and_decisions(ctx: SeedContext, child: Beneficiary, worker: User) -> None:
    """An aunt appointed guardian before the child was admitted (her consents were given by
    "Appointed guardian"), and what was decided for the child."""
    services.guardian_add(
        beneficiary=child,
        actor=worker,
        data={
            "kind": GuardianKind.APPOINTED,
            "name": "Drita Gjoni",
            "relationship": "Aunt (mother's sister)",
            "contact": "+000 555 0142, after 17:00; she knows the whole story",
            "appointed_by": "Municipal guardianship office, decision GO-118",
            "authority_from": child.admitted_on - timedelta(days=12),
            "notes": "The parents' authority is suspended while the father is investigated.",
        },
    )
    decided = max(child.admitted_on, ctx.days_ago(40))
    services.best_interests_record(
        beneficiary=child,
        actor=worker,
        data={
            "decided_on": decided,
            "question": "Return to the family",
            "decision": (
                "Not yet. She stays at the shelter while the family is assessed; supervised "
                "visits with her mother and younger brother every second Saturday."
            ),
            "participants": (
                "The child; her guardian Drita Gjoni; the case manager; the psychologist; the "
                "child protection worker of the municipality."
            ),
            "child_view": (
                '"I miss my mother and my brother. I do not want to go back while he is '
                'there. I want to finish the school year here."'
            ),
            "review_on": ctx.today + timedelta(days=50),
        },
    )
    services.best_interests_record(
        beneficiary=child,
        actor=worker,
        data={
            "decided_on": child.admitted_on,
            "question": "School",
            "decision": "Enrols in the school near the shelter, with extra lessons in maths.",
            "participants": "The child; her guardian; the case manager; the school's counsellor.",
            "child_view": '"I want to be with other children, not only in the shelter."',
            # Passed: shown overdue on the file until the school question is decided again.
            "review_on": max(
                child.admitted_on, min(child.admitted_on + timedelta(days=60), ctx.days_ago(5))
            ),
        },
    )


def _child_with_a_case_of_their_own(ctx: SeedContext, parent: Beneficiary, worker: User) -> None:
    """A son exploited together with his mother, registered as a case of his own."""
    born = date(ctx.today.year - 9, 3, 14)
    child = services.child_save(
        beneficiary=parent,
        actor=worker,
        data={
            "first_name": "Arben",
            "date_of_birth": born,
            "sex": Sex.MALE,
            "situation": ChildSituation.TRAFFICKED_WITH,
            "lives_with_beneficiary": True,
            "needs": "Counselling of his own; a school place.",
        },
    )
    admitted = max(parent.admitted_on, ctx.days_ago(15))
    services.beneficiary_register(
        actor=worker,
        case_manager=worker,
        profile={
            "first_name": child.first_name,
            "last_name": parent.last_name,
            "date_of_birth": born,
            "sex": Sex.MALE,
            "languages": parent.languages,
            "accommodation": Accommodation.SHELTER,
            "identification_status": IdentificationStatus.PRESUMED,
            "referral_source": ReferralSource.SOCIAL_SERVICES,
            "referral_details": "Registered from his mother's file.",
            "admitted_on": admitted,
            "security_risk": RiskLevel.MEDIUM,
        },
        assigned_on=admitted,
        as_child_of=child,
    )
