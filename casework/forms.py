"""The caseload's filters and the intake form."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.choices import CaseStatus, Stage
from cases.forms import ProfileForm
from cases.models import Child


class IntakeForm(ProfileForm):
    case_manager = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Case manager"))
    not_a_duplicate = forms.BooleanField(
        required=False,
        label=_("I have checked the files listed above: none of them is this person."),
    )
    # A child of a beneficiary registered as a case of their own, by the child's public id:
    # one of the children the user may register (`cases.selectors.children_to_register`).
    as_child_of = forms.ModelChoiceField(
        queryset=Child.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _(
                "This child cannot be registered from here: their parent's file is not one "
                "you work on, or they already have a case of their own."
            )
        },
    )

    class Meta(ProfileForm.Meta):
        pass

    field_order = ["case_manager", *ProfileForm.Meta.fields]

    def __init__(self, *args: Any, case_managers: Any, children: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["case_manager"]).queryset = case_managers
        if children is not None:
            cast(forms.ModelChoiceField, self.fields["as_child_of"]).queryset = children
        self.fields["admitted_on"].initial = timezone.localdate()

    @staticmethod
    def initial_for_child(child: Child) -> dict[str, Any]:
        """What the form starts with for a child registered as a case of their own."""
        return {
            "as_child_of": child.public_id,
            "first_name": child.first_name,
            "date_of_birth": child.date_of_birth,
            "sex": child.sex,
        }


# The risk filters of the caseload (and of the supervisors' overdue work): a high security
# risk, a re-trafficking risk raised (`cases.selectors.risk_raised`), or either.
RISK_FILTER_CHOICES = [
    ("", _("Any risk")),
    ("either", _("High security risk or re-trafficking risk")),
    ("high", _("High security risk")),
    ("retrafficking", _("Re-trafficking risk raised")),
]


class PlainSelect(forms.Select):
    """A select written out in Python: the same markup as Django's templates give, without
    a template render per option. The caseload draws six of them on every visit; through
    the templates they took longer than its 25 rows. The choices are read here directly,
    not through `get_context`, which builds a dictionary of attributes for every option."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        wanted = self.format_value(value)
        options = []
        chosen = False  # as Django's Select: only the first option of the value is selected
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                return super().render(name, value, attrs, renderer)  # option groups: Django's way
            option_value = "" if option_value is None else option_value
            selected = not chosen and str(option_value) in wanted
            chosen = chosen or selected
            options.append((option_value, " selected" if selected else "", label))
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            format_html_join("\n", '<option value="{}"{}>{}</option>', options),
        )


class PlainTextInput(forms.TextInput):
    """A text box written out in Python, for the same reason as `PlainSelect`."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], name, shown, flatatt(widget["attrs"])
        )


class _ChoicesInOneQuery(ModelChoiceIterator):
    """The choices read with one plain query. Django's own iterator streams them, which on
    PostgreSQL opens a server-side cursor (three round trips) for a dozen names."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class CaseManagerChoiceField(forms.ModelChoiceField):
    iterator = _ChoicesInOneQuery


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("Search"), max_length=100, widget=PlainTextInput)
    stage = forms.ChoiceField(
        choices=[("", _("Any stage")), *Stage.choices],
        required=False,
        label=_("Stage"),
        widget=PlainSelect,
    )
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *CaseStatus.choices],
        required=False,
        label=_("Status"),
        widget=PlainSelect,
    )
    case_manager = CaseManagerChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Any case manager"),
        label=_("Case manager"),
        widget=PlainSelect,
    )
    complex = forms.ChoiceField(
        choices=[("", _("Complex or not")), ("yes", _("Complex cases")), ("no", _("Not complex"))],
        required=False,
        label=_("Complex case"),
        widget=PlainSelect,
    )
    follow_up = forms.ChoiceField(
        choices=[("", _("Any follow-up")), ("overdue", _("Follow-up overdue"))],
        required=False,
        label=_("Follow-up"),
        widget=PlainSelect,
    )
    risk = forms.ChoiceField(
        choices=RISK_FILTER_CHOICES, required=False, label=_("Risk"), widget=PlainSelect
    )

    def __init__(self, *args: Any, case_managers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["case_manager"]).queryset = case_managers
        # Rendered by hand, not through crispy: the caseload is the most visited page.
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"
