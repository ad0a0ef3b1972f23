from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from .models import SectionOwnership


class SectionOwnershipRowForm(forms.ModelForm):
    """A row of the editable list: its fields sit under column headings, not labels, so each
    is named for a screen reader with the section it belongs to."""

    class Meta:
        model = SectionOwnership
        fields = ["owner", "sensitive"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        section = self.instance.get_domain_display()
        for name in self.fields:
            label = f"{self.fields[name].label}: {section}"
            self.fields[name].widget.attrs["aria-label"] = label


@admin.register(SectionOwnership)
class SectionOwnershipAdmin(admin.ModelAdmin):
    """Reference data: which discipline completes each section of a needs assessment."""

    list_display = ["domain", "owner", "sensitive"]
    list_editable = ["owner", "sensitive"]

    def get_changelist_form(self, request: HttpRequest, **kwargs: Any) -> type[forms.ModelForm]:
        return SectionOwnershipRowForm
