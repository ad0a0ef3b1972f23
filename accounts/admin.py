"""The admin site manages accounts and reference data only.

Case records are deliberately not registered here: every read of a case must go through
the visibility rule and the access log, which the admin would bypass.
"""

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .http import AuthenticatedHttpRequest
from .models import Organisation, User

# django-otp's own pages would show each authenticator's secret key and backup codes to
# administrators. A lost phone needs only a reset, an action on the staff list below.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


def _give_enrolment_codes(request: HttpRequest, users: list[User]) -> None:
    """Show the administrator each person's new enrolment code, once: they hand it over in
    person, and setting up the authenticator asks for it with the password."""
    by = request.user if isinstance(request.user, User) else None
    for user in users:
        code = services.enrolment_code_issue(user=user, by=by)
        messages.warning(
            request,
            gettext(
                "Enrolment code for %(user)s: %(code)s. Give it to them in person; it sets up "
                "their two-step login once, within %(hours)d hours, and is not shown again."
            )
            % {"user": user.username, "code": code, "hours": settings.TWO_STEP_ENROLMENT_HOURS},
        )


# Groups are not used for access (roles and case teams are); shown with the same plain list.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class PlainGroupAdmin(GroupAdmin):
    filter_horizontal = ()


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "digest_hour"]
    search_fields = ["name", "code"]


class TemporaryPasswordForm(AdminPasswordChangeForm):
    """A password an administrator sets is temporary: the person replaces it at their next
    login, so that nobody else knows it for long."""

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = TemporaryPasswordForm
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
        # Django's UserAdmin always sets its fieldsets; the stubs type them as optional.
        *(BaseUserAdmin.fieldsets or ()),
        (
            _("Organisation and role"),
            {"fields": ("organisation", "role", "discipline", "caseload_capacity")},
        ),
        (_("Login"), {"fields": ("must_change_password", "language")}),
        (_("Notifications"), {"fields": ("reminder_emails",)}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (
            _("Organisation and role"),
            {"fields": ("organisation", "role", "discipline", "language")},
        ),
    )
    actions = ["reset_two_step_login", "end_logins"]
    # Login times are facts, not settings. Groups and permissions in plain labelled lists:
    # the two-box picker's search icons carry an aria-label no screen reader may read.
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ()

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change:  # a new account's first password is temporary (ASVS 6.4.1)
            obj.must_change_password = True
        super().save_model(request, obj, form, change)
        if not change:  # and only its holder may set up its two-step login
            _give_enrolment_codes(request, [obj])

    @admin.action(description=_("Log out everywhere (end all their logins)"))
    def end_logins(self, request: AuthenticatedHttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.logins_end(user=user, by=request.user)
            self.log_change(request, user, gettext("Logged out everywhere."))
        self.message_user(
            request,
            ngettext(
                "Every login of %(count)d staff member was ended.",
                "Every login of %(count)d staff members was ended.",
                queryset.count(),
            )
            % {"count": queryset.count()},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reset two-step login (lost phone)"))
    def reset_two_step_login(
        self, request: AuthenticatedHttpRequest, queryset: QuerySet[User]
    ) -> None:
        for user in queryset:
            services.two_step_remove(user=user, by=request.user)
            self.log_change(request, user, gettext("Two-step login reset."))
        _give_enrolment_codes(request, list(queryset))
        self.message_user(
            request,
            ngettext(
                "Two-step login reset for %(count)d staff member: they set up a new "
                "authenticator at their next login.",
                "Two-step login reset for %(count)d staff members: they set up a new "
                "authenticator at their next login.",
                queryset.count(),
            )
            % {"count": queryset.count()},
            messages.SUCCESS,
        )
