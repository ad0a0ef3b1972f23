"""The referral letter: neutral wording, consented content only."""

from __future__ import annotations

from django.utils import timezone

from cases.choices import TeamRole
from core.pdf import render_document
from directory.choices import InformationCategory

from .models import Referral
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
