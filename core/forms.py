"""Form pieces every app shares: the date widget, service errors on a form, the version an
edit form was opened at, a period."""

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
from .records import VERSION_FIELD, Change, EditConflict, version_of


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to its field where the form has one."""
    if isinstance(error, EditConflict):
        show_conflict(form, error)
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class EditForm(forms.BaseForm):
    """A form that changes a saved row: it carries the version the row was opened at, so the
    service can refuse to save over a change made since (see `core.records`).

    After `is_valid()`, `opened_at` is that version, for the service. The same form adding
    a row (a model form without an instance) carries none.
    """

    opened_at = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        row = self.edited_row()
        if row is not None and row.pk is None:
            return
        # None: a row the form sets up if missing (a case's own setting): that it was
        # missing is the version.
        self.fields[VERSION_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=version_of(row)
        )

    def edited_row(self) -> Any:
        """The row this form changes: a model form's instance, else the form says."""
        return getattr(self, "instance")  # noqa: B009  # a model form's, not every form's

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.opened_at = data.pop(VERSION_FIELD, "")
        return data


def show_conflict(form: forms.BaseForm, refused: EditConflict) -> None:
    """Keep what was typed; say who changed the row and when; put what they saved under each
    field they changed; and carry the row's version now, so saving again is a decision."""
    form.add_error(None, refused.message)
    elsewhere = []
    data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict, or a dict in tests
    for conflict in refused.conflicts:
        for change in conflict.changes:
            if change.name in form.fields:
                shown = _shown_in(form.fields[change.name], change)
                form.add_error(
                    change.name,
                    gettext("Saved since you opened this form: %(value)s") % {"value": shown},
                )
            else:
                elsewhere.append(f"{change.label}: {change.shown}")
        for name, version in conflict.versions.items():
            data[form.add_prefix(name)] = version
    if elsewhere:
        form.add_error(
            None, gettext("Also changed: %(changes)s") % {"changes": "; ".join(elsewhere)}
        )
    form.data = data


def _shown_in(field: forms.Field, change: Change) -> str:
    """A value as the form's own choices name it (codes stored in a list, say)."""
    if isinstance(field, forms.ModelChoiceField) or not hasattr(field, "choices"):
        return change.shown
    labels = {str(code): str(label) for code, label in _flat(field.choices)}
    if isinstance(change.value, list):
        return ", ".join(labels.get(str(code), str(code)) for code in change.value) or change.shown
    return labels.get(str(change.value), change.shown)


def _flat(choices: Any) -> list[tuple[Any, Any]]:
    flat: list[tuple[Any, Any]] = []
    for code, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(label)
        else:
            flat.append((code, label))
    return flat


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
