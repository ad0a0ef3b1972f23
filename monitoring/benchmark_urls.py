"""The application's URLs plus a bare view, for `manage.py benchmark_pages` only.

The bare view returns the same 25 caseload rows as the caseload page with one query and
no template: the floor that the real pages are measured against.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils.html import format_html_join

from cases.models import Beneficiary


@login_required
def bare_caseload(request: HttpRequest) -> HttpResponse:
    rows = (
        Beneficiary.objects.filter(organisation_id=request.user.organisation_id)
        .order_by("status", "case_code")
        .values_list("case_code", "first_name", "last_name", "stage", "status")[:25]
    )
    body = format_html_join("", "<tr><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td></tr>", rows)
    return HttpResponse(f"<table>{body}</table>")


urlpatterns = [
    path("benchmark/bare-caseload/", bare_caseload),
    path("", include("reintegration.urls")),
]
