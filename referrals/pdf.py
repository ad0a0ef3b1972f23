"""The referral letter: neutral wording, consented content only."""

from __future__ import annotations

from django.utils import timezone, translation

from cases.choices import TeamRole
from core.languages import document_language
from core.pdf import pdf_bytes, render_document
from directory.choices import InformationCategory

from .models import Referral
from .selectors import letter_details, letter_information


def referral_letter_pdf(referral: Referral, *, language: str | None = None) -> bytes:
    """Prints only what the referral shares and a consent (or a supervisor's override) covers.

    In `language`, by default the person's own (else the working language); the service's
    printed texts in it where the directory has them."""
    beneficiary = referral.beneficiary
    language = document_language(language, beneficiary.document_language)
    information = letter_information(referral)
    manager = (
        beneficiary.team.filter(role=TeamRole.CASE_MANAGER, ended_on__isnull=True)
        .select_related("user")
        .first()
    )
    with translation.override(language):
        return pdf_bytes(
            render_document(
                "referrals/pdf/letter.html",
                {
                    "referral": referral,
                    "service": {
                        **referral.service.printed_in(language),
                        "provider": referral.provider.name_on_paper_in(language),
                    },
                    "beneficiary": beneficiary,
                    "organisation": beneficiary.organisation,
                    "case_manager": manager.user if manager else None,
                    "shows": {c.value: c.value in information for c in InformationCategory},
                    "details": letter_details(referral, information),
                    "today": timezone.localdate(),
                },
            )
        )
