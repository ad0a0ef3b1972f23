"""Form pieces every app shares: the date widget, service errors on a form, a period."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .languages import document_language, language_choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to its field where the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PeriodForm(forms.Form):
    start = forms.DateField(widget=DateInput(), label=pgettext_lazy("period", "From"))
    end = forms.DateField(widget=DateInput(), label=pgettext_lazy("period", "To"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", gettext("The end of the period cannot be before its start."))
        return data


def period_from(request: HttpRequest, days: int) -> tuple[date, date, PeriodForm]:
    """The period asked for in the address (start, end), else the last `days` days."""
    today = timezone.localdate()
    default = {"start": today - timedelta(days=days), "end": today}
    form = PeriodForm(request.GET if "start" in request.GET else None, initial=default)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["start"], form.cleaned_data["end"], form
    return default["start"], default["end"], form


class PrintForm(forms.Form):
    """The language a document is printed in (and, for a plan, whether in two languages)."""

    language = forms.ChoiceField(
        label=_("Print in"),
        choices=language_choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )
    bilingual = forms.BooleanField(
        label=_("Bilingual: with the working language beside it"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    @classmethod
    def for_person(cls, preferred: str | None) -> PrintForm:
        """The form beside a Print button: the person's language chosen to begin with."""
        return cls(initial={"language": document_language(None, preferred)})


def print_choice(request: HttpRequest, preferred: str | None) -> tuple[str, bool]:
    """The language asked for in the address (else the person's, else the working language)
    and whether bilingual; an address no form could make falls back to the defaults rather
    than failing."""
    form = PrintForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["language"], form.cleaned_data["bilingual"]
    return document_language(None, preferred), False
