"""The common shape of a form page: submit, say what was done or show the errors, go on.

A form inside a case file is `cases.pages.form_page`, built on `submit`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render

from .forms import add_service_errors

NOT_SAVED = object()


def submit(
    request: HttpRequest, form: Any, save: Callable[[], Any], done: str | Callable[[Any], str]
) -> Any:
    """On a valid POST call the service and say `done` (which may be worked out from the
    result); the service's result, or NOT_SAVED.

    A service's ValidationError is shown next to its field and nothing is saved.
    """
    if request.method != "POST" or not form.is_valid():
        return NOT_SAVED
    try:
        result = save()
    except ValidationError as error:
        add_service_errors(form, error)
        return NOT_SAVED
    messages.success(request, done(result) if callable(done) else done)
    return result


def submit_and_return(
    request: HttpRequest,
    form: Any,
    save: Callable[[], Any],
    done: str | Callable[[Any], str],
    back: str,
) -> HttpResponse:
    """For a small form posted from another page: save it, or say what was wrong, and go
    back to that page either way."""
    if submit(request, form, save, done) is NOT_SAVED:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(errors)
            messages.error(request, f"{label}: {text}" if label else text)
    return HttpResponseRedirect(back)


def plain_form_page(
    request: HttpRequest,
    form: Any,
    title: str,
    save: Callable[[], Any],
    *,
    done: str,
    next_url: str | Callable[[Any], str],
    cancel_url: str,
    intro: str = "",
) -> HttpResponse:
    """A form outside a case file. `next_url` may be worked out from what was saved."""
    saved = submit(request, form, save, done)
    if saved is not NOT_SAVED:
        return redirect(next_url(saved) if callable(next_url) else next_url)
    context = {"form": form, "title": title, "intro": intro, "cancel_url": cancel_url}
    return render(request, "form.html", context)
