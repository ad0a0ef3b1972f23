"""Case file pages. Every view reached by a case URL is wrapped in `case_view`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import role_required
from accounts.http import AuthenticatedHttpRequest
from core.pages import plain_form_page

from . import emergency, forms, selectors, services, signals
from .access import Access, case_view
from .choices import AccessAction
from .models import (
    Beneficiary,
    BestInterestsDetermination,
    CaseReview,
    Child,
    Consent,
    CrisisAlarm,
    Disclosure,
    Document,
    FamilyMember,
    Guardian,
    Hearing,
    LegalProceeding,
    RiskFlag,
    SafetyPlan,
    TeamMembership,
    Threat,
)
from .pages import form_page


def _case_url(beneficiary: Beneficiary, section: str = "") -> str:
    url = reverse("casework:detail", args=[beneficiary.public_id])
    return f"{url}#{section}" if section else url


def _record_in(beneficiary: Beneficiary, model: type[Model], record_id: Any) -> Any:
    """A row of this case's file by its public id; rows of other cases are 404."""
    return get_object_or_404(model, beneficiary=beneficiary, public_id=record_id)


def _form_page(
    request: AuthenticatedHttpRequest,
    beneficiary: Beneficiary,
    form: Any,
    title: str,
    save: Callable[[], Any],
    *,
    section: str,
    **options: Any,
) -> HttpResponse:
    """A case form that returns to its section of the case file."""
    next_url = _case_url(beneficiary, section)
    return form_page(request, beneficiary, form, title, save, next_url=next_url, **options)


# --- The case file -------------------------------------------------------------------


@case_view(Access.MANAGE)
def profile_edit(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.ProfileForm(request.POST or None, instance=beneficiary)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Edit profile"),
        lambda: services.beneficiary_update(
            beneficiary=beneficiary,
            actor=request.user,
            profile=form.profile(),
            opened_at=form.opened_at,
        ),
        section="profile",
        done=gettext("Profile saved."),
        template="cases/profile_form.html",
    )


# --- Team ----------------------------------------------------------------------------


@require_safe
@case_view(Access.VIEW)
def team(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    organisation_id = beneficiary.organisation_id
    context = {
        "beneficiary": beneficiary,
        "file": selectors.case_file_for(beneficiary),
        "add_form": forms.TeamMemberForm(candidates=selectors.team_candidates_in(organisation_id)),
        "handover_form": forms.HandoverForm(
            case_managers=selectors.case_managers_in(organisation_id)
        ),
    }
    return render(request, "cases/team.html", context)


@require_POST
@case_view(Access.MANAGE)
def team_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.TeamMemberForm(
        request.POST, candidates=selectors.team_candidates_in(beneficiary.organisation_id)
    )
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Add to the case team"),
        lambda: services.team_member_add(
            beneficiary=beneficiary,
            actor=request.user,
            user=form.cleaned_data["user"],
            discipline=form.cleaned_data["discipline"],
            started_on=form.cleaned_data["started_on"],
        ),
        section="team",
        done=gettext("Added to the case team."),
    )


@require_POST
@case_view(Access.MANAGE)
def team_end(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, membership_id: Any
) -> HttpResponse:
    membership = _record_in(beneficiary, TeamMembership, membership_id)
    form = forms.EndMembershipForm(request.POST)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Take %(name)s off the case team") % {"name": membership.user},
        lambda: services.team_member_end(
            membership=membership, actor=request.user, **form.cleaned_data
        ),
        section="team",
        done=gettext("Taken off the case team."),
    )


@require_POST
@case_view(Access.MANAGE)
def team_handover(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.HandoverForm(
        request.POST, case_managers=selectors.case_managers_in(beneficiary.organisation_id)
    )
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Hand the case over"),
        lambda: services.case_manager_handover(
            beneficiary=beneficiary,
            actor=request.user,
            new_manager=form.cleaned_data["case_manager"],
            handover_on=form.cleaned_data["handover_on"],
            note=form.cleaned_data["note"],
        ),
        section="team",
        done=gettext("Case handed over."),
    )


# --- Family and children -------------------------------------------------------------


@case_view(Access.EDIT)
def family_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.FamilyMemberForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Add a family member"),
        lambda: services.family_member_save(
            beneficiary=beneficiary, actor=request.user, data=form.cleaned_data
        ),
        section="family",
        done=gettext("Family member added."),
    )


