"""The supervisors' pages: the weekly caseload review, its drill-down, reassignment,
supervision records, complaints, emergency-access review and retention. Supervisors only,
and only their own organisation's cases. Also the organisation's access log (supervisors
and administrators) and the complaint forms every member of staff fills in."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import role_required, supervisor_page
from accounts.http import AuthenticatedHttpRequest, OrganisationHttpRequest
from accounts.models import Role, User
from cases import emergency as emergency_rules
from cases import retention as retention_rules
from cases import services as case_services
from cases.access import Access, case_view
from cases.choices import Stage
from cases.models import Beneficiary, ExportLog
from cases.pages import form_page
from cases.selectors import (
    access_log_for_organisation,
    case_managers_in,
    open_crisis_alarms,
    refused_access_for_organisation,
    team_candidates_in,
)
from core.forms import period_from
from core.ids import parse_public_id
from core.pages import NOT_SAVED, plain_form_page, submit, submit_and_return

from . import erasure, forms, review, services
from . import overdue as overdue_work
from .models import Complaint, SupervisionRecord

COMPLIANCE_DEFAULT_DAYS = 90


@require_safe
@supervisor_page
def dashboard(request: OrganisationHttpRequest) -> HttpResponse:
    organisation_id = request.user.organisation_id
    if request.GET.get("refresh"):
        review.refresh(organisation_id)
        query = request.GET.copy()
        query.pop("refresh")
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    start, end, period_form = period_from(request, COMPLIANCE_DEFAULT_DAYS)
    context = {
        # Never cached: an alarm raised a second ago is at the top.
        "alarms": open_crisis_alarms(organisation_id),
        "review": review.Figures(organisation_id, start, end),
        # The cached figures hold words too: one copy per language.
        "cache_key": [
            organisation_id,
            start,
            end,
            review.generation(organisation_id),
            get_language(),
        ],
        "cache_seconds": review.CACHE_SECONDS,
        "period_form": period_form,
        "start": start,
        "end": end,
        "overdue_kinds": review.OVERDUE_KINDS,
    }
    return render(request, "supervision/dashboard.html", context)


def _whose(title: str, worker: str, managers: dict[int | None, User]) -> str:
    """The drill-down's title, narrowed to one case manager's cases (or to none's)."""
    if worker == "none":
        return gettext("%(cases)s without a case manager") % {"cases": title}
    if worker.isdigit():
        if int(worker) in managers:
            return gettext("%(cases)s of %(manager)s") % {
                "cases": title,
                "manager": managers[int(worker)],
            }
        return gettext("%(cases)s of this case manager") % {"cases": title}
    return title


DRILL_DOWN_TITLES = {
    "all": _("Active cases"),
    "longer": _("Longer than typical in their stage"),
    "beyond": _("Open beyond 36 months"),
    "case_review": _("Multidisciplinary case review overdue"),
    "high_risk": _("High security risk"),
    "high_risk_overdue": _("High security risk with a follow-up overdue"),
}


def _title(key: str) -> str:
    kind, _sep, value = key.partition(":")
    if kind == "overdue" and value in review.OVERDUE_KINDS:
        return gettext("Overdue: %(what)s") % {"what": str(review.OVERDUE_KINDS[value]).lower()}
    if kind == "stage":
        current, _sep, expected = value.partition(":")
        labels = dict(Stage.choices)
        stage = str(labels.get(current, "?")).lower()
        if expected:
            return gettext("In %(stage)s, expected %(expected)s") % {
                "stage": stage,
                "expected": str(labels.get(expected, "?")).lower(),
            }
        return gettext("In %(stage)s") % {"stage": stage}
    return str(DRILL_DOWN_TITLES.get(key, _("Cases")))


@require_safe
@supervisor_page
def cases_behind(request: OrganisationHttpRequest) -> HttpResponse:
    """The cases behind a figure of the review, with reassignment of any of them."""
    key, worker = request.GET.get("show", "all"), request.GET.get("worker", "")
    organisation_id = request.user.organisation_id
    cases = review.cases_behind(key, review.active_cases(organisation_id), worker)
    staff = case_managers_in(organisation_id)
    # Looked up by a case's manager_id, which is None for a case without a case manager.
    managers: dict[int | None, User] = {w.pk: w for w in staff}
    for case in cases:
        case.manager = managers.get(case.manager_id)
    form = forms.ReassignForm(
        case_choices=[(str(c.public_id), c.case_code) for c in cases], managers=staff
    )
    page = Paginator(cases, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": _whose(_title(key), worker, managers),
        "page": page,
        "query": query.urlencode(),
        "form": form,
        "back": request.get_full_path(),
        "key": key,
    }
    return render(request, "supervision/cases.html", context)


OVERDUE_PAGE_SIZE = 50


@require_safe
@supervisor_page
def overdue(request: OrganisationHttpRequest) -> HttpResponse:
    """Every overdue item of the organisation, most overdue first, filtered; the cases ticked
    are reassigned through `reassign`, which brings the supervisor back here."""
    organisation_id = request.user.organisation_id
    items = overdue_work.overdue_work(organisation_id)
    people = overdue_work.people_of(organisation_id, items)
    form = forms.OverdueFilterForm(
        request.GET or None, managers=people.values(), kinds=overdue_work.OVERDUE_WORK_KINDS
    )
    chosen = form.chosen()
    kind = chosen.pop("kind", "")
    items = overdue_work.narrowed(items, **chosen)
    shown = [i for i in items if i.kind == kind] if kind else items
    page = Paginator(shown, OVERDUE_PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.case.manager = people.get(item.case.manager_id)
    query = request.GET.copy()
    query.pop("page", None)
    without_kind = query.copy()
    without_kind.pop("kind", None)
    staff = case_managers_in(organisation_id)
    cases = {str(i.case.public_id): i.case.case_code for i in page}
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "without_kind": without_kind.urlencode(),
        "kind": kind,
        "totals": overdue_work.totals(items),
        "total": len(items),
        "reassign_form": forms.ReassignForm(case_choices=list(cases.items()), managers=staff),
        "back": request.get_full_path(),
    }
    return render(request, "supervision/overdue.html", context)


@require_POST
@supervisor_page
def reassign(request: OrganisationHttpRequest) -> HttpResponse:
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
        back = reverse("supervision:review")

    def save() -> int:
        count = case_services.cases_reassign(
            cases=list(candidates),
            actor=request.user,
            new_manager=form.cleaned_data["new_manager"],
            handover_on=form.cleaned_data["handover_on"],
            note=form.cleaned_data["note"],
        )
        review.refresh(organisation_id)
        return count

    return submit_and_return(
        request,
        form,
        save,
        lambda count: (
            ngettext(
                "%(count)d case reassigned to %(manager)s.",
                "%(count)d cases reassigned to %(manager)s.",
                count,
            )
            % {"count": count, "manager": form.cleaned_data["new_manager"]}
        ),
        back,
    )


@require_safe
@supervisor_page
def records(request: OrganisationHttpRequest) -> HttpResponse:
    rows = (
        SupervisionRecord.objects.filter(organisation_id=request.user.organisation_id)
        .select_related("worker", "recorded_by")
        .prefetch_related("cases")
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "supervision/records.html", {"page": page})


RETENTION_PAGE_SIZE = 50


@supervisor_page
def retention(request: OrganisationHttpRequest) -> HttpResponse:
    """Closed cases whose retention period is over, for a supervisor to anonymise."""
    due = retention_rules.due_for_erasure(request.user.organisation_id)
    form = forms.ErasureForm(request.POST or None, due=due)
    saved = submit(
        request,
        form,
        lambda: erasure.cases_anonymise(cases=list(form.cleaned_data["cases"]), actor=request.user),
        lambda _result: _erased(len(form.cleaned_data["cases"])),
    )
    if saved is not NOT_SAVED:
        return redirect("supervision:retention")
    # Typed by hand: django-stubs loses the annotation on the way through a paginator.
    page: Page[retention_rules.ClosedCase] = Paginator(due, RETENTION_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
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
    return render(request, "supervision/retention.html", context)


def _erased(count: int) -> str:
    # English says "case(s)" whatever the number; other languages may need their plurals.
    return ngettext(
        "Personal details erased from %(count)d case(s).",
        "Personal details erased from %(count)d case(s).",
        count,
    ) % {"count": count}


@supervisor_page
def complaints(request: OrganisationHttpRequest) -> HttpResponse:
    """The organisation's complaints and feedback, open ones first."""
    rows = (
        Complaint.objects.filter(organisation_id=request.user.organisation_id)
        .select_related("beneficiary", "recorded_by", "resolved_by")
        .order_by("status", "-received_on", "-id")  # "open" before "resolved"
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    context = {"page": page, "form": forms.ComplaintResolveForm()}
    return render(request, "supervision/complaints.html", context)


@require_POST
@supervisor_page
def complaint_resolve(request: OrganisationHttpRequest, complaint_id: Any) -> HttpResponse:
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
        gettext("Complaint answered and closed."),
        reverse("supervision:complaints"),
    )


@require_safe
@supervisor_page
def emergency_reviews(request: OrganisationHttpRequest) -> HttpResponse:
    """Every emergency access to the organisation's cases; those not yet reviewed first."""
    accesses = emergency_rules.emergency_accesses_of(request.user.organisation_id)
    page = Paginator(accesses, 25).get_page(request.GET.get("page"))
    context = {"page": page, "form": forms.EmergencyReviewForm()}
    return render(request, "supervision/emergency_reviews.html", context)


@require_POST
@supervisor_page
def emergency_review(request: OrganisationHttpRequest, access_id: Any) -> HttpResponse:
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
        gettext("Emergency access to %(code)s reviewed.") % {"code": access.beneficiary.case_code},
        reverse("supervision:emergency_reviews"),
    )


CASE_CODE = re.compile(r"[A-Z]{2,6}-\d{4}-\d{4,}")


@supervisor_page
def record_add(request: OrganisationHttpRequest) -> HttpResponse:
    workers = case_managers_in(request.user.organisation_id)
    initial = {"case_codes": request.GET.get("cases", "")[:500]}
    form = forms.SupervisionRecordForm(request.POST or None, workers=workers, initial=initial)
    return plain_form_page(
        request,
        form,
        gettext("Record a case review or supervision meeting"),
        lambda: services.supervision_record(
            actor=request.user,
            data={k: v for k, v in form.cleaned_data.items() if k != "case_codes"},
            case_codes=CASE_CODE.findall(form.cleaned_data["case_codes"].upper()),
        ),
        done=gettext("Supervision recorded."),
        next_url=reverse("supervision:records"),
        cancel_url=reverse("supervision:records"),
    )


# --- The organisation's access log ---------------------------------------------------


@require_safe
@role_required(
    Role.SUPERVISOR,
    Role.ADMINISTRATOR,
    message=_("Supervisors and administrators review the access log."),
)
def organisation_access_log(request: OrganisationHttpRequest) -> HttpResponse:
    """Who opened which of the organisation's cases, per member of staff: reviewed by its
    supervisors, and by its administrators (the data protection role), who see case codes
    and staff only, never a case file."""
    staff = team_candidates_in(request.user.organisation_id)
    form = forms.AccessLogFilterForm(request.GET or None, staff=staff)
    chosen = form.cleaned_data.get("user") if form.is_valid() else None
    rows = access_log_for_organisation(
        request.user.organisation_id, user_id=chosen.pk if chosen else None
    )
    exports = ExportLog.objects.filter(organisation_id=request.user.organisation_id)
    if chosen:
        exports = exports.filter(user=chosen)
    refused = refused_access_for_organisation(
        request.user.organisation_id, user_id=chosen.pk if chosen else None
    )
    context = {
        "form": form,
        "rows": rows,
        "refused": refused,
        "exports": list(exports.select_related("user")[:100]),
    }
    return render(request, "supervision/organisation_access_log.html", context)


# --- Complaints and feedback, as recorded by the staff who receive them ------------


# Said on both complaint forms: the case team does not see what is recorded.
COMPLAINT_INTRO = _(
    "Only the organisation's supervisors see complaints and feedback, never the case team: "
    "what the person raised may be about one of its members. Write what they said, in their "
    "words where possible."
)


@case_view(Access.EDIT)
def complaint_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.ComplaintForm(request.POST or None)
    case_file = reverse("casework:detail", args=[beneficiary.public_id])
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Record a complaint or feedback"),
        lambda: services.complaint_record(
            actor=request.user, data=form.cleaned_data, beneficiary=beneficiary
        ),
        done=gettext("Recorded. The supervisors have been told; it is not shown on the case file."),
        next_url=case_file,
        intro=str(COMPLAINT_INTRO),
    )


@role_required(
    Role.CASE_WORKER,
    Role.MDT_MEMBER,
    Role.SUPERVISOR,
    message=_("Complaints are recorded by the staff who receive them."),
)
def complaint_add_anonymous(request: OrganisationHttpRequest) -> HttpResponse:
    """A complaint without a name: a feedback box, an anonymous call or letter."""
    form = forms.ComplaintForm(request.POST or None)
    return plain_form_page(
        request,
        form,
        gettext("Record an anonymous complaint or feedback"),
        lambda: services.complaint_record(actor=request.user, data=form.cleaned_data),
        done=gettext("Recorded. The supervisors will see it on their review."),
        next_url=reverse("home"),
        cancel_url=reverse("home"),
        intro=str(COMPLAINT_INTRO),
    )
