"""The service directory: everyone reads it; supervisors and administrators keep it."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accounts.decorators import role_required
from accounts.http import AuthenticatedHttpRequest
from core.ids import parse_public_id
from core.languages import document_language
from core.pages import plain_form_page

from . import forms, selectors, services, signals
from .models import Provider, Service
from .pdf import handout_pdf

DIRECTORY_PAGE_SIZE = 25


editor_page = role_required(
    *services.EDITORS, message=_("Supervisors and administrators keep the directory.")
)


def _may_edit(request: AuthenticatedHttpRequest) -> bool:
    return services.may_edit_directory(request.user)


def _referring_case(request: AuthenticatedHttpRequest) -> Model | None:
    """The case whose manager is finding a service for it (?case=), if they may refer it.

    Cases are above the directory: the referrals app answers, fetching and logging the case
    like any case page (`referrals.receivers`).
    """
    case_id = parse_public_id(request.GET.get("case"))
    if case_id is None:
        return None
    answers = signals.referring_case_wanted.send(sender=None, request=request, case_id=case_id)
    # The receiver answers the case or None (see the signal); django-stubs types every
    # signal's answers as str | None (typeddjango/django-stubs#841).
    case = next((case for _receiver, case in answers if case is not None), None)
    return cast(Model | None, case)


@require_safe
@login_required
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    regions, municipalities = selectors.directory_areas()
    form = forms.DirectoryFilterForm(
        request.GET or None, regions=regions, municipalities=municipalities
    )
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.directory_search(filters), DIRECTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    case = _referring_case(request)
    handout: dict[str, Any] = {"domains": [filters["domain"]] if filters.get("domain") else []}
    if case is not None:  # a handout for this person: in their language by default
        handout["language"] = document_language(None, getattr(case, "document_language", ""))
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "case": case,
        "may_edit": _may_edit(request),
        "handout_form": forms.HandoutForm(
            initial=handout, regions=regions, municipalities=municipalities
        ),
    }
    return render(request, "directory/directory.html", context)


@require_safe
@login_required
def service_detail(request: AuthenticatedHttpRequest, service_id: Any) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("provider"), public_id=service_id)
    context = {"service": service, "case": _referring_case(request), "may_edit": _may_edit(request)}
    return render(request, "directory/service.html", context)


@require_safe
@login_required
def providers(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {"providers": selectors.providers_with_counts(), "may_edit": _may_edit(request)}
    return render(request, "directory/providers.html", context)


@require_safe
@login_required
def provider_detail(request: AuthenticatedHttpRequest, provider_id: Any) -> HttpResponse:
    provider = get_object_or_404(Provider, public_id=provider_id)
    context = {
        "provider": provider,
        "services": list(provider.services.order_by("-active", "name")),
        "may_edit": _may_edit(request),
    }
    return render(request, "directory/provider.html", context)


def _editor_form_page(
    request: AuthenticatedHttpRequest, form: Any, title: str, save: Any, *, cancel_url: str
) -> HttpResponse:
    """A directory form, back to the organisation's page once saved."""

    def provider_page(saved: Provider | Service) -> str:
        provider = saved.provider if isinstance(saved, Service) else saved
        return reverse("directory:provider", args=[provider.public_id])

    return plain_form_page(
        request,
        form,
        title,
        save,
        done=gettext("Directory saved."),
        next_url=provider_page,
        cancel_url=cancel_url,
    )


@editor_page
def provider_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.ProviderForm(request.POST or None)
    return _editor_form_page(
        request,
        form,
        gettext("Add an organisation to the directory"),
        lambda: services.provider_save(actor=request.user, data=form.cleaned_data),
        cancel_url=reverse("directory:providers"),
    )


@editor_page
def provider_edit(request: AuthenticatedHttpRequest, provider_id: Any) -> HttpResponse:
    provider = get_object_or_404(Provider, public_id=provider_id)
    form = forms.ProviderForm(request.POST or None, instance=provider)
    return _editor_form_page(
        request,
        form,
        gettext("Edit %(name)s") % {"name": provider},
        lambda: services.provider_save(
            actor=request.user, data=form.cleaned_data, provider=provider, opened_at=form.opened_at
        ),
        cancel_url=reverse("directory:provider", args=[provider.public_id]),
    )


@editor_page
def service_add(request: AuthenticatedHttpRequest, provider_id: Any) -> HttpResponse:
    provider = get_object_or_404(Provider, public_id=provider_id)
    form = forms.ServiceForm(request.POST or None)
    return _editor_form_page(
        request,
        form,
        gettext("Add a service of %(provider)s") % {"provider": provider},
        lambda: services.service_save(
            actor=request.user, provider=provider, data=form.cleaned_data
        ),
        cancel_url=reverse("directory:provider", args=[provider.public_id]),
    )


@editor_page
def service_edit(request: AuthenticatedHttpRequest, service_id: Any) -> HttpResponse:
    service = get_object_or_404(Service.objects.select_related("provider"), public_id=service_id)
    form = forms.ServiceForm(request.POST or None, instance=service)
    return _editor_form_page(
        request,
        form,
        gettext("Edit %(name)s") % {"name": service.name},
        lambda: services.service_save(
            actor=request.user,
            provider=service.provider,
            data=form.cleaned_data,
            service=service,
            opened_at=form.opened_at,
        ),
        cancel_url=reverse("directory:service", args=[service.public_id]),
    )


@require_safe
@login_required
def handout(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A printable list of services for a person to take away. Holds no case data."""
    regions, municipalities = selectors.directory_areas()
    form = forms.HandoutForm(request.GET or None, regions=regions, municipalities=municipalities)
    if not form.is_valid():
        return render(
            request,
            "form.html",
            {
                "form": form,
                "title": gettext("Print a services handout"),
                "method": "get",
                "submit": gettext("Print"),
                "cancel_url": reverse("directory:directory"),
            },
        )
    data = form.cleaned_data
    found = selectors.services_for_handout(data["domains"], data["region"], data["municipality"])
    area = ", ".join(part for part in (data["municipality"], data["region"]) if part)
    pdf = handout_pdf(
        found, data["domains"], area, request.user.organisation, language=data["language"]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="services.pdf"'
    return response
