"""Seeds referrals to the directory's services, in every state between them, with the
consents and overrides they need; a transfer to the other organisation; unmet needs.
"""

from __future__ import annotations

from datetime import timedelta

from accounts.models import User
from cases import services
from cases.choices import ConsentMethod, ConsentScope
from cases.models import Beneficiary
from core.records import version_of
from directory.choices import ServiceDomain
from directory.models import Provider
from referrals import services as referral_services
from referrals.choices import UnmetBarrier

from .cases import consent_giver
from .context import SeedContext

# One story per referral in the demo, so that every state is on screen.
REFERRAL_STORIES = [
    "sent",
    "accepted",
    "in_progress",
    "completed",
    "provider_declined",
    "cancelled",
    "person_declined",
    "draft_without_consent",
    "consent_override_requested",
    "agreement_override",
    "consent_withdrawn",
    "no_sharing",
    "transfer",
]
# The moves after sending (status, note) that tell each story.
REFERRAL_PATHS: dict[str, list[tuple[str, str]]] = {
    "sent": [],
    "accepted": [("accepted", "")],
    "in_progress": [("accepted", ""), ("in_progress", "")],
    "completed": [
        ("accepted", ""),
        ("in_progress", ""),
        ("completed", "Received the support agreed; no further need in this area."),
    ],
    "provider_declined": [("declined_by_provider", "No places until next year.")],
    "cancelled": [("cancelled", "Need met by a relative's offer of help.")],
    "person_declined": [("declined_by_person", "Does not want to travel to the other town.")],
    "agreement_override": [("accepted", "")],
    "consent_withdrawn": [("accepted", "")],
    "no_sharing": [("accepted", "")],
}


def referral(ctx: SeedContext, beneficiary: Beneficiary, manager: User, number: int) -> None:
    """Every other active case has a referral; together they pass through every state."""
    if number % 2:
        return
    story = REFERRAL_STORIES[ctx.referrals_made % len(REFERRAL_STORIES)]
    ctx.referrals_made += 1
    if story == "transfer":
        _transfer(ctx, beneficiary, manager)
        return
    rng = ctx.rng
    pool = ctx.untrusted if story == "agreement_override" else ctx.trusted
    service = rng.choice(pool)
    start = max(beneficiary.admitted_on, ctx.days_ago(rng.randint(20, 60)))
    # The days of the story's steps, never after today.
    day = iter(min(start + timedelta(days=d), ctx.today) for d in (0, 2, 6, 12, 30, 31))
    information = ["identity", "contact", "needs"]
    made = referral_services.referral_create(
        beneficiary=beneficiary,
        actor=manager,
        service=service,
        on=next(day),
        data={
            "domain": service.domains[0],
            "reason": f"Agreed with the person: support with {ServiceDomain(service.domains[0]).label.lower()}.",
            "information": [] if story == "no_sharing" else information,
            "urgency": rng.choice(["routine", "routine", "soon", "urgent"]),
        },
    )
    if story == "draft_without_consent":
        return
    if story == "consent_override_requested":
        referral_services.override_request(
            referral=made,
            actor=manager,
            kind="consent",
            reason="Needs medical care urgently; the person agreed by phone and signs on Monday.",
        )
        return
    consent = None
    if story == "agreement_override":
        referral_services.override_request(
            referral=made,
            actor=ctx.staff["supervisor"],
            kind="agreement",
            reason="Only provider in the area; agreement being signed this month.",
        )
    if story != "no_sharing":
        consent = services.consent_record(
            beneficiary=beneficiary,
            actor=manager,
            data={
                "scope": ConsentScope.SHARING,
                "provider": service.provider,
                "information": information,
                **consent_giver(beneficiary.is_minor, "Agrees."),
                "given_on": made.status_changed_on,
                "method": ConsentMethod.WRITTEN,
            },
        )
    referral_services.referral_send(referral=made, actor=manager, on=next(day))
    for status, note in REFERRAL_PATHS[story]:
        referral_services.referral_move(
            referral=made, actor=manager, to_status=status, on=next(day), note=note
        )
    if story == "completed":
        referral_services.referral_follow_through(
            referral=made,
            actor=manager,
            data={
                "treatment": "respectful",
                "feedback": "Staff were kind and explained everything.",
                "barriers": ["travel_cost"],
            },
            opened_at=version_of(made),
        )
    if story == "consent_withdrawn" and consent:
        services.consent_withdraw(
            consent=consent,
            actor=manager,
            withdrawn_on=next(day),
            reason="Changed her mind about sharing her details.",
        )


def _transfer(ctx: SeedContext, beneficiary: Beneficiary, manager: User) -> None:
    """The person agrees to the move, and the case is offered to the second organisation."""
    north = ctx.organisation("NS")
    receiving = Provider.objects.get(system_organisation=north)
    services.consent_record(
        beneficiary=beneficiary,
        actor=manager,
        data={
            "scope": ConsentScope.SHARING,
            "provider": receiving,
            "information": ["case_file"],
            **consent_giver(beneficiary.is_minor, "Wants to live near her aunt."),
            "given_on": ctx.today,
            "method": ConsentMethod.WRITTEN,
        },
    )
    referral_services.transfer_request(
        beneficiary=beneficiary,
        actor=manager,
        to_organisation=north,
        reason="Moving to live with family in Eastfield; asks to be supported there.",
    )


def unmet_need(ctx: SeedContext, beneficiary: Beneficiary, manager: User, number: int) -> None:
    """Needs no service could meet, for some cases; half of them met later."""
    if number % 5 != 1:
        return
    rng = ctx.rng
    recorded_on = max(beneficiary.admitted_on, ctx.days_ago(rng.randint(5, 90)))
    need = referral_services.unmet_need_record(
        beneficiary=beneficiary,
        actor=manager,
        data={
            "domain": rng.choice(["housing", "economic", "psychological", "education"]),
            "barrier": rng.choice(UnmetBarrier.values),
            "details": "Nothing suitable within reach; kept on the waiting list.",
            "recorded_on": recorded_on,
        },
    )
    if number % 10 == 1:
        referral_services.unmet_need_resolve(
            need=need,
            actor=manager,
            resolved_on=ctx.today,
            resolution="A place opened up at a service in the next town.",
        )
