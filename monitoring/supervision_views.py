"""The supervisors' pages: the weekly caseload review, its drill-down, reassignment and
supervision records. Supervisors only, and only their own organisation's cases."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from functools import cached_property, wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from cases import emergency as emergency_rules
from cases import retention as retention_rules
from cases import services as case_services
from cases.choices import Stage
from cases.models import Beneficiary
from cases.pages import NOT_SAVED, plain_form_page, submit, submit_and_return
from cases.selectors import case_managers_in
from reintegration.ids import parse_public_id

from . import charts, exports, forms, reports, services, supervision
from .models import Complaint, SupervisionRecord

COMPLIANCE_DEFAULT_DAYS = 90


def supervisor_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_supervisor or request.user.organisation_id is None:
            raise PermissionDenied("These pages are for supervisors.")
        return view(request, *args, **kwargs)

    return wrapped


def _period(
    request: HttpRequest, days: int = COMPLIANCE_DEFAULT_DAYS
) -> tuple[Any, Any, forms.PeriodForm]:
    today = timezone.localdate()
    default = {"start": today - timedelta(days=days), "end": today}
    form = forms.PeriodForm(request.GET if "start" in request.GET else None, initial=default)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["start"], form.cleaned_data["end"], form
    return default["start"], default["end"], form


# The review is computed at most once a minute per organisation and period (Refresh, or a
# reassignment, recomputes it at once): over thousands of cases it takes a moment.
REVIEW_CACHE_SECONDS = 60


def _generation_key(organisation_id: int) -> str:
    return f"caseload-review:{organisation_id}:generation"


def refresh_review(organisation_id: int) -> None:
    key = _generation_key(organisation_id)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, None)


class _Review:
    """The review's figures, computed on first use only: a cached page never asks."""

    def __init__(self, organisation_id: int, start: Any, end: Any) -> None:
        self.organisation_id, self.start, self.end = organisation_id, start, end

    @cached_property
    def data(self) -> dict[str, Any]:
        cases = supervision.active_cases(self.organisation_id)
        return {
            "rows": supervision.worker_rows(self.organisation_id, cases),
            "total": len(cases),
            "stages": supervision.stage_view(cases),
            "attention": supervision.attention(self.organisation_id, cases),
            "compliance": supervision.compliance(self.organisation_id, self.start, self.end, cases),
            "as_of": timezone.localtime(),
        }


@require_safe
@supervisor_page
def dashboard(request: HttpRequest) -> HttpResponse:
    organisation_id = request.user.organisation_id
    if request.GET.get("refresh"):
        refresh_review(organisation_id)
        query = request.GET.copy()
        query.pop("refresh")
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    start, end, period_form = _period(request)
    context = {
        "review": _Review(organisation_id, start, end),
        "cache_key": [organisation_id, start, end, cache.get(_generation_key(organisation_id), 0)],
        "cache_seconds": REVIEW_CACHE_SECONDS,
        "period_form": period_form,
        "start": start,
        "end": end,
        "overdue_kinds": supervision.OVERDUE_KINDS,
    }
    return render(request, "monitoring/supervision/dashboard.html", context)


