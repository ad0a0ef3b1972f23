"""Forms validate the shape of input; the services validate the rules."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Discipline, User
from core.forms import DateInput, EditForm, add_service_errors
from directory.choices import InformationCategory
from directory.models import Provider

from . import services
from .choices import ComplexFactor, ExploitationForm, RiskIndicator, Stage
from .models import (
    AssistanceDecline,
    Beneficiary,
    BestInterestsDetermination,
    CaseReview,
    Child,
    Closure,
    Consent,
    Disclosure,
    Document,
    DocumentStep,
    FamilyMember,
    Guardian,
    Hearing,
    LegalProceeding,
    SafetyPlan,
    Setback,
    Threat,
)

MAX_ESTIMATED_AGE = 100


def _date_widgets(*names: str) -> dict[str, forms.Widget]:
    return {name: DateInput() for name in names}


class ProfileForm(EditForm, forms.ModelForm):
    """The beneficiary profile, used for intake and for later edits."""

    estimated_age = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_ESTIMATED_AGE,
        label=_("Estimated age (years)"),
        help_text=_("Only if the date of birth is not known."),
    )
    exploitation_forms = forms.MultipleChoiceField(
        choices=ExploitationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Forms of exploitation"),
    )
    complex_factors = forms.MultipleChoiceField(
        choices=ComplexFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Complex-case factors"),
        help_text=_(
            "Each of these tends to lengthen the stages and calls for supervisor attention."
        ),
    )

    class Meta:
        model = Beneficiary
        fields = [
            "first_name", "last_name", "alias", "date_of_birth", "estimated_age", "sex",
            "gender_identity", "nationality", "languages", "interpreter_needed", "document_language",
            "literacy",
            "education", "phone", "safe_to_call", "who_may_answer", "safe_times",
            "home_visits_allowed", "safe_contact_notes", "address", "accommodation",
            "identification_status", "referral_source", "referral_details", "exploitation_forms",
            "trafficking_scope", "exploitation_ended_on", "admitted_on", "complex_factors",
            "security_risk", "security_notes", "witness_status", "documents_notes",
            "registration_place",
        ]  # fmt: skip
        widgets = {
            **_date_widgets("date_of_birth", "exploitation_ended_on", "admitted_on"),
            "safe_contact_notes": forms.Textarea(attrs={"rows": 2}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "security_notes": forms.Textarea(attrs={"rows": 2}),
            "documents_notes": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "trafficking_scope": _("Where the exploitation took place"),
            "exploitation_ended_on": _("Exploitation ended on"),
            "admitted_on": _("Admitted on"),
            "security_risk": _("Security risk level"),
            "witness_status": _("Role in legal proceedings"),
            "safe_to_call": _("Safe to call?"),
            "home_visits_allowed": _("May staff visit at home?"),
        }

    field_order = Meta.fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.date_of_birth_estimated:
            self.initial["estimated_age"] = self.instance.age()
            self.initial["date_of_birth"] = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        born, estimated = data.get("date_of_birth"), data.get("estimated_age")
        if born and estimated is not None:
            self.add_error(
                "estimated_age",
                gettext("Give either the date of birth or an estimated age, not both."),
            )
        try:
            services.check_profile_dates(data)
        except ValidationError as error:
            add_service_errors(self, error)
        return data

    def profile(self) -> dict[str, Any]:
        """The cleaned fields as the services take them: an estimated age becomes a birth date."""
        data = {
            name: self.cleaned_data[name] for name in self.Meta.fields if name != "estimated_age"
        }
        estimated = self.cleaned_data.get("estimated_age")
        if estimated is not None:
            today = timezone.localdate()
            data["date_of_birth"] = date(today.year - estimated, 1, 1)
            data["date_of_birth_estimated"] = True
        elif "date_of_birth" in self.changed_data or not self.instance.pk:
            data["date_of_birth_estimated"] = False
        elif self.instance.date_of_birth_estimated and data["date_of_birth"] is None:
            # The form showed the estimate as an age; an empty date keeps the stored estimate.
            data.pop("date_of_birth")
        return data


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Staff member"))
    discipline = forms.ChoiceField(choices=Discipline.choices, label=_("Discipline"))
    started_on = forms.DateField(
        widget=DateInput(), initial=timezone.localdate, label=_("Started on")
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = candidates


class HandoverForm(forms.Form):
    case_manager = forms.ModelChoiceField(queryset=User.objects.none(), label=_("New case manager"))
    handover_on = forms.DateField(
        widget=DateInput(), initial=timezone.localdate, label=_("Handover date")
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Handover note")
    )

    def __init__(self, *args: Any, case_managers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["case_manager"]).queryset = case_managers


class EndMembershipForm(forms.Form):
    ended_on = forms.DateField(
        widget=DateInput(), initial=timezone.localdate, label=_("Left the team on")
    )
    reason = forms.CharField(max_length=300, label=_("Reason"))


class RiskRaiseForm(forms.Form):
    indicators = forms.MultipleChoiceField(
        choices=RiskIndicator.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("Signs of the risk"),
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("What was seen or heard"),
    )
    raised_on = forms.DateField(widget=DateInput(), initial=timezone.localdate, label=_("Date"))


class RiskClearForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("Why the risk has passed")
    )
    cleared_on = forms.DateField(
        widget=DateInput(), initial=timezone.localdate, label=_("Passed on")
    )


class AlarmAcknowledgeForm(forms.Form):
    action_taken = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("What was done"),
        help_text=_("Who was told, what was arranged, and how the person is now."),
    )


class FamilyMemberForm(EditForm, forms.ModelForm):
    class Meta:
        model = FamilyMember
        fields = [
            "name", "relationship", "lives_with_beneficiary", "attitude", "knows_what_happened",
            "risk", "risk_notes", "own_needs", "services",
        ]  # fmt: skip
        labels = {
            "lives_with_beneficiary": _("Lives with the beneficiary"),
            "knows_what_happened": _("Knows?"),
        }
        widgets = {
            f: forms.Textarea(attrs={"rows": 2}) for f in ("risk_notes", "own_needs", "services")
        }


class ChildForm(EditForm, forms.ModelForm):
    class Meta:
        model = Child
        fields = [
            "first_name", "date_of_birth", "sex", "situation", "lives_with_beneficiary",
            "current_carer", "needs", "services",
        ]  # fmt: skip
        labels = {"lives_with_beneficiary": _("Lives with the beneficiary")}
        widgets = {
            "date_of_birth": DateInput(),
            "needs": forms.Textarea(attrs={"rows": 2}),
            "services": forms.Textarea(attrs={"rows": 2}),
        }


class ConsentForm(forms.ModelForm):
    information = forms.MultipleChoiceField(
        choices=InformationCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Information that may be shared"),
        help_text=_("For a consent to share: only what is ticked can go to the organisation."),
    )

    def __init__(self, *args: Any, guardians: list[Guardian] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider = cast(forms.ModelChoiceField, self.fields["provider"])
        provider.queryset = Provider.objects.filter(active=True)
        self.fields["given_on"].initial = timezone.localdate
        if guardians:
            # Offered for a child: who holds authority today, to consent for them.
            self.fields["given_by_name"].help_text = gettext(
                "Holding authority today: %(guardians)s."
            ) % {"guardians": "; ".join(str(g) for g in guardians)}

    class Meta:
        model = Consent
        fields = [
            "scope",
            "provider",
            "shared_with",
            "information",
            "details",
            "given_by",
            "given_by_name",
            "child_view",
            "given_on",
            "method",
            "witness",
        ]
        labels = {
            "given_by_name": _("Name of parent or guardian"),
            "child_view": _("The child's own view"),
        }
        widgets = {"given_on": DateInput(), "child_view": forms.Textarea(attrs={"rows": 2})}


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        widget=DateInput(), initial=timezone.localdate, label=_("Withdrawn on")
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"))


class StageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(choices=Stage.choices, label=_("New stage"))
    changed_on = forms.DateField(
        widget=DateInput(), initial=timezone.localdate, label=_("Date of the change")
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason"))


class SetbackForm(forms.ModelForm):
    move_to_stage = forms.ChoiceField(
        choices=[("", _("Stage stays as it is")), *Stage.choices],
        required=False,
        label=_("Move the case to stage"),
        help_text=_("Only if the setback changes the stage the person is in."),
    )

    class Meta:
        model = Setback
        fields = ["category", "occurred_on", "severity", "description", "response"]
        labels = {"occurred_on": _("Date")}
        widgets = {
            "occurred_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 3}),
        }


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["closed_on", "reason", "mutually_agreed", "notes"]
        labels = {
            "closed_on": _("Closed on"),
            "mutually_agreed": _("Closure agreed with the person"),
        }
        widgets = {"closed_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}


class ReopenForm(forms.Form):
    reopened_on = forms.DateField(
        widget=DateInput(), initial=timezone.localdate, label=_("Reopened on")
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason"))


class DeclineForm(forms.ModelForm):
    class Meta:
        model = AssistanceDecline
        fields = [
            "declined_on",
            "scope",
            "services_declined",
            "reasons",
            "told_help_remains_available",
        ]
        labels = {
            "declined_on": _("Date"),
            "scope": pgettext_lazy("which assistance the person declined", "Declined"),
            "told_help_remains_available": _("The person was told that help stays available later"),
        }
        widgets = {"declined_on": DateInput(), "reasons": forms.Textarea(attrs={"rows": 3})}


class ThreatForm(EditForm, forms.ModelForm):
    """Adds a threat, or changes one: resolving it is choosing "Resolved" with the date."""

    class Meta:
        model = Threat
        fields = ["source", "kind", "level", "identified_on", "status", "resolved_on", "details"]
        labels = {"resolved_on": _("Resolved on (when resolved)")}
        widgets = {
            **_date_widgets("identified_on", "resolved_on"),
            "details": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["identified_on"].initial = timezone.localdate
            # A new threat is open: it is resolved later, by changing it.
            del self.fields["status"], self.fields["resolved_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors.keys() & {"identified_on", "status", "resolved_on"}:
            try:
                services.check_threat_dates(data)
            except ValidationError as error:
                add_service_errors(self, error)
        return data


class SafetyPlanForm(EditForm, forms.ModelForm):
    """The safety plan. Reviewing it: the date of the review and the next review date."""

    class Meta:
        model = SafetyPlan
        fields = [
            "safe_places", "safe_people", "emergency_contacts", "code_word", "what_to_do",
            "organisation_measures", "agreed_on", "reviewed_on", "review_on",
        ]  # fmt: skip
        widgets = {
            **_date_widgets("agreed_on", "reviewed_on", "review_on"),
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in (
                    "safe_places", "safe_people", "emergency_contacts", "what_to_do",
                    "organisation_measures",
                )
            },
        }  # fmt: skip
        help_texts = {
            "reviewed_on": _("When you went through the plan with the person again."),
            "review_on": _("When to go through it together next. The case manager is reminded."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["agreed_on"].initial = timezone.localdate
            # A new plan has not been reviewed yet.
            del self.fields["reviewed_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors.keys() & {"agreed_on", "reviewed_on", "review_on"}:
            try:
                services.check_safety_plan_dates(data)
            except ValidationError as error:
                add_service_errors(self, error)
        return data


class DisclosureForm(EditForm, forms.ModelForm):
    class Meta:
        model = Disclosure
        fields = ["who", "name_or_role", "knows", "wishes"]
        widgets = {"wishes": forms.Textarea(attrs={"rows": 2})}


class DocumentForm(EditForm, forms.ModelForm):
    """Adds a document, or changes one: a new status, who sees to it, its dates."""

    class Meta:
        model = Document
        fields = [
            "kind", "child", "status", "responsible", "applied_on", "issued_on", "expires_on",
            "notes",
        ]  # fmt: skip
        widgets = {
            **_date_widgets("applied_on", "issued_on", "expires_on"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, beneficiary: Beneficiary, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        children = beneficiary.children.all()
        if children:
            child = cast(forms.ModelChoiceField, self.fields["child"])
            child.queryset = children
            child.empty_label = gettext("The person's own document")
        else:
            del self.fields["child"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors.keys() & {"status", "applied_on", "issued_on", "expires_on"}:
            try:
                services.check_document_dates(data)
            except ValidationError as error:
                add_service_errors(self, error)
        return data


class DocumentStepForm(forms.ModelForm):
    class Meta:
        model = DocumentStep
        fields = ["taken_on", "step"]
        widgets = _date_widgets("taken_on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["taken_on"].initial = timezone.localdate


class GuardianForm(EditForm, forms.ModelForm):
    """Adds a guardian, or changes one: an authority that ends is given its last day."""

    class Meta:
        model = Guardian
        fields = [
            "kind", "name", "relationship", "contact", "appointed_by", "authority_from",
            "authority_until", "notes",
        ]  # fmt: skip
        widgets = {
            **_date_widgets("authority_from", "authority_until"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors.keys() & {"authority_from", "authority_until"}:
            try:
                services.check_guardian_dates(data)
            except ValidationError as error:
                add_service_errors(self, error)
        return data


class BestInterestsForm(EditForm, forms.ModelForm):
    """A best-interests determination; reviewing it moves its review date on."""

    class Meta:
        model = BestInterestsDetermination
        fields = ["decided_on", "question", "decision", "participants", "child_view", "review_on"]
        widgets = {
            **_date_widgets("decided_on", "review_on"),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in ("decision", "participants", "child_view")
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["decided_on"].initial = timezone.localdate

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors.keys() & {"decided_on", "review_on"}:
            try:
                services.check_best_interests_dates(data)
            except ValidationError as error:
                add_service_errors(self, error)
        return data


class ChildLinkForm(forms.Form):
    """The child's own case file, by its code; the service checks it may be linked."""

    case_code = forms.CharField(
        max_length=30, label=_("Case code of the child's file"), help_text=_("e.g. DE-2026-0042")
    )

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cases = cases  # the files the user may link to: those they see

    def clean_case_code(self) -> Beneficiary:
        code = self.cleaned_data["case_code"].strip().upper()
        case = self.cases.filter(case_code=code).first()
        if case is None:
            # Says nothing of whether a file the user cannot see has this code.
            raise ValidationError(gettext("No case you can see has this code."))
        return cast(Beneficiary, case)


