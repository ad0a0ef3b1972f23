from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, EditForm

from .choices import Observation
from .models import MAX_INTERVAL_DAYS, CadenceOverride, Contact


class ContactForm(EditForm, forms.ModelForm):
    observations = forms.MultipleChoiceField(
        choices=Observation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Observations (optional)"),
    )

    class Meta:
        model = Contact
        fields = [
            "occurred_at", "kind", "made", "safety_checked", "location", "participants", "summary",
            "observations", "needs_raised", "follow_up", "restricted",
        ]  # fmt: skip
        labels = {
            "occurred_at": _("Date and time"),
            "kind": _("Type"),
            "made": _("Contact was made"),
            "safety_checked": _("I checked the safe-contact instructions first"),
            "participants": _("Who took part"),
            "needs_raised": _("Needs or concerns raised"),
            "follow_up": _("Follow-up actions"),
            "restricted": _("Restricted note"),
        }
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "needs_raised": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        occurred_at = cast(forms.DateTimeField, self.fields["occurred_at"])
        occurred_at.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        if not self.instance.pk:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )


class CadenceForm(EditForm, forms.Form):
    """The case's own contact interval: the override row, if the case has one, is the row
    this form edits (or deletes)."""

    days = forms.IntegerField(
        min_value=1,
        max_value=MAX_INTERVAL_DAYS,
        required=False,
        label=_("Contact at least every ... days"),
        help_text=_("Leave empty to follow the organisation's interval for the current stage."),
    )
    reason = forms.CharField(
        max_length=300,
        required=False,
        label=_("Reason"),
        help_text=_("Required when contact is less frequent than usual."),
    )

    def __init__(self, *args: Any, override: CadenceOverride | None, **kwargs: Any) -> None:
        self.override = override
        initial = {"days": override.days, "reason": override.reason} if override else {}
        super().__init__(*args, initial=initial, **kwargs)

    def edited_row(self) -> CadenceOverride | None:
        return self.override


class MilestoneMarkForm(forms.Form):
    achieved_on = forms.DateField(
        widget=DateInput(), initial=timezone.localdate, label=_("Reached on")
    )
    note = forms.CharField(max_length=300, required=False, label=_("Note"))


class MilestoneUnmarkForm(forms.Form):
    reason = forms.CharField(max_length=300, label=_("Why it no longer holds"))
