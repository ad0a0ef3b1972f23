"""The case worker's desk: home, the caseload, intake, and the case file's overview page."""

from __future__ import annotations

import uuid
from functools import cached_property
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.decorators import role_required
from accounts.http import AuthenticatedHttpRequest
from accounts.models import CASE_REGISTRARS, Role, User
from assessments.selectors import score_history
from cases.access import Access, case_view
from cases.choices import AccessAction
from cases.models import Beneficiary, Child
from cases.selectors import (
    beneficiaries_visible_to,
    case_managers_in,
    case_reviews_for,
    children_to_register,
)
from cases.services import beneficiary_register
from core.forms import add_service_errors
from monitoring.selectors import (
    attach_follow_ups,
    follow_up_for,
    keep_open_for,
    milestone_progress,
)
from monitoring.timeline import timeline_for

from . import forms, selectors


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send each user to their own work after login."""
    role = request.user.role
    if role == Role.ADMINISTRATOR:
        return render(request, "accounts/administrator_home.html")
    if role in {Role.CASE_WORKER, Role.MDT_MEMBER}:
        return redirect("/cases/?mine=1")
    return redirect("supervision:review")


def _case_managers(user: User) -> QuerySet[User]:
    """Whom the user may pick as a case manager: nobody, for staff of no organisation."""
    if user.organisation_id is None:
        return User.objects.none()
    return case_managers_in(user.organisation_id)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    # The filter shows their names only.
    case_managers = _case_managers(request.user).only("first_name", "last_name", "username")
    if request.method == "POST":
        form = forms.CaseloadFilterForm(request.POST, case_managers=case_managers)
        if form.is_valid():
            return redirect(_remember_search(request, form.cleaned_data["q"]))
    else:
        form = forms.CaseloadFilterForm(_filters_in_address(request), case_managers=case_managers)
    mine = bool(request.GET.get("mine") or request.POST.get("mine"))
    filters = {**(form.cleaned_data if form.is_valid() else {}), "mine": mine}
    sort = _sort_asked(request.GET)
    cases = selectors.caseload_for(request.user, filters=filters, sort=sort)
    page = CappedPaginator(cases.values_list("pk", flat=True), settings.CASES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    searching = bool(request.GET.get("search"))
    context = {
        "form": form,
        "page": page,
        "cases": attach_follow_ups(selectors.caseload_rows(request.user, list(page.object_list))),
        "query": _caseload_query(request.GET, searching=searching),
        "mine": mine,
        "sort": sort,
        # A supervisor sees the names of the cases they are on the team of only: sorting the
        # whole organisation by a name column that shows dashes would make no sense.
        "columns": _column_heads(
            _sort_links(request.GET, searching, sort, names=mine or not request.user.is_supervisor)
        ),
    }
    return render(request, "casework/caseload.html", context)


class CappedPaginator(Paginator):
    """Counts the cases up to a page's position plus `CAP`, not the whole organisation.

    The count is what makes a long list slower the larger the organisation grows; past
    ten thousand nobody tells the difference, so the page says "10000+ cases". Every page can
    still be reached: the count goes `CAP` beyond the page asked for.
    """

    CAP = 10_000
    MOST_PAGES = 1_000_000

    def get_page(self, number: Any) -> Page:
        try:
            # Beyond the last page means the last page: a nonsense number must not become a
            # LIMIT the database refuses.
            asked = min(max(int(number), 1), self.MOST_PAGES)
        except (TypeError, ValueError, OverflowError):
            asked = 1
        self.counted_up_to = (asked - 1) * self.per_page + self.CAP
        return super().get_page(asked)

    @cached_property
    def count(self) -> int:
        limit = getattr(self, "counted_up_to", self.CAP)
        # In no particular order: the database counts from the narrowest index it has.
        return cast(QuerySet[Any], self.object_list).order_by()[: limit + 1].count()

    @property
    def capped(self) -> bool:
        """Whether there are more cases than counted: the count is a lower bound."""
        return self.count > getattr(self, "counted_up_to", self.CAP)


def _sort_asked(data: QueryDict) -> str:
    """The `sort` of the address, if it is one of the caseload's; else the default ("")."""
    sort = data.get("sort", "")
    return sort if sort.removeprefix("-") in selectors.CASELOAD_SORTS else ""


# The caseload's columns, in order: the sort key of those that sort (`CASELOAD_SORTS`).
CASELOAD_COLUMNS = (
    ("code", _("Case")),
    ("name", _("Name")),
    ("stage", _("Stage")),
    ("", _("Status")),
    ("", _("Case manager")),
    ("", _("Assessment")),
    ("", _("Plan")),
    ("next_contact", _("Next contact")),
    ("admitted", _("Admitted")),
    ("", _("Flags")),
)


