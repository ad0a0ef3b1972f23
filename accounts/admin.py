"""The admin site manages accounts and reference data only.

Case records are deliberately not registered here: every read of a case must go through
the visibility rule and the access log, which the admin would bypass.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import Organisation, User

# django-otp's own pages would show each authenticator's secret key and backup codes to
# administrators. A lost phone needs only a reset, an action on the staff list below.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


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
    actions = ["reset_two_step_login"]

    @admin.action(description="Reset two-step login (lost phone)")
    def reset_two_step_login(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.two_step_remove(user=user, by=request.user)
        self.message_user(
            request,
            f"Two-step login reset for {queryset.count()} staff member(s): they set up a "
            "new authenticator at their next login.",
            messages.SUCCESS,
        )