@case_view(Access.EDIT)
def family_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, member_id: Any
) -> HttpResponse:
    member = _record_in(beneficiary, FamilyMember, member_id)
    form = forms.FamilyMemberForm(request.POST or None, instance=member)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Edit family member: %(name)s") % {"name": member.name},
        lambda: services.family_member_save(
            beneficiary=beneficiary,
            actor=request.user,
            data=form.cleaned_data,
            member=member,
            opened_at=form.opened_at,
        ),
        section="family",
        done=gettext("Family member saved."),
    )


@case_view(Access.EDIT)
def child_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.ChildForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Add a child of the beneficiary"),
        lambda: services.child_save(
            beneficiary=beneficiary, actor=request.user, data=form.cleaned_data
        ),
        section="children",
        done=gettext("Child added."),
    )


@case_view(Access.EDIT)
def child_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, child_id: Any
) -> HttpResponse:
    child = _record_in(beneficiary, Child, child_id)
    form = forms.ChildForm(request.POST or None, instance=child)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Edit child: %(name)s") % {"name": child.first_name},
        lambda: services.child_save(
            beneficiary=beneficiary,
            actor=request.user,
            data=form.cleaned_data,
            child=child,
            opened_at=form.opened_at,
        ),
        section="children",
        done=gettext("Child saved."),
    )


# --- Child safeguards: guardians, best interests, a child's own case -----------------


@case_view(Access.MANAGE)
def guardian_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.GuardianForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Add a guardian"),
        lambda: services.guardian_add(
            beneficiary=beneficiary, actor=request.user, data=form.cleaned_data
        ),
        section="guardian",
        done=gettext("Guardian added."),
        intro=gettext(
            "Who holds parental authority for the child: a parent, or a guardian appointed by "
            "a court or authority. Consents and plan signatures for the child come from a "
            "guardian whose authority holds on that day."
        ),
    )


@case_view(Access.MANAGE)
def guardian_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, guardian_id: Any
) -> HttpResponse:
    guardian = _record_in(beneficiary, Guardian, guardian_id)
    form = forms.GuardianForm(request.POST or None, instance=guardian)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Change a guardian: %(name)s") % {"name": guardian.name},
        lambda: services.guardian_update(
            guardian=guardian, actor=request.user, data=form.cleaned_data, opened_at=form.opened_at
        ),
        section="guardian",
        done=gettext("Guardian saved."),
    )


@case_view(Access.MANAGE)
def best_interests_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.BestInterestsForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Record a best-interests decision"),
        lambda: services.best_interests_record(
            beneficiary=beneficiary, actor=request.user, data=form.cleaned_data
        ),
        section="guardian",
        done=gettext("Decision recorded."),
        intro=gettext(
            "A decision taken for the child's best interests, such as a return to the family "
            "or a placement: who took part, and what the child said in their own words."
        ),
    )


@case_view(Access.MANAGE)
def best_interests_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, determination_id: Any
) -> HttpResponse:
    determination = _record_in(beneficiary, BestInterestsDetermination, determination_id)
    form = forms.BestInterestsForm(request.POST or None, instance=determination)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Change a best-interests decision: %(question)s")
        % {"question": determination.question},
        lambda: services.best_interests_update(
            determination=determination,
            actor=request.user,
            data=form.cleaned_data,
            opened_at=form.opened_at,
        ),
        section="guardian",
        done=gettext("Decision saved."),
    )


@case_view(Access.MANAGE)
def child_link(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, child_id: Any
) -> HttpResponse:
    child = _record_in(beneficiary, Child, child_id)
    form = forms.ChildLinkForm(
        request.POST or None, cases=selectors.beneficiaries_visible_to(request.user)
    )
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Link %(name)s to their own case file") % {"name": child.first_name},
        lambda: services.child_link_case(
            child=child, case=form.cleaned_data["case_code"], actor=request.user
        ),
        section="children",
        done=gettext("Linked to the child's own case file."),
        intro=gettext(
            "For a child who already has a case file of their own in your organisation. Give "
            "its case code: the two files then point to each other."
        ),
    )


# --- Consent -------------------------------------------------------------------------


def _consent_prefill(beneficiary: Beneficiary, referral_id: str) -> signals.ConsentPrefill | None:
    if not referral_id:
        return None
    answers = signals.consent_form_opened.send(
        sender=Consent, beneficiary=beneficiary, referral_id=referral_id
    )
    # The receivers answer a ConsentPrefill or None (see the signal); django-stubs types every
    # signal's answers as str | None (typeddjango/django-stubs#841).
    prefill = next((prefill for _receiver, prefill in answers if prefill is not None), None)
    return cast(signals.ConsentPrefill | None, prefill)


