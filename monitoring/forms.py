from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, EditForm

from .choices import ContactException, KeepOpenReason, Observation
from .models import MAX_INTERVAL_DAYS, CadenceOverride, Contact

DETAILS_NEEDED = _("Say why the safe-contact instructions could not be followed.")


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
            "occurred_at", "kind", "made", "safety_checked", "exception_reason",
            "exception_details", "location", "participants", "summary", "observations",
            "needs_raised", "follow_up", "risk_review", "restricted",
        ]  # fmt: skip
        labels = {
            "occurred_at": _("Date and time"),
            "kind": _("Type"),
            "made": _("Contact was made"),
            "safety_checked": _("I checked the safe-contact instructions first"),
            "exception_reason": _("Reason for going against the instructions"),
            "exception_details": _("Why the instructions could not be followed"),
            "risk_review": _("Re-trafficking risk after this contact"),
            "participants": _("Who took part"),
            "needs_raised": _("Needs or concerns raised"),
            "follow_up": _("Follow-up actions"),
            "restricted": _("Restricted note"),
        }
        help_texts = {
            "risk_review": _(
                "Required for a contact made while a re-trafficking risk is raised on the case "
                "(not for an attempt that reached nobody)."
            ),
            "exception_reason": _(
                "Only for a home visit when home visits are not allowed, or a call (even one not "
                "answered) when it is not safe to call."
            ),
            "exception_details": _(
                "Required with a reason: what happened, and why no safer way would do."
            ),
        }
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "exception_details": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "needs_raised": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, risk_raised: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not risk_raised and not self.instance.risk_review:
            del self.fields["risk_review"]  # asked only while a risk is raised
        occurred_at = cast(forms.DateTimeField, self.fields["occurred_at"])
        occurred_at.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        exception_reason = cast(forms.ChoiceField, self.fields["exception_reason"])
        exception_reason.choices = [
            ("", _("None: the instructions allow this contact")),
            *ContactException.choices,
        ]
        if not self.instance.pk:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The shape the database holds too: a reason comes with its details. Whether the
        # contact needs a reason at all is the service's rule.
        if data.get("exception_reason") and not data.get("exception_details"):
            self.add_error("exception_details", DETAILS_NEEDED)
        return data


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


class KeepOpenForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[("", "—"), *KeepOpenReason.choices], label=_("Why it stays open")
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Notes"),
        help_text=_("What is still to be done, and when the case could close."),
    )
    decided_on = forms.DateField(widget=DateInput(), initial=timezone.localdate, label=_("Date"))
