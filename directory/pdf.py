"""The services handout: what a person may take away, in neutral wording."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Organisation
from core.languages import document_language
from core.pdf import pdf_bytes, render_document

from .choices import ServiceDomain
from .models import Service


def handout_pdf(
    services: list[Service],
    domains: list[str],
    area: str,
    organisation: Organisation | None,
    *,
    language: str | None = None,
) -> bytes:
    """In `language` (by default the working language): each service's own texts in it where
    they were written, else in the working language."""
    language = document_language(language)
    for service in services:
        service.printed = service.printed_in(language)  # type: ignore[attr-defined]
    groups = [
        (ServiceDomain(domain).label, [s for s in services if domain in s.domains])
        for domain in domains
    ]
    with translation.override(language):
        return pdf_bytes(
            render_document(
                "directory/pdf/handout.html",
                {
                    "groups": [(label, group) for label, group in groups if group],
                    "area": area,
                    "organisation": organisation,
                    "intro": gettext(
                        "These services are open to you. You can contact them yourself, or ask us "
                        "to help you."
                    ),
                    "today": timezone.localdate(),
                },
            )
        )