@case_view(Access.EDIT)
def consent_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    # Reached from a referral that cannot be sent yet: prefilled for it, and back to it after.
    prefill = _consent_prefill(beneficiary, request.GET.get("referral", ""))
    guardians = selectors.guardians_for_consent(beneficiary)
    initial = {**selectors.consent_giver_initial(guardians), **(prefill.initial if prefill else {})}
    form = forms.ConsentForm(request.POST or None, initial=initial, guardians=guardians)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Record a consent"),
        lambda: services.consent_record(
            beneficiary=beneficiary, actor=request.user, data=form.cleaned_data
        ),
        next_url=prefill.back_url if prefill else _case_url(beneficiary, "consent"),
        done=gettext("Consent recorded."),
        intro=gettext(
            "One consent per scope. For a child, consent comes from a parent or legal guardian, "
            "and the child's own view is recorded too."
        ),
    )


@case_view(Access.EDIT)
def consent_withdraw(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, consent_id: Any
) -> HttpResponse:
    consent = _record_in(beneficiary, Consent, consent_id)
    form = forms.ConsentWithdrawForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Withdraw consent: %(scope)s") % {"scope": consent.get_scope_display()},
        lambda: services.consent_withdraw(consent=consent, actor=request.user, **form.cleaned_data),
        section="consent",
        done=gettext("Consent withdrawn. The record stays in the consent history."),
    )


# --- Stage, setbacks, closure --------------------------------------------------------


@case_view(Access.MANAGE)
def stage_change(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.StageChangeForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Change the stage"),
        lambda: services.stage_change(
            beneficiary=beneficiary, actor=request.user, **form.cleaned_data
        ),
        section="stage",
        done=gettext("Stage changed."),
        intro=gettext("Now: %(stage)s since %(date)s. A case can move forward or back.")
        % {
            "stage": beneficiary.get_stage_display(),
            "date": format_date(beneficiary.stage_since, "d M Y"),
        },
    )


@case_view(Access.EDIT)
def setback_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.SetbackForm(request.POST or None)

    def save() -> Any:
        data = {k: v for k, v in form.cleaned_data.items() if k != "move_to_stage"}
        move_to = form.cleaned_data["move_to_stage"]
        if move_to and Access.MANAGE not in beneficiary.access:
            raise ValidationError(
                {
                    "move_to_stage": gettext(
                        "Only the case manager or a supervisor changes the stage."
                    )
                }
            )
        return services.setback_record(
            beneficiary=beneficiary, actor=request.user, data=data, move_to_stage=move_to
        )

    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Record a setback or crisis"),
        save,
        section="setbacks",
        done=_setback_recorded,
    )


def _setback_recorded(setback: Any) -> str:
    if services.signals_danger(setback):
        return gettext(
            "Setback recorded. A crisis alarm went to the case manager and the supervisors."
        )
    return gettext("Setback recorded.")


@case_view(Access.EDIT)
def risk_raise(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.RiskRaiseForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Raise a re-trafficking risk"),
        lambda: services.risk_flag_raise(
            beneficiary=beneficiary, actor=request.user, **form.cleaned_data
        ),
        section="risk",
        done=gettext("Risk raised. The supervisors were told; each contact now reviews it."),
        intro=gettext(
            "Anyone on the team who sees a sign raises it. While it is raised, the case shows "
            "it everywhere and every contact made says how the risk looks."
        ),
    )


@case_view(Access.MANAGE)
def risk_clear(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, flag_id: Any
) -> HttpResponse:
    flag = _record_in(beneficiary, RiskFlag, flag_id)
    form = forms.RiskClearForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Clear the re-trafficking risk"),
        lambda: services.risk_flag_clear(flag=flag, actor=request.user, **form.cleaned_data),
        section="risk",
        done=gettext("Risk flag cleared."),
        intro=gettext("Raised %(date)s: %(signs)s.")
        % {
            "date": format_date(flag.raised_on, "d M Y"),
            "signs": "; ".join(flag.indicator_labels()),
        },
    )


