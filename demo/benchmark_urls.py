"""The application's URLs plus the reference pages, for `manage.py benchmark_pages` only.

The bare view returns the same 25 caseload rows as the caseload page with one query and
no template: the floor that the real pages are measured against. The layout view shows
the same rows in the site's page layout (menu, notifications bell): what any page costs
before it shows anything of its own. The benchmark admin (demo/benchmark_admin.py) is the
Django admin over the same case files: what a team would otherwise put in front of its staff.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path
from django.utils.html import format_html_join

from accounts.http import AuthenticatedHttpRequest
from cases.models import Beneficiary
from demo.benchmark_admin import benchmark_admin_site


def _first_rows(
    request: AuthenticatedHttpRequest,
) -> QuerySet[Beneficiary, tuple[str, str, str, str, str]]:
    organisation_id = request.user.organisation_id
    # Staff of no organisation see no case files, as on the caseload page.
    cases = (
        Beneficiary.objects.none()
        if organisation_id is None
        else Beneficiary.objects.filter(organisation_id=organisation_id)
    )
    return cases.order_by("status", "case_code").values_list(
        "case_code", "first_name", "last_name", "stage", "status"
    )[:25]


@login_required
def bare_caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = _first_rows(request)
    body = format_html_join("", "<tr><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td></tr>", rows)
    return HttpResponse(f"<table>{body}</table>")


@login_required
def caseload_in_layout(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "demo/benchmark_layout.html", {"rows": _first_rows(request)})


urlpatterns = [
    path("benchmark/bare-caseload/", bare_caseload),
    path("benchmark/caseload-in-layout/", caseload_in_layout),
    path("benchmark/admin/", benchmark_admin_site.urls),
    path("", include("reintegration.urls")),
]
