"""The services handout: what a person may take away, in neutral wording."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Organisation
from core.pdf import render_document

from .choices import ServiceDomain
from .models import Service


def handout_pdf(
    services: list[Service], domains: list[str], area: str, organisation: Organisation | None
) -> bytes:
    groups = [
        (ServiceDomain(domain).label, [s for s in services if domain in s.domains])
        for domain in domains
    ]
    return render_document(
        "directory/pdf/handout.html",
        {
            "groups": [(label, group) for label, group in groups if group],
            "area": area,
            "organisation": organisation,
            "intro": "These services are open to you. You can contact them yourself, or ask us "
            "to help you.",
            "today": timezone.localdate(),
        },
    ).write_pdf()
