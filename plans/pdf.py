"""The printed plan."""

from __future__ import annotations

from django.utils import timezone
from weasyprint.document import Document

from core.pdf import render_document

from .models import PlanVersion, SignerRole
from .services import required_roles


def plan_pdf(version: PlanVersion) -> bytes:
    """The plan version as PDF. A signed version renders from its stored content alone."""
    return plan_document(version).write_pdf()


def plan_document(version: PlanVersion) -> Document:
    """The laid-out pages, before they are written as PDF."""
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
            "beneficiary": beneficiary,
            "organisation": beneficiary.organisation,
            "goals": list(version.goals.prefetch_related("tasks__assigned_to")),
            "signature_blocks": [(SignerRole(role).label, signature) for role, signature in blocks],
        },
    )
