"""Forms of the supervisors' pages, and of recording a complaint."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from cases.choices import Stage
from cases.models import Beneficiary
from core.forms import DateInput

from .models import Complaint, SupervisionRecord


class ReassignForm(forms.Form):
    cases = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, label=_("Cases"))
    # The queryset is the organisation's case managers, set in __init__.
    new_manager: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=None, label=_("New case manager")
    )
    handover_on = forms.DateField(
        widget=DateInput(), initial=timezone.localdate, label=_("Handover date")
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Handover note"),
        help_text=_("Recorded in each case's team history."),
    )

    def __init__(
        self, *args: Any, case_choices: list[tuple[str, str]], managers: Any, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["cases"]).choices = case_choices
        cast(forms.ModelChoiceField, self.fields["new_manager"]).queryset = managers


class OverdueFilterForm(forms.Form):
    """The overdue work list's filters, from the address: a value that is not one of the
    choices narrows nothing (the list shows, the field says what was wrong)."""

    worker = forms.ChoiceField(required=False, label=_("Case manager"))
    stage = forms.ChoiceField(
        choices=[("", _("Any stage")), *Stage.choices], required=False, label=_("Stage")
    )
    risk = forms.ChoiceField(
        choices=[
            ("", _("Any risk")),
            ("either", _("High security risk or re-trafficking risk")),
            ("high", _("High security risk")),
            ("retrafficking", _("Re-trafficking risk raised")),
        ],
        required=False,
        label=_("Risk"),
    )
    kind = forms.ChoiceField(required=False, label=_("Overdue"))

    def __init__(self, *args: Any, managers: Any, kinds: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["worker"]).choices = [
            ("", _("Any case manager")),
            ("none", _("(no case manager)")),
            *((str(m.pk), str(m)) for m in managers),
        ]
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", _("Anything overdue")),
            *kinds.items(),
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def chosen(self) -> dict[str, str]:
        """The valid filters (the others are left out)."""
        if not self.is_valid() and not self.is_bound:
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class ErasureForm(forms.Form):
    # The queryset is the cases due for erasure, set in __init__.
    cases: forms.ModelMultipleChoiceField[Beneficiary] = forms.ModelMultipleChoiceField(
        queryset=None,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        label=_("Cases"),
        error_messages={"required": _("Choose the cases to anonymise.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that the personal details of these cases will be erased for good."),
        error_messages={"required": _("Confirm that the details may be erased for good.")},
    )

    def __init__(self, *args: Any, due: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["cases"]).queryset = due


class SupervisionRecordForm(forms.ModelForm):
    case_codes = forms.CharField(
        required=False,
        label=_("Cases discussed"),
        help_text=_("Case codes, separated by commas or spaces, e.g. DE-2026-0012, DE-2026-0031."),
    )

    class Meta:
        model = SupervisionRecord
        fields = [
            "kind",
            "held_on",
            "worker",
            "case_codes",
            "discussion",
            "decisions",
            "next_review_on",
        ]
        labels = {"held_on": _("Date"), "next_review_on": _("Next review")}
        widgets = {
            "held_on": DateInput(),
            "next_review_on": DateInput(),
            "discussion": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["worker"]).queryset = workers
        self.fields["held_on"].initial = timezone.localdate


class EmergencyReviewForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        label=_("Review"),
        help_text=_("Was the access needed? Anything to follow up?"),
    )


class ComplaintForm(forms.ModelForm):
    class Meta:
        model = Complaint
        fields = ["received_on", "channel", "subject", "details"]
        labels = {"received_on": _("Received on"), "subject": _("About")}
        widgets = {
            "received_on": DateInput(),
            "details": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate


class ComplaintResolveForm(forms.Form):
    response = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        label=_("What was done, and what the person was told"),
    )
    resolved_on = forms.DateField(
        widget=DateInput(), initial=timezone.localdate, label=pgettext_lazy("date", "On")
    )


class AccessLogFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All staff"),
        label=_("Staff member"),
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = staff
