"""A Django admin over the case files, for `manage.py benchmark_pages` only.

The yardstick the caseload and the case file are measured against (issue 20): what a team
would otherwise put in front of its staff. It is a separate `AdminSite`, mounted only in
demo/benchmark_urls.py; the product's own admin never shows case files.

Written as a team would write it: the changelist shows the same 25 rows as the caseload, with
a search box (case code, names), one list filter (stage) and `list_select_related`; the
change page has two inlines (the team and the contacts). The permission checks are answered
without a query (any active member of an organisation may view and change its cases), which
makes the admin slightly cheaper than with staff permissions: a harder yardstick, not a
softer one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from cases.models import Beneficiary, TeamMembership
from monitoring.models import Contact


class BenchmarkAdminSite(admin.AdminSite):
    site_header = "Benchmark administration"
    site_title = "Benchmark administration"

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and getattr(user, "organisation_id", None) is not None)


benchmark_admin_site = BenchmarkAdminSite(name="benchmark_admin")


def _organisation_id(request: HttpRequest) -> int | None:
    return getattr(request.user, "organisation_id", None)


class _SeenAndChangedOnly(admin.TabularInline):
    """An inline of the case's records: shown and editable, never added or deleted here."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TeamInline(_SeenAndChangedOnly):
    model = TeamMembership
    fk_name = "beneficiary"
    fields = ("user", "role", "discipline", "started_on", "ended_on")
    raw_id_fields = ("user",)
    extra = 0


class ContactInline(_SeenAndChangedOnly):
    model = Contact
    fk_name = "beneficiary"
    fields = ("occurred_at", "kind", "made", "summary", "safety_checked", "author")
    raw_id_fields = ("author",)
    ordering = ("-occurred_at",)
    extra = 0


@admin.register(Beneficiary, site=benchmark_admin_site)
class BeneficiaryAdmin(admin.ModelAdmin):
    list_display = ("case_code", "first_name", "last_name", "stage", "status", "created_by")
    list_select_related = ("created_by",)
    search_fields = ("case_code", "first_name", "last_name")
    list_filter = ("stage",)
    list_per_page = 25
    ordering = ("status", "case_code")
    raw_id_fields = ("organisation", "created_by", "anonymised_by")
    inlines = (TeamInline, ContactInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Beneficiary]:
        # Only the organisation's own case files, as on the caseload page.
        return super().get_queryset(request).filter(organisation_id=_organisation_id(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return True

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