def _column_heads(links: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """Each column head's label, and its sort link and `aria-sort` where it sorts: one loop
    in the template instead of an include per head."""
    return [{"label": label, **links.get(key, {})} for key, label in CASELOAD_COLUMNS]


def _sort_links(
    data: QueryDict, searching: bool, sort: str, *, names: bool
) -> dict[str, dict[str, str]]:
    """For each sortable column head: its link (with the filters, from the first page; a
    second click turns the order round) and its `aria-sort`, if the list is sorted by it."""
    filters = data.copy()
    filters.pop("sort", None)
    base = _caseload_query(filters, searching=searching)
    links = {}
    for key in selectors.CASELOAD_SORTS:
        if key == "name" and not names:
            continue
        aria = {key: "ascending", f"-{key}": "descending"}.get(sort, "")
        wanted = f"-{key}" if sort == key else key
        links[key] = {"url": f"?{base}&sort={wanted}" if base else f"?sort={wanted}", "aria": aria}
    return links


# The caseload search is usually a name. Names must not appear in addresses (browser
# history on shared computers, server logs), so the search text is posted, kept in the
# session, and the address only says that a search is on.
CASELOAD_SEARCH = "caseload_search"
# Everything else the filter form holds may be in the address.
CASELOAD_ADDRESS_FILTERS = [
    "mine",
    *(f for f in forms.CaseloadFilterForm.base_fields if f != "q"),
    "sort",  # the order, kept with the filters (a search keeps it too)
]


def _remember_search(request: AuthenticatedHttpRequest, text: str) -> str:
    """Keep the search text with the login; the caseload address for the other filters."""
    request.session[CASELOAD_SEARCH] = text
    query = _caseload_query(request.POST, searching=bool(text))
    return f"{reverse('casework:caseload')}?{query}" if query else reverse("casework:caseload")


def _filters_in_address(request: AuthenticatedHttpRequest) -> QueryDict | None:
    data = request.GET.copy()
    data.pop("q", None)  # never from an address, even an old bookmark
    if data.get("search"):
        data["q"] = request.session.get(CASELOAD_SEARCH, "")
    return data or None


def _caseload_query(data: QueryDict, *, searching: bool) -> str:
    """The address query for these filters: never the search text, only that one is on."""
    query = {name: data[name] for name in CASELOAD_ADDRESS_FILTERS if data.get(name)}
    if "sort" in query and not _sort_asked(data):
        del query["sort"]
    if searching:
        query["search"] = "1"
    return urlencode(query)


@role_required(*CASE_REGISTRARS, message=_("Only case workers and supervisors register new cases."))
def intake(request: AuthenticatedHttpRequest) -> HttpResponse:
    case_managers = _case_managers(request.user)
    children = children_to_register(request.user)
    child = _child_asked_for(request, children)
    initial = {
        "case_manager": request.user,
        **(forms.IntakeForm.initial_for_child(child) if child else {}),
    }
    form = forms.IntakeForm(
        request.POST or None, case_managers=case_managers, initial=initial, children=children
    )
    duplicates: list[selectors.LikelyDuplicate] = []
    if request.method == "POST" and form.is_valid():
        profile = form.profile()
        duplicates = selectors.likely_duplicates(
            user=request.user,
            first_name=profile["first_name"],
            last_name=profile["last_name"],
            date_of_birth=profile.get("date_of_birth"),
        )
        if duplicates and not form.cleaned_data["not_a_duplicate"]:
            form.add_error(
                "not_a_duplicate",
                gettext("Check the possible duplicates above before opening a new file."),
            )
        else:
            try:
                beneficiary = beneficiary_register(
                    actor=request.user,
                    case_manager=form.cleaned_data["case_manager"],
                    profile=profile,
                    as_child_of=form.cleaned_data["as_child_of"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, gettext("Case %(code)s opened.") % {"code": beneficiary.case_code}
                )
                if beneficiaries_visible_to(request.user).filter(pk=beneficiary.pk).exists():
                    return redirect(reverse("casework:detail", args=[beneficiary.public_id]))
                return redirect("casework:caseload")
    if form.is_bound and not form.errors.get("as_child_of"):
        child = form.cleaned_data.get("as_child_of")
    context = {"form": form, "duplicates": duplicates, "child": child}
    return render(request, "casework/intake.html", context)


def _child_asked_for(request: AuthenticatedHttpRequest, children: QuerySet[Child]) -> Child | None:
    """The child of a beneficiary the intake page was opened for (?child=<public id>), to
    register as a case of their own: one the user may register, or 404."""
    asked = request.GET.get("child", "")
    if not asked or request.method == "POST":
        return None
    try:
        public_id = uuid.UUID(asked)
    except ValueError:
        raise Http404("No such child.") from None
    child = children.filter(public_id=public_id).first()
    if child is None:
        raise Http404("No such child.")
    return child


# --- The case file ------------------------------------------------------------------


@require_safe
@case_view(Access.VIEW, AccessAction.VIEW_FILE)
def case_detail(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    file = selectors.case_overview_for(beneficiary)
    scored_assessments, score_rows = score_history(beneficiary, file.assessments)
    context = {
        "beneficiary": beneficiary,
        "file": file,
        "scored_assessments": scored_assessments,
        "score_rows": score_rows,
        "follow_up": follow_up_for(beneficiary),
        "keep_open": keep_open_for(beneficiary),
        "milestone_stages": milestone_progress(beneficiary),
        "timeline": timeline_for(beneficiary),
        "case_reviews": case_reviews_for(beneficiary),
    }
    return render(request, "casework/case_detail.html", context)