@case_view(Access.MANAGE)
def crisis_acknowledge(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, alarm_id: Any
) -> HttpResponse:
    alarm = _record_in(beneficiary, CrisisAlarm, alarm_id)
    setback = alarm.setback
    form = forms.AlarmAcknowledgeForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Acknowledge the crisis alarm"),
        lambda: services.crisis_alarm_acknowledge(
            alarm=alarm, actor=request.user, **form.cleaned_data
        ),
        section="setbacks",
        done=gettext("Alarm acknowledged."),
        intro=gettext("%(date)s: %(category)s · %(severity)s. %(description)s")
        % {
            "date": format_date(setback.occurred_on, "d M Y"),
            "category": setback.get_category_display(),
            "severity": setback.get_severity_display(),
            "description": setback.description,
        },
    )


@case_view(Access.MANAGE)
def close(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.ClosureForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Close the case"),
        lambda: services.case_close(
            beneficiary=beneficiary, actor=request.user, **form.cleaned_data
        ),
        section="status",
        done=gettext("Case closed. It can be reopened at any time."),
        intro=gettext(
            "Closing keeps the whole file. A closed case can be reopened later with its history."
        ),
    )


@case_view(Access.MANAGE)
def reopen(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.ReopenForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Reopen the case"),
        lambda: services.case_reopen(
            beneficiary=beneficiary, actor=request.user, **form.cleaned_data
        ),
        section="status",
        done=gettext("Case reopened."),
    )


@case_view(Access.MANAGE)
def decline(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.DeclineForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Record declined assistance"),
        lambda: services.assistance_decline_record(
            beneficiary=beneficiary, actor=request.user, data=form.cleaned_data
        ),
        section="status",
        done=gettext("Recorded."),
        intro=gettext(
            "Declining help is the person's right. Declining all assistance also closes the "
            "case; it can be reopened whenever the person comes back."
        ),
    )


# --- Safety: threats and the safety plan (case manager and supervisors), who knows -----


@case_view(Access.MANAGE)
def threat_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.ThreatForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Record a threat"),
        lambda: services.threat_record(
            beneficiary=beneficiary, actor=request.user, data=form.cleaned_data
        ),
        section="safety",
        done=gettext("Threat recorded."),
        intro=gettext("Read only by the case manager and the supervisors."),
    )


@case_view(Access.MANAGE)
def threat_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, threat_id: Any
) -> HttpResponse:
    threat = _record_in(beneficiary, Threat, threat_id)
    form = forms.ThreatForm(request.POST or None, instance=threat)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Update or resolve a threat"),
        lambda: services.threat_update(
            threat=threat, actor=request.user, data=form.cleaned_data, opened_at=form.opened_at
        ),
        section="safety",
        done=gettext("Threat saved."),
    )


@case_view(Access.MANAGE)
def safety_plan_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    existing = selectors.safety_plan_of(beneficiary)
    if existing is not None:  # one plan per case: it is reviewed and updated, not replaced
        return redirect("cases:safety_plan_edit", beneficiary.public_id, existing.public_id)
    form = forms.SafetyPlanForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Record the safety plan"),
        lambda: services.safety_plan_record(
            beneficiary=beneficiary, actor=request.user, data=form.cleaned_data
        ),
        section="safety",
        done=gettext("Safety plan saved."),
        intro=gettext(
            "Agreed with the person, in their words where possible. Read only by the case "
            "manager and the supervisors."
        ),
    )


@case_view(Access.MANAGE)
def safety_plan_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, safety_plan_id: Any
) -> HttpResponse:
    plan = _record_in(beneficiary, SafetyPlan, safety_plan_id)
    form = forms.SafetyPlanForm(request.POST or None, instance=plan)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Review or update the safety plan"),
        lambda: services.safety_plan_update(
            plan=plan, actor=request.user, data=form.cleaned_data, opened_at=form.opened_at
        ),
        section="safety",
        done=gettext("Safety plan saved."),
        intro=gettext(
            "After going through the plan with the person, give the date of that review and "
            "the next review date."
        ),
    )


@case_view(Access.EDIT)
def disclosure_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.DisclosureForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Add to who knows"),
        lambda: services.disclosure_add(
            beneficiary=beneficiary, actor=request.user, data=form.cleaned_data
        ),
        section="safety",
        done=gettext("Added to who knows."),
        intro=gettext(
            "Beyond the family (see Family): who knows about the person's past, and what "
            "the person wants them to know. Shown to the team when they log a visit or call."
        ),
    )


