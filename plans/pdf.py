"""The printed plan."""

from __future__ import annotations

from django.utils import timezone, translation
from weasyprint.document import Document

from core.languages import document_language, print_languages
from core.pdf import pdf_bytes, render_document

from .models import PlanVersion, SignerRole
from .services import required_roles


def plan_pdf(
    version: PlanVersion, *, language: str | None = None, bilingual: bool = False
) -> bytes:
    """The plan version as PDF. A signed version renders from its stored content alone.

    In `language`, by default the person's own (else the working language); `bilingual`
    adds the working language beside it, heading by heading."""
    return pdf_bytes(plan_document(version, language=language, bilingual=bilingual))


def plan_document(
    version: PlanVersion, *, language: str | None = None, bilingual: bool = False
) -> Document:
    """The laid-out pages, before they are written as PDF."""
    language = document_language(language, version.beneficiary.document_language)
    with translation.override(language):
        beneficiary = version.beneficiary
        signatures = {s.role: s for s in version.signatures.all()}
        on = version.signed_on or max((s.signed_on for s in signatures.values()), default=None)
        roles = required_roles(beneficiary, on or timezone.localdate())
        blocks = [
            (role, signatures.get(role))
            for role in SignerRole.values
            if role in roles or role in signatures
        ]
        return render_document(
            "plans/pdf/plan.html",
            {
                "version": version,
                "document_languages": print_languages(language, bilingual=bilingual),
                "beneficiary": beneficiary,
                "organisation": beneficiary.organisation,
                "goals": list(version.goals.prefetch_related("tasks__assigned_to")),
                # Labels stay lazy: a bilingual plan prints each in both languages.
                "signature_blocks": [
                    (SignerRole(role).label, signature) for role, signature in blocks
                ],
            },
        )