class ProceedingForm(EditForm, forms.ModelForm):
    """Records legal proceedings, or changes them: a new stage, the outcome, compensation."""

    class Meta:
        model = LegalProceeding
        fields = [
            "kind", "authority", "reference", "role", "stage", "started_on", "lawyer",
            "protection_measures", "outcome", "outcome_on", "compensation_claimed",
            "compensation_received", "currency", "notes",
        ]  # fmt: skip
        widgets = {
            **_date_widgets("started_on", "outcome_on"),
            "protection_measures": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, beneficiary: Beneficiary, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.beneficiary = beneficiary

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        checked = {
            "started_on", "stage", "outcome", "outcome_on", "compensation_claimed",
            "compensation_received", "currency",
        }  # fmt: skip
        if not self.errors.keys() & checked:
            try:
                services.check_proceeding_fields(data, self.beneficiary)
            except ValidationError as error:
                add_service_errors(self, error)
        return data


class HearingForm(EditForm, forms.ModelForm):
    """Adds a hearing to proceedings, or changes one: another day, or what happened."""

    class Meta:
        model = Hearing
        fields = ["held_on", "starts_at", "place", "purpose", "person_attends", "result"]
        widgets = {
            **_date_widgets("held_on"),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "result": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, proceeding: LegalProceeding, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proceeding = proceeding

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors.keys() & {"held_on", "result"}:
            try:
                services.check_hearing_fields(data, self.proceeding)
            except ValidationError as error:
                add_service_errors(self, error)
        return data


class CaseReviewForm(EditForm, forms.ModelForm):
    """Records a multidisciplinary case review as held, or corrects a held one."""

    class Meta:
        model = CaseReview
        fields = ["held_on", "participants", "decisions", "next_review_on"]
        widgets = {
            **_date_widgets("held_on", "next_review_on"),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "next_review_on": _("Plans the next review: the team is reminded when it is due."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("held_on", "participants", "decisions"):
            self.fields[name].required = True
        if self.instance.held_on is None:
            self.initial["held_on"] = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            try:
                services.check_case_review(self.instance.beneficiary, data)
            except ValidationError as error:
                add_service_errors(self, error)
        return data


class CaseReviewPlanForm(forms.ModelForm):
    """Plans a case review without a new factor: only ever adds a pending review."""

    class Meta:
        model = CaseReview
        fields = ["due_on"]
        widgets = _date_widgets("due_on")
        labels = {"due_on": _("Hold the review by")}


class EmergencyAccessForm(forms.Form):
    case_code = forms.CharField(
        max_length=30, label=_("Case code"), help_text=_("e.g. DE-2026-0042")
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        label=_("What is the emergency?"),
        help_text=_("A supervisor reads this when reviewing the access. No names needed."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I need this file now, and its case manager and supervisors cannot be reached in time."
        )
    )