@case_view(Access.EDIT)
def disclosure_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, disclosure_id: Any
) -> HttpResponse:
    disclosure = _record_in(beneficiary, Disclosure, disclosure_id)
    form = forms.DisclosureForm(request.POST or None, instance=disclosure)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Change who knows: %(who)s") % {"who": disclosure.get_who_display()},
        lambda: services.disclosure_update(
            disclosure=disclosure,
            actor=request.user,
            data=form.cleaned_data,
            opened_at=form.opened_at,
        ),
        section="safety",
        done=gettext("Who knows: changes saved."),
    )


# --- Documents and legal status ------------------------------------------------------


@case_view(Access.EDIT)
def document_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.DocumentForm(request.POST or None, beneficiary=beneficiary)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Add a document"),
        lambda: services.document_record(
            beneficiary=beneficiary, actor=request.user, data=form.cleaned_data
        ),
        section="documents",
        done=gettext("Document added."),
        intro=gettext(
            "A document the person or one of their children has, lacks or is applying for. "
            "Record the steps taken towards it from the case file."
        ),
    )


@case_view(Access.EDIT)
def document_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, document_id: Any
) -> HttpResponse:
    document = _record_in(beneficiary, Document, document_id)
    form = forms.DocumentForm(request.POST or None, instance=document, beneficiary=beneficiary)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Change a document: %(document)s") % {"document": document.label()},
        lambda: services.document_update(
            document=document, actor=request.user, data=form.cleaned_data, opened_at=form.opened_at
        ),
        section="documents",
        done=gettext("Document saved."),
    )


@case_view(Access.EDIT)
def document_step_add(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, document_id: Any
) -> HttpResponse:
    document = _record_in(beneficiary, Document, document_id)
    form = forms.DocumentStepForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Record a step: %(document)s") % {"document": document.label()},
        lambda: services.document_step_add(
            document=document, actor=request.user, data=form.cleaned_data
        ),
        section="documents",
        done=gettext("Step recorded."),
    )


# --- Legal proceedings and hearings (case manager, a lawyer on the team, supervisors) -


def _legal_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Inside `case_view`: refuse (403) a writer on the case who does not read its legal
    proceedings (`selectors.reads_legal`), as the safety pages refuse the rest of the team."""

    @wraps(view)
    def wrapped(
        request: AuthenticatedHttpRequest, beneficiary: Beneficiary, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        if not selectors.reads_legal(beneficiary):
            raise PermissionDenied(
                gettext(
                    "Legal proceedings are for the case manager, the lawyer on the team and "
                    "supervisors."
                )
            )
        return view(request, beneficiary, *args, **kwargs)

    # Read by the access-matrix test: the team's other members are refused.
    wrapped.legal_only = True  # type: ignore[attr-defined]  # mypy: no attributes on functions
    return wrapped


def _hearing_in(beneficiary: Beneficiary, hearing_id: Any) -> Hearing:
    """A hearing of this case's proceedings by its public id; others are 404."""
    return get_object_or_404(
        Hearing.objects.select_related("proceeding"),
        proceeding__beneficiary=beneficiary,
        public_id=hearing_id,
    )


@case_view(Access.EDIT)
@_legal_only
def proceeding_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.ProceedingForm(request.POST or None, beneficiary=beneficiary)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Record legal proceedings"),
        lambda: services.proceeding_record(
            beneficiary=beneficiary, actor=request.user, **form.cleaned_data
        ),
        section="legal",
        done=gettext("Legal proceedings recorded."),
        intro=gettext(
            "Proceedings the person takes part in, whatever their role. Read only by the case "
            "manager, the lawyer on the team and the supervisors. Add the hearings from the "
            "case file."
        ),
    )


@case_view(Access.EDIT)
@_legal_only
def proceeding_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, proceeding_id: Any
) -> HttpResponse:
    proceeding = _record_in(beneficiary, LegalProceeding, proceeding_id)
    form = forms.ProceedingForm(request.POST or None, instance=proceeding, beneficiary=beneficiary)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Change legal proceedings: %(kind)s") % {"kind": proceeding.get_kind_display()},
        lambda: services.proceeding_update(
            proceeding=proceeding,
            actor=request.user,
            opened_at=form.opened_at,
            **form.cleaned_data,
        ),
        section="legal",
        done=gettext("Legal proceedings saved."),
    )


