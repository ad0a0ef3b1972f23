"""The caseload's filters and the intake form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.choices import CaseStatus, Stage
from cases.forms import ProfileForm


class IntakeForm(ProfileForm):
    case_manager = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Case manager"))
    not_a_duplicate = forms.BooleanField(
        required=False,
        label=_("I have checked the files listed above: none of them is this person."),
    )

    class Meta(ProfileForm.Meta):
        pass

    field_order = ["case_manager", *ProfileForm.Meta.fields]

    def __init__(self, *args: Any, case_managers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["case_manager"]).queryset = case_managers
        self.fields["admitted_on"].initial = timezone.localdate()


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("Search"), max_length=100)
    stage = forms.ChoiceField(
        choices=[("", _("Any stage")), *Stage.choices], required=False, label=_("Stage")
    )
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *CaseStatus.choices], required=False, label=_("Status")
    )
    case_manager = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Any case manager"),
        label=_("Case manager"),
    )
    complex = forms.ChoiceField(
        choices=[("", _("Complex or not")), ("yes", _("Complex cases")), ("no", _("Not complex"))],
        required=False,
        label=_("Complex case"),
    )

    def __init__(self, *args: Any, case_managers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["case_manager"]).queryset = case_managers
        # Rendered by hand, not through crispy: the caseload is the most visited page.
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"
