"""The supervisors' pages: the weekly caseload review, its drill-down, reassignment and
supervision records. Supervisors only, and only their own organisation's cases."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from cases import services as case_services
from cases.choices import Stage
from cases.forms import add_service_errors
from cases.models import Beneficiary
from cases.selectors import case_managers_in

from . import forms, services, supervision
from .models import SupervisionRecord

COMPLIANCE_DEFAULT_DAYS = 90


def supervisor_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_supervisor or request.user.organisation_id is None:
            raise PermissionDenied("These pages are for supervisors.")
        return view(request, *args, **kwargs)

    return wrapped


def _period(request: HttpRequest) -> tuple[Any, Any, forms.PeriodForm]:
    today = timezone.localdate()
    default = {"start": today - timedelta(days=COMPLIANCE_DEFAULT_DAYS), "end": today}
    form = forms.PeriodForm(request.GET if "start" in request.GET else None, initial=default)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["start"], form.cleaned_data["end"], form
    return default["start"], default["end"], form


@require_safe
@supervisor_page
def dashboard(request: HttpRequest) -> HttpResponse:
    organisation_id = request.user.organisation_id
    cases = supervision.active_cases(organisation_id)
    start, end, period_form = _period(request)
    context = {
        "rows": supervision.worker_rows(organisation_id, cases),
        "total": len(cases),
        "stages": supervision.stage_view(cases),
        "attention": supervision.attention(organisation_id, cases),
        "compliance": supervision.compliance(organisation_id, start, end, cases),
        "period_form": period_form,
        "start": start,
        "end": end,
        "overdue_kinds": supervision.OVERDUE_KINDS,
    }
    return render(request, "monitoring/supervision/dashboard.html", context)


def _worker_filter(request: HttpRequest, cases: list[Beneficiary]) -> tuple[list[Beneficiary], str]:
    worker = request.GET.get("worker", "")
    if worker == "none":
        return [c for c in cases if c.manager_id is None], "without a case manager"
    if worker.isdigit():
        chosen = [c for c in cases if c.manager_id == int(worker)]
        name = next(
            (str(w) for w in case_managers_in(request.user.organisation_id) if w.pk == int(worker)),
            "",
        )
        return chosen, f"of {name}" if name else "of this case manager"
    return cases, ""


DRILL_DOWN_TITLES = {
    "all": "Active cases",
    "longer": "Longer than typical in their stage",
    "beyond": "Open beyond 36 months",
    "high_risk": "High security risk",
    "high_risk_overdue": "High security risk with a follow-up overdue",
}


def _title(key: str) -> str:
    kind, _, value = key.partition(":")
    if kind == "overdue" and value in supervision.OVERDUE_KINDS:
        return f"Overdue: {supervision.OVERDUE_KINDS[value].lower()}"
    if kind == "stage":
        current, _, expected = value.partition(":")
        labels = dict(Stage.choices)
        title = f"In {labels.get(current, '?').lower()}"
        return f"{title}, expected {labels.get(expected, '?').lower()}" if expected else title
    return DRILL_DOWN_TITLES.get(key, "Cases")


@require_safe
@supervisor_page
def cases_behind(request: HttpRequest) -> HttpResponse:
    """The cases behind a figure of the review, with reassignment of any of them."""
    key = request.GET.get("show", "all")
    cases, whose = _worker_filter(request, supervision.active_cases(request.user.organisation_id))
    cases = supervision.cases_behind(key, cases)
    managers = {w.pk: w for w in case_managers_in(request.user.organisation_id)}
    for case in cases:
        case.manager = managers.get(case.manager_id)
        case.reasons = supervision.complex_labels(case)
    form = forms.ReassignForm(
        case_choices=[(str(c.public_id), c.case_code) for c in cases],
        managers=case_managers_in(request.user.organisation_id),
    )
    page = Paginator(cases, 100).get_page(request.GET.get("page"))
    context = {
        "title": f"{_title(key)} {whose}".strip(),
        "page": page,
        "form": form,
        "back": request.get_full_path(),
        "key": key,
    }
    return render(request, "monitoring/supervision/cases.html", context)


@require_POST
@supervisor_page
def reassign(request: HttpRequest) -> HttpResponse:
    organisation_id = request.user.organisation_id
    chosen = request.POST.getlist("cases")
    candidates = Beneficiary.objects.filter(
        organisation_id=organisation_id,
        public_id__in=[c for c in chosen if re.fullmatch(r"[0-9a-f-]{36}", c)],
    )
    form = forms.ReassignForm(
        request.POST,
        case_choices=[(str(c.public_id), c.case_code) for c in candidates],
        managers=case_managers_in(organisation_id),
    )
    back = request.POST.get("back", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("monitoring:supervision")
    if form.is_valid():
        try:
            count = case_services.cases_reassign(
                cases=list(candidates),
                actor=request.user,
                new_manager=form.cleaned_data["new_manager"],
                handover_on=form.cleaned_data["handover_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            manager = form.cleaned_data["new_manager"]
            messages.success(
                request, f"{count} case{'s' if count != 1 else ''} reassigned to {manager}."
            )
            return redirect(back)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label + ': ' if label else ''}{' '.join(errors)}")
    return redirect(back)


@require_safe
@supervisor_page
def records(request: HttpRequest) -> HttpResponse:
    rows = (
        SupervisionRecord.objects.filter(organisation_id=request.user.organisation_id)
        .select_related("worker", "recorded_by")
        .prefetch_related("cases")
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "monitoring/supervision/records.html", {"page": page})


CASE_CODE = re.compile(r"[A-Z]{2,6}-\d{4}-\d{4,}")


@supervisor_page
def record_add(request: HttpRequest) -> HttpResponse:
    workers = case_managers_in(request.user.organisation_id)
    initial = {"case_codes": request.GET.get("cases", "")[:500]}
    form = forms.SupervisionRecordForm(request.POST or None, workers=workers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "case_codes"}
        codes = CASE_CODE.findall(form.cleaned_data["case_codes"].upper())
        try:
            services.supervision_record(actor=request.user, data=data, case_codes=codes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Supervision recorded.")
            return redirect("monitoring:supervision_records")
    context = {
        "form": form,
        "title": "Record a case review or supervision meeting",
        "cancel_url": reverse("monitoring:supervision_records"),
    }
    return render(request, "form.html", context)