def _whose(worker: str, managers: dict[int, Any]) -> str:
    if worker == "none":
        return "without a case manager"
    if worker.isdigit():
        return f"of {managers[int(worker)]}" if int(worker) in managers else "of this case manager"
    return ""


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
    key, worker = request.GET.get("show", "all"), request.GET.get("worker", "")
    organisation_id = request.user.organisation_id
    cases = supervision.cases_behind(key, supervision.active_cases(organisation_id), worker)
    staff = case_managers_in(organisation_id)
    managers = {w.pk: w for w in staff}
    for case in cases:
        case.manager = managers.get(case.manager_id)
    form = forms.ReassignForm(
        case_choices=[(str(c.public_id), c.case_code) for c in cases], managers=staff
    )
    page = Paginator(cases, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": f"{_title(key)} {_whose(worker, managers)}".strip(),
        "page": page,
        "query": query.urlencode(),
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
        public_id__in=[i for i in map(parse_public_id, chosen) if i is not None],
    )
    form = forms.ReassignForm(
        request.POST,
        case_choices=[(str(c.public_id), c.case_code) for c in candidates],
        managers=case_managers_in(organisation_id),
    )
    back = request.POST.get("back", "")
    # Only a path on this site: anything else (or a bare word, which redirect() would take
    # for a view name) goes back to the review.
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        back = reverse("monitoring:supervision")

    def save() -> int:
        count = case_services.cases_reassign(
            cases=list(candidates),
            actor=request.user,
            new_manager=form.cleaned_data["new_manager"],
            handover_on=form.cleaned_data["handover_on"],
            note=form.cleaned_data["note"],
        )
        refresh_review(organisation_id)
        return count

    return submit_and_return(
        request,
        form,
        save,
        lambda count: (
            f"{count} case{'s' if count != 1 else ''} reassigned to "
            f"{form.cleaned_data['new_manager']}."
        ),
        back,
    )


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


RETENTION_PAGE_SIZE = 50


