"""The referral letter and the services handout: neutral wording, consented content only."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Organisation
from assessments.choices import ServiceDomain
from cases.choices import TeamRole
from reintegration.pdf import render_document

from .choices import InformationCategory
from .models import Referral, Service
from .selectors import letter_details, letter_information


def referral_letter_pdf(referral: Referral) -> bytes:
    """Prints only what the referral shares and a consent (or a supervisor's override) covers."""
    beneficiary = referral.beneficiary
    information = letter_information(referral)
    manager = (
        beneficiary.team.filter(role=TeamRole.CASE_MANAGER, ended_on__isnull=True)
        .select_related("user")
        .first()
    )
    return render_document(
        "referrals/pdf/letter.html",
        {
            "referral": referral,
            "beneficiary": beneficiary,
            "organisation": beneficiary.organisation,
            "case_manager": manager.user if manager else None,
            "shows": {c.value: c.value in information for c in InformationCategory},
            "details": letter_details(referral, information),
            "today": timezone.localdate(),
        },
    ).write_pdf()


def handout_pdf(
    services: list[Service], domains: list[str], area: str, organisation: Organisation | None
) -> bytes:
    groups = [
        (ServiceDomain(domain).label, [s for s in services if domain in s.domains])
        for domain in domains
    ]
    return render_document(
        "referrals/pdf/handout.html",
        {
            "groups": [(label, group) for label, group in groups if group],
            "area": area,
            "organisation": organisation,
            "intro": "These services are open to you. You can contact them yourself, or ask us "
            "to help you.",
            "today": timezone.localdate(),
        },
    ).write_pdf()
