"""The organisation's indicator matrix, kept by its administrators.

Plans themselves are case records and stay out of the admin (see accounts/admin.py).
An administrator who belongs to an organisation sees and changes only that organisation's
indicators; one without an organisation (the installation's) sees all and says whose.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Indicator


def _own_organisation_id(request: HttpRequest) -> int | None:
    return getattr(request.user, "organisation_id", None)


class IndicatorAdminForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "organisation",
            "domain",
            "direction",
            "active",
            "name",
            "verification",
            "name_sq",
            "verification_sq",
            "name_id",
            "verification_id",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The unique rule includes the organisation, which an organisation's administrator
        # does not choose (it is theirs): checked here so a duplicate is a message, not an
        # error page.
        chosen = data.get("organisation")
        organisation_id = chosen.pk if chosen else self.instance.organisation_id
        name = (data.get("name") or "").strip()
        same = Indicator.objects.filter(
            organisation_id=organisation_id, domain=data.get("domain"), name=name
        ).exclude(pk=self.instance.pk)
        if organisation_id and name and same.exists():
            self.add_error(
                "name", gettext("Your organisation already has this indicator in this domain.")
            )
        return data


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """Organisation settings: the indicators plan goals are counted under, per outcome
    domain, each in every language (the English text stands in for a missing translation)."""

    form = IndicatorAdminForm
    list_display = ["domain", "name", "direction", "active"]
    list_display_links = ["name"]
    list_filter = ["domain", "active"]
    search_fields = ["name", "name_sq", "name_id"]
    ordering = ["domain", "name"]
    fieldsets = (
        (None, {"fields": ("organisation", "domain", "direction", "active")}),
        (_("English"), {"fields": ("name", "verification")}),
        (_("Albanian"), {"fields": ("name_sq", "verification_sq")}),
        (_("Indonesian"), {"fields": ("name_id", "verification_id")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Indicator]:
        indicators = super().get_queryset(request)
        if (organisation_id := _own_organisation_id(request)) is not None:
            return indicators.filter(organisation_id=organisation_id)
        return indicators.select_related("organisation")

    def get_list_display(self, request: HttpRequest) -> Any:
        if _own_organisation_id(request) is None:
            return [*self.list_display, "organisation"]
        return self.list_display

    def get_fieldsets(self, request: HttpRequest, obj: Indicator | None = None) -> Any:
        if _own_organisation_id(request) is None:
            return self.fieldsets
        # Their own organisation's, always: not a choice to make.
        first, *languages = self.fieldsets
        fields = tuple(f for f in first[1]["fields"] if f != "organisation")
        return ((None, {"fields": fields}), *languages)

    def get_form(
        self,
        request: HttpRequest,
        obj: Indicator | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        organisation_id = _own_organisation_id(request)
        if organisation_id is None:
            return form

        class OwnOrganisationForm(form):  # type: ignore[misc,valid-type]
            def __init__(self, *args: Any, **inner: Any) -> None:
                super().__init__(*args, **inner)
                if self.instance.pk is None:
                    self.instance.organisation_id = organisation_id

        return OwnOrganisationForm
