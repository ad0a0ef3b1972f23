"""The inbox's filters and the choice of what to mark read."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NotificationKind, Timing


class InboxFilterForm(forms.Form):
    timing = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("Everything")), *Timing.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Any kind")), *NotificationKind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    case = forms.CharField(
        label=_("Case code"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )

    def filters(self) -> dict[str, str]:
        """The valid filters (a hostile or stale value is left out, not refused)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "timing": data.get("timing", ""),
            "kind": data.get("kind", ""),
            "case_code": data.get("case", ""),
        }


class MarkReadForm(forms.Form):
    """One notification (`id`), one group (`kind` and `case`, the case's public id; no case
    for news about no one case) or, with neither, all of the person's."""

    id = forms.IntegerField(required=False, min_value=1)
    kind = forms.ChoiceField(choices=NotificationKind.choices, required=False)
    case = forms.UUIDField(required=False)
