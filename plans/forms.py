from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.choices import OutcomeDomain
from cases.models import Beneficiary
from core.forms import DateInput, EditForm

from .models import Goal, GoalStatus, Indicator, PlanVersion, Signature, Task, TaskStatus


class PlanForm(EditForm, forms.ModelForm):
    class Meta:
        model = PlanVersion
        fields = ["own_goals", "participants"]
        labels = {
            "own_goals": _("The person's own goals, in their words"),
            "participants": _("Who took part in the planning"),
        }
        widgets = {
            "own_goals": forms.Textarea(attrs={"rows": 3}),
            "participants": forms.Textarea(attrs={"rows": 2}),
        }


class IndicatorChoiceField(forms.ModelChoiceField):
    """The organisation's indicators, grouped under their outcome domain."""

    def grouped_choices(self) -> list[tuple[Any, Any]]:
        by_domain: dict[str, list[tuple[int, str]]] = {}
        for indicator in self.queryset:  # type: ignore[union-attr]  # always set by the form
            by_domain.setdefault(indicator.domain, []).append(
                (indicator.pk, indicator.localised_name)
            )
        groups = [
            (label, sorted(by_domain[value], key=lambda choice: choice[1].casefold()))
            for value, label in OutcomeDomain.choices
            if value in by_domain
        ]
        return [("", self.empty_label or ""), *groups]


class GoalForm(EditForm, forms.ModelForm):
    class Meta:
        model = Goal
        fields = [
            "domain",
            "description",
            "target_date",
            "matrix_indicator",
            "indicator",
            "document",
            "own_view",
        ]
        field_classes = {"matrix_indicator": IndicatorChoiceField}
        labels = {
            "document": _("Document this goal is about"),
            "domain": _("Area"),
            "matrix_indicator": _("Indicator from your organisation's list"),
            "indicator": _("Indicator of success"),
            "own_view": _("The person's own view of this goal"),
        }
        help_texts = {
            "matrix_indicator": _(
                "Optional. The reports count goals by these indicators and their outcome domain."
            ),
            "indicator": _(
                "How everyone will know the goal is reached, as the plan prints it. Left "
                "empty, the chosen indicator's name is used."
            ),
        }
        error_messages = {
            "matrix_indicator": {
                "invalid_choice": _("Choose one of your organisation's indicators in use."),
            },
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "target_date": DateInput(),
            "own_view": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self, *args: Any, beneficiary: Beneficiary, for_child: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        document = cast(forms.ModelChoiceField, self.fields["document"])
        document.queryset = beneficiary.documents.select_related("child")
        document.label_from_instance = lambda d: d.label()  # type: ignore[method-assign,assignment]
        document.help_text = _("For an administrative goal: the document on the case file.")
        indicator = cast(IndicatorChoiceField, self.fields["matrix_indicator"])
        # In use, of the case's organisation; a goal keeps one no longer in use that it has.
        indicator.queryset = Indicator.objects.filter(
            Q(active=True) | Q(pk=self.instance.matrix_indicator_id or None),
            organisation_id=beneficiary.organisation_id,
        )
        indicator.empty_label = _("None: only the goal's own indicator below")
        indicator.widget.choices = indicator.grouped_choices()
        # The service fills an empty indicator of success from the chosen indicator.
        self.fields["indicator"].required = False
        if for_child:
            # A child's view is asked and written down on its own, beside the adults' plan.
            self.fields["own_view"].label = _("The child's own view of this goal")
            self.fields["own_view"].help_text = _(
                "In the child's words, as the child said it, even where the adults decided "
                "otherwise."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("matrix_indicator") and not (data.get("indicator") or "").strip():
            self.add_error(
                "indicator",
                _("Say how everyone will know the goal is reached, or choose an indicator."),
            )
        return data


class GoalProgressForm(EditForm, forms.Form):
    status = forms.ChoiceField(choices=GoalStatus.choices, label=_("Status"))
    note = forms.CharField(
        max_length=300,
        required=False,
        label=_("Note"),
        help_text=_("Required when a goal is dropped or revised."),
    )

    def __init__(self, *args: Any, goal: Goal, **kwargs: Any) -> None:
        self.goal = goal
        initial = {"status": goal.status, "note": goal.status_note}
        super().__init__(*args, initial=initial, **kwargs)

    def edited_row(self) -> Goal:
        return self.goal


class TaskForm(EditForm, forms.ModelForm):
    class Meta:
        model = Task
        fields = ["description", "assigned_to", "external_organisation", "due_on"]
        labels = {
            "assigned_to": _("Team member"),
            "external_organisation": _("Or an organisation"),
            "due_on": _("Due"),
        }
        widgets = {"due_on": DateInput()}

    def __init__(self, *args: Any, team: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assigned_to"]).queryset = team
        self.fields["assigned_to"].required = False


class TaskProgressForm(EditForm, forms.Form):
    status = forms.ChoiceField(choices=TaskStatus.choices, label=_("Status"))

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        self.task = task
        super().__init__(*args, initial={"status": task.status}, **kwargs)

    def edited_row(self) -> Task:
        return self.task


class SignatureForm(forms.ModelForm):
    class Meta:
        model = Signature
        fields = [
            "role",
            "signer_name",
            "relationship",
            "signed_on",
            "method",
            "witness",
            "attested",
            "read_in",
            "interpreter",
        ]
        labels = {
            "role": _("Signing as"),
            "signer_name": _("Name of the person signing"),
            "attested": _("The signer typed their own name and confirms they agree to this plan"),
        }
        widgets = {"signed_on": DateInput()}

    def __init__(self, *args: Any, read_in: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = timezone.localdate
        self.fields["read_in"].initial = read_in
        self.fields["read_in"].required = True


class NewVersionForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label=_("Why the plan changes"),
        help_text=_("For example a review after a setback."),
    )
