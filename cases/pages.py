"""A form page inside a case file: the case's header and tabs around the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.pages import NOT_SAVED, submit

from .models import Beneficiary


def form_page(
    request: HttpRequest,
    beneficiary: Beneficiary,
    form: Any,
    title: str,
    save: Callable[[], Any],
    *,
    done: str,
    next_url: str | Callable[[Any], str],
    cancel_url: str = "",
    intro: str = "",
    template: str = "cases/case_form.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A form inside a case file: saved, go to `next_url` (which may be worked out from what
    was saved, e.g. the new record's page); otherwise show the form (with `context`, what
    else its template shows)."""
    saved = submit(request, form, save, done)
    if saved is not NOT_SAVED:
        return redirect(next_url(saved) if callable(next_url) else next_url)
    page = {
        "beneficiary": beneficiary,
        "form": form,
        "title": title,
        "intro": intro,
        "cancel_url": cancel_url or next_url,
        **(context or {}),
    }
    return render(request, template, page)