@case_view(Access.EDIT)
@_legal_only
def hearing_add(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, proceeding_id: Any
) -> HttpResponse:
    proceeding = _record_in(beneficiary, LegalProceeding, proceeding_id)
    form = forms.HearingForm(request.POST or None, proceeding=proceeding)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Add a hearing: %(kind)s") % {"kind": proceeding.get_kind_display()},
        lambda: services.hearing_add(
            proceeding=proceeding, actor=request.user, **form.cleaned_data
        ),
        section="legal",
        done=gettext("Hearing added."),
        intro=gettext(
            "A hearing, interview or court appearance, ahead or past. One in the next "
            "%(days)d days shows in My follow-ups and reminds the case manager and the "
            "lawyer on the team."
        )
        % {"days": settings.HEARING_NOTICE_DAYS},
    )


@case_view(Access.EDIT)
@_legal_only
def hearing_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, hearing_id: Any
) -> HttpResponse:
    hearing = _hearing_in(beneficiary, hearing_id)
    form = forms.HearingForm(request.POST or None, instance=hearing, proceeding=hearing.proceeding)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Change a hearing: %(date)s") % {"date": format_date(hearing.held_on, "d M Y")},
        lambda: services.hearing_update(
            hearing=hearing, actor=request.user, opened_at=form.opened_at, **form.cleaned_data
        ),
        section="legal",
        done=gettext("Hearing saved."),
    )


# --- Multidisciplinary case reviews ---------------------------------------------------


@case_view(Access.EDIT)
def case_review_record(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, review_id: Any
) -> HttpResponse:
    """The team records a review as held (or corrects a held one)."""
    review = _record_in(beneficiary, CaseReview, review_id)
    form = forms.CaseReviewForm(request.POST or None, instance=review)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Record the case review")
        if review.is_pending
        else gettext("Case review of %(date)s") % {"date": format_date(review.held_on, "d M Y")},
        lambda: services.case_review_record(
            review=review, actor=request.user, opened_at=form.opened_at, **form.cleaned_data
        ),
        section="case-reviews",
        done=gettext("Case review saved."),
        intro=gettext(
            "Who took part (names and roles or disciplines), what was decided, and when the "
            "team reviews the case again."
        ),
    )


@case_view(Access.MANAGE)
def case_review_plan(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    """The case manager plans a review without a new complex factor."""
    form = forms.CaseReviewPlanForm(request.POST or None)
    return _form_page(
        request,
        beneficiary,
        form,
        gettext("Plan a case review"),
        lambda: services.case_review_plan(
            beneficiary=beneficiary, actor=request.user, due_on=form.cleaned_data["due_on"]
        ),
        section="case-reviews",
        done=gettext("Case review planned."),
        intro=gettext(
            "A multidisciplinary review of the case with the team. A new complex-case factor "
            "asks for one by itself."
        ),
    )


# --- History and access log ----------------------------------------------------------


@require_safe
@case_view(Access.VIEW, AccessAction.VIEW_HISTORY)
def history(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    entries = selectors.case_history_for(
        beneficiary,
        restricted=not beneficiary.can["manage"],
        legal=selectors.reads_legal(beneficiary),
    )
    return render(request, "cases/history.html", {"beneficiary": beneficiary, "entries": entries})


@require_safe
@case_view(Access.SUPERVISE, AccessAction.VIEW_ACCESS_LOG)
def access_log(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    rows = selectors.access_log_for(beneficiary)
    return render(request, "cases/access_log.html", {"beneficiary": beneficiary, "rows": rows})


@role_required(
    *emergency.MAY_ASK, message=_("Emergency access is for case workers and MDT members.")
)
def emergency_access(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open a case from outside its team in an emergency, for a few hours: to read it and
    log the contact, nothing else."""
    form = forms.EmergencyAccessForm(request.POST or None)
    return plain_form_page(
        request,
        form,
        gettext("Emergency access to a case"),
        lambda: emergency.emergency_access_open(
            user=request.user,
            case_code=form.cleaned_data["case_code"],
            reason=form.cleaned_data["reason"],
        ),
        done=ngettext(
            "Emergency access open for %(hours)d hour: read the file and log the contact. "
            "The supervisors have been told.",
            "Emergency access open for %(hours)d hours: read the file and log the contact. "
            "The supervisors have been told.",
            settings.EMERGENCY_ACCESS_HOURS,
        )
        % {"hours": settings.EMERGENCY_ACCESS_HOURS},
        next_url=lambda access: reverse("casework:detail", args=[access.beneficiary.public_id]),
        cancel_url=reverse("home"),
        intro=gettext(
            "For when a person needs help now and their case team cannot be reached: the "
            "file opens for a few hours, to read it and log the contact. Every page you open is "
            "recorded, and a supervisor reviews the access afterwards."
        ),
    )
