"""Printed documents, rendered in-process by WeasyPrint with fonts and CSS read from disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_DIR = Path(settings.BASE_DIR) / "static"


class _StaticOnlyFetcher(URLFetcher):
    """Fetch nothing but files under static/: no network, no other file on the server."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        path = Path(unquote(url.removeprefix("file://"))).resolve()
        if STATIC_DIR.resolve() not in path.parents:
            raise ValueError("Printed documents load only the application's own fonts and styles.")
        return super().fetch(url, headers)


def render_document(template: str, context: dict[str, Any]) -> Document:
    """The laid-out pages of a template, before they are written as PDF."""
    html = render_to_string(template, context)
    fetcher = _StaticOnlyFetcher(allowed_protocols=["file"])
    return HTML(string=html, base_url=f"{STATIC_DIR}/", url_fetcher=fetcher).render()


def pdf_bytes(document: Document, **options: Any) -> bytes:
    """The document written as a tagged PDF: its structure (headings, paragraphs, tables,
    lists) and language are in the file, so a screen reader can follow it."""
    return document.write_pdf(pdf_tags=True, **options)
