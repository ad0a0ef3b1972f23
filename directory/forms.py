"""Forms of the service directory: finding services, the handout, keeping entries."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, EditForm
from core.languages import language_choices, language_name

from .choices import ServiceDomain
from .models import PRINTED_TEXTS, Provider, Service

CHECKBOXES = forms.CheckboxSelectMultiple


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("Search"), max_length=100)
    domain = forms.ChoiceField(
        choices=[("", _("Any area of need")), *ServiceDomain.choices],
        required=False,
        label=_("Need"),
    )
    region = forms.ChoiceField(required=False, label=_("Region"))
    municipality = forms.ChoiceField(required=False, label=_("Municipality"))
    trafficking_specific = forms.BooleanField(required=False, label=_("Specialised services only"))
    child_friendly = forms.BooleanField(required=False, label=_("Child-friendly"))
    disability_access = forms.BooleanField(required=False, label=_("Accessible with a disability"))
    accepts_men = forms.BooleanField(required=False, label=_("Men and boys accepted"))
    free = forms.BooleanField(required=False, label=_("Free"))

    def __init__(self, *args: Any, regions: list[str], municipalities: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            ("", _("Any region")),
            *((r, r) for r in regions),
        ]
        cast(forms.ChoiceField, self.fields["municipality"]).choices = [
            ("", _("Any municipality")),
            *((m, m) for m in municipalities),
        ]


class HandoutForm(forms.Form):
    domains = forms.MultipleChoiceField(
        choices=ServiceDomain.choices, widget=CHECKBOXES, label=_("Areas of need")
    )
    region = forms.ChoiceField(required=False, label=_("Region"))
    municipality = forms.ChoiceField(required=False, label=_("Municipality"))
    language = forms.ChoiceField(
        choices=language_choices,
        required=False,
        label=_("Print in"),
        help_text=_("The language the person reads."),
    )

    def __init__(self, *args: Any, regions: list[str], municipalities: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            ("", _("Any region")),
            *((r, r) for r in regions),
        ]
        cast(forms.ChoiceField, self.fields["municipality"]).choices = [
            ("", _("Any municipality")),
            *((m, m) for m in municipalities),
        ]
        self.fields["language"].initial = settings.LANGUAGE_CODE


def _other_languages() -> list[str]:
    """The languages a printed text can be written in besides the working language."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _in_language(field: forms.Field, language: str, initial: str) -> forms.CharField:
    label = gettext("%(label)s, in %(language)s") % {
        "label": field.label,
        "language": language_name(language),
    }
    return forms.CharField(
        label=label,
        required=False,
        max_length=getattr(field, "max_length", None),
        widget=forms.Textarea(attrs={"rows": 2})
        if isinstance(field.widget, forms.Textarea)
        else None,
        initial=initial,
        help_text=_("Leave empty to print the text above."),
    )


class ProviderForm(EditForm, forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https", label=_("Website"))

    class Meta:
        model = Provider
        fields = [
            "name",
            "printed_name",
            "kind",
            "address",
            "phone",
            "email",
            "website",
            "confidentiality_agreement_on",
            "agreement_reference",
            "system_organisation",
            "active",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "confidentiality_agreement_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = self.instance.printed_names
        for language in _other_languages():
            self.fields[f"printed_name_{language}"] = _in_language(
                self.fields["printed_name"], language, names.get(language, "")
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = {
            language: data.pop(f"printed_name_{language}", "").strip()
            for language in _other_languages()
        }
        data["printed_names"] = {language: name for language, name in names.items() if name}
        return data


class ServiceForm(EditForm, forms.ModelForm):
    domains = forms.MultipleChoiceField(
        choices=ServiceDomain.choices, widget=CHECKBOXES, label=_("Areas of need it meets")
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "domains",
            "trafficking_specific",
            "description",
            "eligibility",
            "how_to_access",
            "country",
            "region",
            "municipality",
            "address",
            "phone",
            "languages",
            "opening_hours",
            "cost",
            "cost_details",
            "disability_access",
            "child_friendly",
            "accepts_men",
            "active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "eligibility": forms.Textarea(attrs={"rows": 2}),
            "how_to_access": forms.Textarea(attrs={"rows": 2}),
            "address": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for language in _other_languages():
            texts = self.instance.printed_texts.get(language, {})
            for text in PRINTED_TEXTS:
                self.fields[f"{text}_{language}"] = _in_language(
                    self.fields[text], language, texts.get(text, "")
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        printed: dict[str, dict[str, str]] = {}
        for language in _other_languages():
            for text in PRINTED_TEXTS:
                if written := data.pop(f"{text}_{language}", "").strip():
                    printed.setdefault(language, {})[text] = written
        data["printed_texts"] = printed
        return data
