"""The common shape of a form page inside a case file, shared by every case app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cases.forms import add_service_errors
from cases.models import Beneficiary


def form_page(
    request: HttpRequest,
    beneficiary: Beneficiary,
    form: Any,
    title: str,
    save: Callable[[], Any],
    *,
    done: str,
    next_url: str,
    intro: str = "",
    template: str = "cases/case_form.html",
) -> HttpResponse:
    """On a valid POST call the service and go to `next_url`; otherwise show the form.

    A service's ValidationError is shown next to its field and nothing is saved.
    """
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(next_url)
    context = {
        "beneficiary": beneficiary,
        "form": form,
        "title": title,
        "intro": intro,
        "cancel_url": next_url,
    }
    return render(request, template, context)
