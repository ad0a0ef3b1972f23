"""Forms validate the shape of input; the services validate the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation, User
from cases.selectors import case_managers_in
from core.forms import DateInput, EditForm
from directory.choices import REFERRAL_INFORMATION
from directory.models import Service

from .choices import TRANSITIONS, Barrier, OverrideKind, ReferralStatus
from .models import Referral, UnmetNeed

CHECKBOXES = forms.CheckboxSelectMultiple


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Service) -> str:
        return f"{obj.name} \u2014 {obj.provider} ({obj.area})"


class ReferralForm(EditForm, forms.ModelForm):
    information = forms.MultipleChoiceField(
        choices=[(c.value, c.label) for c in REFERRAL_INFORMATION],
        widget=CHECKBOXES,
        required=False,
        label=_("Case information to share with the provider"),
        help_text=_(
            "Only what the service needs. Nothing ticked: the person contacts the service "
            "themselves and no case information leaves the organisation."
        ),
    )

    class Meta:
        model = Referral
        fields = ["service", "domain", "urgency", "reason", "information"]
        labels = {"domain": _("Area of need")}
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"service": ServiceChoiceField}

    def __init__(self, *args: Any, fixed_service: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ServiceChoiceField, self.fields["service"]).queryset = Service.objects.filter(
            active=True, provider__active=True
        ).select_related("provider")
        if fixed_service:
            del self.fields["service"]


class SendForm(forms.Form):
    on = forms.DateField(widget=DateInput(), initial=timezone.localdate, label=_("Sent on"))


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("What happened"))
    on = forms.DateField(
        widget=DateInput(), initial=timezone.localdate, label=pgettext_lazy("date field", "On")
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Reason or outcome"),
        help_text=_(
            "Required for a decline or cancellation (the reason) and for completion (the outcome)."
        ),
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(referral.status, set()) - {ReferralStatus.SENT}
        cast(forms.ChoiceField, self.fields["to_status"]).choices = [
            (s.value, s.label) for s in ReferralStatus if s in allowed
        ]


class FollowThroughForm(EditForm, forms.ModelForm):
    barriers = forms.MultipleChoiceField(
        choices=Barrier.choices, widget=CHECKBOXES, required=False, label=_("Barriers met")
    )

    class Meta:
        model = Referral
        fields = ["outcome", "treatment", "feedback", "barriers"]
        widgets = {
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "feedback": forms.Textarea(attrs={"rows": 2}),
        }


class OverrideRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=OverrideKind.choices, label=_("Override"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Written reason"))


class OverrideDecisionForm(forms.Form):
    grant = forms.TypedChoiceField(
        choices=[("yes", _("Grant the override")), ("no", _("Refuse it"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label=_("Decision"),
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason for the decision")
    )


class UnmetNeedForm(forms.ModelForm):
    class Meta:
        model = UnmetNeed
        fields = ["domain", "barrier", "details", "recorded_on"]
        labels = {"domain": _("Area of need"), "barrier": _("Why no service could meet it")}
        widgets = {"details": forms.Textarea(attrs={"rows": 2}), "recorded_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = timezone.localdate


class ResolveNeedForm(forms.Form):
    resolved_on = forms.DateField(widget=DateInput(), initial=timezone.localdate, label=_("Met on"))
    resolution = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("How it was met")
    )


class TransferForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Receiving organisation")
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason"))

    def __init__(self, *args: Any, destinations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to_organisation = cast(forms.ModelChoiceField, self.fields["to_organisation"])
        to_organisation.queryset = Organisation.objects.filter(pk__in=[o.pk for o in destinations])


class TransferAcceptForm(forms.Form):
    case_manager = forms.ModelChoiceField(queryset=User.objects.none(), label=_("New case manager"))
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Note")
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case_manager = cast(forms.ModelChoiceField, self.fields["case_manager"])
        case_manager.queryset = case_managers_in(organisation_id)


class TransferDeclineForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"))
