"""Seeds the settings that make "longer than typical" fair and a child's contacts closer, and
a complex case with its multidisciplinary case reviews."""

from __future__ import annotations

from datetime import timedelta

from accounts.models import Discipline
from cases import services
from cases.choices import (
    TIMELINE_CHILD,
    Accommodation,
    ComplexFactor,
    IdentificationStatus,
    ReferralSource,
    RiskLevel,
    Sex,
)
from cases.models import CaseReview
from core.records import version_of
from monitoring.choices import CadencePhase
from monitoring.models import ContactInterval, TimelineExtension

from .context import SeedContext

# Months each cause adds to the typical time in each stage (an organisation's own choice).
TIMELINE_EXTENSIONS = {
    TIMELINE_CHILD: 3,
    ComplexFactor.DISABILITY: 3,
    ComplexFactor.NO_DOCUMENTS: 2,
    ComplexFactor.SEVERE_TRAUMA: 3,
    ComplexFactor.MENTAL_HEALTH: 2,
}
CHILD_CONTACT_DAYS = 10


def organisation_settings(ctx: SeedContext) -> None:
    """Timeline extensions and a child's contact interval for each demo organisation
    (settings an administrator keeps in the admin site)."""
    for organisation in ctx.organisations:
        for cause, months in TIMELINE_EXTENSIONS.items():
            TimelineExtension.objects.get_or_create(
                organisation=organisation, cause=cause, defaults={"months": months}
            )
        ContactInterval.objects.get_or_create(
            organisation=organisation,
            phase=CadencePhase.CHILD,
            defaults={"days": CHILD_CONTACT_DAYS},
        )


def complex_case(ctx: SeedContext) -> None:
    """A person still in crisis eight months on: "as typical" only thanks to the months her
    disability and severe trauma add. Registered with the disability, which asked for a case
    review; the team held it and planned the next; the severe trauma recognised since joined
    that next review and brought it forward."""
    manager, psychologist = ctx.staff["caseworker"], ctx.staff["psychologist"]
    admitted_on = ctx.days_ago(245)
    beneficiary = services.beneficiary_register(
        actor=manager,
        case_manager=manager,
        assigned_on=admitted_on,
        profile={
            "first_name": "Daria",
            "last_name": "Lazar",
            "date_of_birth": admitted_on - timedelta(days=365 * 27 + 40),
            "sex": Sex.FEMALE,
            "nationality": "Moldovan",
            "languages": "Romanian, Russian",
            "accommodation": Accommodation.SHELTER,
            "identification_status": IdentificationStatus.FORMAL,
            "referral_source": ReferralSource.NGO,
            "admitted_on": admitted_on,
            "complex_factors": [ComplexFactor.DISABILITY],
            "security_risk": RiskLevel.MEDIUM,
        },
    )
    services.team_member_add(
        beneficiary=beneficiary,
        actor=manager,
        user=psychologist,
        discipline=psychologist.discipline or Discipline.PSYCHOLOGIST,
        started_on=admitted_on,
    )
    first = CaseReview.objects.get(beneficiary=beneficiary, held_on__isnull=True)
    services.case_review_record(
        review=first,
        actor=psychologist,
        held_on=admitted_on + timedelta(days=12),
        participants="Case manager, psychologist, the shelter's nurse, Daria herself",
        decisions=(
            "Ground-floor room at the shelter; sign-language interpreter for every meeting; "
            "psychologist twice a week; plan goals in smaller steps."
        ),
        next_review_on=ctx.today + timedelta(days=40),
        opened_at=version_of(first),
    )
    beneficiary.refresh_from_db()
    services.beneficiary_update(
        beneficiary=beneficiary,
        actor=manager,
        profile={"complex_factors": [ComplexFactor.DISABILITY, ComplexFactor.SEVERE_TRAUMA]},
        opened_at=version_of(beneficiary),
    )