@supervisor_page
def retention(request: HttpRequest) -> HttpResponse:
    """Closed cases whose retention period is over, for a supervisor to anonymise."""
    due = retention_rules.due_for_erasure(request.user.organisation_id)
    form = forms.ErasureForm(request.POST or None, due=due)
    saved = submit(
        request,
        form,
        lambda: retention_rules.cases_anonymise(
            cases=list(form.cleaned_data["cases"]), actor=request.user
        ),
        lambda _: f"Personal details erased from {len(form.cleaned_data['cases'])} case(s).",
    )
    if saved is not NOT_SAVED:
        return redirect("monitoring:retention")
    page = Paginator(due, RETENTION_PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page:
        case.retention_ends_on = retention_rules.retention_ends_on(case.closed_on)
    context = {
        "form": form,
        "page": page,
        "chosen": {str(c) for c in request.POST.getlist("cases")},
        "retention_years": settings.CASE_RETENTION_YEARS,
        "erased_so_far": Beneficiary.objects.filter(
            organisation_id=request.user.organisation_id, anonymised_on__isnull=False
        ).count(),
    }
    return render(request, "monitoring/supervision/retention.html", context)


@supervisor_page
def complaints(request: HttpRequest) -> HttpResponse:
    """The organisation's complaints and feedback, open ones first."""
    rows = (
        Complaint.objects.filter(organisation_id=request.user.organisation_id)
        .select_related("beneficiary", "recorded_by", "resolved_by")
        .order_by("status", "-received_on", "-id")  # "open" before "resolved"
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    context = {"page": page, "form": forms.ComplaintResolveForm()}
    return render(request, "monitoring/supervision/complaints.html", context)


@require_POST
@supervisor_page
def complaint_resolve(request: HttpRequest, complaint_id: Any) -> HttpResponse:
    complaint = get_object_or_404(
        Complaint, organisation_id=request.user.organisation_id, public_id=complaint_id
    )
    form = forms.ComplaintResolveForm(request.POST)
    return submit_and_return(
        request,
        form,
        lambda: services.complaint_resolve(
            complaint=complaint,
            actor=request.user,
            response=form.cleaned_data["response"],
            resolved_on=form.cleaned_data["resolved_on"],
        ),
        "Complaint answered and closed.",
        reverse("monitoring:complaints"),
    )


@require_safe
@supervisor_page
def emergency_reviews(request: HttpRequest) -> HttpResponse:
    """Every emergency access to the organisation's cases; those not yet reviewed first."""
    accesses = emergency_rules.emergency_accesses_of(request.user.organisation_id)
    page = Paginator(accesses, 25).get_page(request.GET.get("page"))
    context = {"page": page, "form": forms.EmergencyReviewForm()}
    return render(request, "monitoring/supervision/emergency_reviews.html", context)


@require_POST
@supervisor_page
def emergency_review(request: HttpRequest, access_id: Any) -> HttpResponse:
    access = get_object_or_404(
        emergency_rules.emergency_accesses_of(request.user.organisation_id), public_id=access_id
    )
    form = forms.EmergencyReviewForm(request.POST)
    return submit_and_return(
        request,
        form,
        lambda: emergency_rules.emergency_access_review(
            access=access, actor=request.user, note=form.cleaned_data["note"]
        ),
        f"Emergency access to {access.beneficiary.case_code} reviewed.",
        reverse("monitoring:emergency_reviews"),
    )


CASE_CODE = re.compile(r"[A-Z]{2,6}-\d{4}-\d{4,}")


@supervisor_page
def record_add(request: HttpRequest) -> HttpResponse:
    workers = case_managers_in(request.user.organisation_id)
    initial = {"case_codes": request.GET.get("cases", "")[:500]}
    form = forms.SupervisionRecordForm(request.POST or None, workers=workers, initial=initial)
    return plain_form_page(
        request,
        form,
        "Record a case review or supervision meeting",
        lambda: services.supervision_record(
            actor=request.user,
            data={k: v for k, v in form.cleaned_data.items() if k != "case_codes"},
            case_codes=CASE_CODE.findall(form.cleaned_data["case_codes"].upper()),
        ),
        done="Supervision recorded.",
        next_url=reverse("monitoring:supervision_records"),
        cancel_url=reverse("monitoring:supervision_records"),
    )


REPORT_DEFAULT_DAYS = 365


@require_safe
@supervisor_page
def report(request: HttpRequest) -> HttpResponse:
    organisation_id = request.user.organisation_id
    start, end, period_form = _period(request, REPORT_DEFAULT_DAYS)
    tables = reports.build(organisation_id, start, end)
    outcome_table = next(t for t in tables if t.key == "outcomes")
    context = {
        "tables": tables,
        "period_form": period_form,
        "start": start,
        "end": end,
        "period_query": f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}",
        "threshold": settings.REPORT_MIN_COUNT,
        "stage_chart": charts.bars(
            "Active cases by stage", reports.stage_distribution(organisation_id)
        ),
        "trend_chart": charts.columns(
            "Cases falling behind on follow-up contact, per week",
            [
                (f"{week:%d/%m}", n)
                for week, n in reports.overdue_trend(organisation_id, start, end)
            ],
        ),
        "outcome_chart": charts.paired_bars(
            "Average outcome score, first and latest assessment",
            [
                (
                    row[0],
                    _both(row[1], row[4], row[3], row[6]),
                    _both(row[2], row[5], row[3], row[6]),
                )
                for row in outcome_table.rows
            ],
            ("First", "Latest"),
            top=5,
        ),
    }
    return render(request, "monitoring/supervision/reports.html", context)


def _both(active: float | None, closed: float | None, n_active: int, n_closed: int) -> float | None:
    """The average over active and closed people together, from the two group averages."""
    total = n_active + n_closed
    if not total:
        return None
    return round(((active or 0) * n_active + (closed or 0) * n_closed) / total, 1)


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@supervisor_page
def report_export(request: HttpRequest, key: str) -> HttpResponse:
    start, end, _ = _period(request, REPORT_DEFAULT_DAYS)
    table = next(
        (t for t in reports.build(request.user.organisation_id, start, end) if t.key == key), None
    )
    if table is None:
        raise Http404("No such report.")
    text = exports.report_csv(
        table=table, threshold=settings.REPORT_MIN_COUNT, actor=request.user, start=start, end=end
    )
    return _csv_response(text, f"report-{key}-{start:%Y%m%d}-{end:%Y%m%d}.csv")


@require_safe
@supervisor_page
def cases_export(request: HttpRequest) -> HttpResponse:
    text = exports.deidentified_cases_csv(actor=request.user)
    return _csv_response(text, f"cases-deidentified-{timezone.localdate():%Y%m%d}.csv")
