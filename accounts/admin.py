"""The admin site manages accounts and reference data only.

Case records are deliberately not registered here: every read of a case must go through
the visibility rule and the access log, which the admin would bypass.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "organisation",
        "role",
        "discipline",
        "is_active",
    ]
    list_filter = ["organisation", "role", "discipline", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            "Organisation and role",
            {"fields": ("organisation", "role", "discipline", "caseload_capacity")},
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Organisation and role", {"fields": ("organisation", "role", "discipline")}),
    )
