"""The printed plan, rendered in-process by WeasyPrint with fonts and CSS read from disk."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher

from .models import PlanVersion, SignerRole
from .services import required_roles

STATIC_DIR = Path(settings.BASE_DIR) / "static"


class _StaticOnlyFetcher(URLFetcher):
    """Fetch nothing but files under static/: no network, no other file on the server."""

    def fetch(self, url: str, headers: dict | None = None):  # type: ignore[no-untyped-def]
        path = Path(unquote(url.removeprefix("file://"))).resolve()
        if STATIC_DIR.resolve() not in path.parents:
            raise ValueError("Printed plans load only the application's own fonts and styles.")
        return super().fetch(url, headers)


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
    html = render_to_string(
        "plans/pdf/plan.html",
        {
            "version": version,
            "beneficiary": beneficiary,
            "organisation": beneficiary.organisation,
            "goals": list(version.goals.prefetch_related("tasks__assigned_to")),
            "signature_blocks": [(SignerRole(role).label, signature) for role, signature in blocks],
        },
    )
    fetcher = _StaticOnlyFetcher(allowed_protocols=["file"])
    return HTML(string=html, base_url=f"{STATIC_DIR}/", url_fetcher=fetcher).render()
