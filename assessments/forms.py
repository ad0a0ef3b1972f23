from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import EditForm
from core.records import VERSION_FIELD, version_of

from .choices import SCORE_CHOICES, OutcomeDomain
from .models import AssessmentSection, OutcomeScore


class StartReviewForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label=_("Why reassess now?"),
        help_text=_(
            "For example after a setback, at a change of stage, or before closing the case."
        ),
    )


class SectionForm(EditForm, forms.ModelForm):
    complete = forms.BooleanField(required=False, label=_("This section is complete"))

    class Meta:
        model = AssessmentSection
        fields = [
            "needs", "beneficiary_words", "priority", "strengths", "vulnerabilities_before",
            "vulnerabilities_because", "vulnerabilities_during", "recommended_services",
            "not_applicable", "not_applicable_reason",
        ]  # fmt: skip
        labels = {
            "needs": _("Needs and problems"),
            "beneficiary_words": _("In the person's own words"),
            "strengths": _("Strengths, resources and sources of support"),
            "vulnerabilities_before": _("Vulnerabilities before the exploitation"),
            "vulnerabilities_because": _("Vulnerabilities because of the exploitation"),
            "vulnerabilities_during": _("Vulnerabilities during reintegration"),
            "not_applicable": _("This area does not apply to the person"),
            "not_applicable_reason": _("Why it does not apply"),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "needs", "beneficiary_words", "strengths", "vulnerabilities_before",
                "vulnerabilities_because", "vulnerabilities_during", "recommended_services",
            )
        }  # fmt: skip

    def __init__(self, *args: Any, for_child: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["complete"].initial = self.instance.is_done
        if for_child:
            # The child's own view is asked for and kept in the child's words.
            self.fields["beneficiary_words"].label = _("In the child's own words")
            self.fields["beneficiary_words"].help_text = _(
                "What the child says about this area, even where the adults see it otherwise."
            )

    def answers(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ScoresForm(forms.Form):
    """A 1-5 score and a note for each of the ten outcome domains, and for each score already
    saved the version it was opened at (each domain's score is a row of its own)."""

    def __init__(self, *args: Any, existing: dict[str, OutcomeScore], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for domain in OutcomeDomain:
            row = existing.get(domain)
            self.fields[f"score_{domain}"] = forms.TypedChoiceField(
                choices=[("", "—"), *SCORE_CHOICES],
                coerce=int,
                label=domain.label,
                initial=row.score if row else None,
            )
            self.fields[f"note_{domain}"] = forms.CharField(
                max_length=300,
                required=False,
                label=gettext("Note on %(area)s") % {"area": domain.label.lower()},
                initial=row.note if row else "",
            )
            self.fields[f"{VERSION_FIELD}_{domain}"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=version_of(row)
            )

    def scores(self) -> dict[str, tuple[int, str]]:
        return {
            d: (self.cleaned_data[f"score_{d}"], self.cleaned_data[f"note_{d}"])
            for d in OutcomeDomain.values
        }

    def versions(self) -> dict[str, str]:
        return {d: self.cleaned_data[f"{VERSION_FIELD}_{d}"] for d in OutcomeDomain.values}

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"score_{d}"], self[f"note_{d}"]) for d in OutcomeDomain.values]


class CompleteForm(forms.Form):
    beneficiary_present = forms.TypedChoiceField(
        choices=[
            ("", "—"),
            ("yes", _("Yes, the person took part")),
            ("no", _("No, the person was not present")),
        ],
        coerce=lambda value: value == "yes",
        label=_("Did the person take part?"),
    )
    beneficiary_views = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("The person's own views")
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label=_("Summary of the assessment")
    )
