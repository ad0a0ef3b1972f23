"""Forms of the service directory: finding services, the handout, keeping entries."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from core.forms import DateInput

from .choices import ServiceDomain
from .models import Provider, Service

CHECKBOXES = forms.CheckboxSelectMultiple


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=100)
    domain = forms.ChoiceField(
        choices=[("", "Any area of need"), *ServiceDomain.choices], required=False, label="Need"
    )
    region = forms.ChoiceField(required=False)
    municipality = forms.ChoiceField(required=False)
    trafficking_specific = forms.BooleanField(required=False, label="Specialised services only")
    child_friendly = forms.BooleanField(required=False, label="Child-friendly")
    disability_access = forms.BooleanField(required=False, label="Accessible with a disability")
    accepts_men = forms.BooleanField(required=False, label="Men and boys accepted")
    free = forms.BooleanField(required=False, label="Free")

    def __init__(self, *args: Any, regions: list[str], municipalities: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            ("", "Any region"),
            *((r, r) for r in regions),
        ]
        cast(forms.ChoiceField, self.fields["municipality"]).choices = [
            ("", "Any municipality"),
            *((m, m) for m in municipalities),
        ]


class HandoutForm(forms.Form):
    domains = forms.MultipleChoiceField(
        choices=ServiceDomain.choices, widget=CHECKBOXES, label="Areas of need"
    )
    region = forms.ChoiceField(required=False)
    municipality = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, regions: list[str], municipalities: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            ("", "Any region"),
            *((r, r) for r in regions),
        ]
        cast(forms.ChoiceField, self.fields["municipality"]).choices = [
            ("", "Any municipality"),
            *((m, m) for m in municipalities),
        ]


class ProviderForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

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


class ServiceForm(forms.ModelForm):
    domains = forms.MultipleChoiceField(
        choices=ServiceDomain.choices, widget=CHECKBOXES, label="Areas of need it meets"
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
