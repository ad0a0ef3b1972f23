"""Referral pages of a case, "my referrals", the supervisors' review and incoming transfers.

Every page reached by a case URL is wrapped in `case_view`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import role_required
from accounts.http import AuthenticatedHttpRequest, OrganisationHttpRequest
from accounts.models import Role
from cases.access import Access, case_view
from cases.choices import AccessAction
from cases.models import Beneficiary
from cases.pages import form_page
from core.forms import PrintForm, print_choice
from core.pages import plain_form_page, submit_and_return

from . import forms, selectors, services
from .choices import ReferralStatus
from .models import CaseTransfer, ReferralOverride, UnmetNeed
from .pdf import referral_letter_pdf


def _case_referrals_url(beneficiary: Beneficiary) -> str:
    return reverse("referrals:case", args=[beneficiary.public_id])


def _referral(beneficiary: Beneficiary, referral_id: Any) -> Any:
    referral = selectors.referral_in(beneficiary, referral_id)
    if referral is None:
        raise Http404(gettext("No such referral."))
    return referral


@require_safe
@case_view(Access.VIEW)
def case_referrals(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    context = {"beneficiary": beneficiary, **selectors.case_referrals(beneficiary)}
    return render(request, "referrals/case.html", context)


@case_view(Access.MANAGE)
def referral_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    """A draft referral; from the directory (?service=) or a plan task (?task=), prefilled."""
    task, initial = selectors.referral_start(
        beneficiary, request.GET.get("service"), request.GET.get("task")
    )
    form = forms.ReferralForm(request.POST or None, initial=initial)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Refer to a service"),
        lambda: services.referral_create(
            beneficiary=beneficiary,
            actor=request.user,
            service=form.cleaned_data["service"],
            task=task,
            data={k: v for k, v in form.cleaned_data.items() if k != "service"},
        ),
        done=gettext("Referral saved as a draft. Check consent, then send it."),
        next_url=lambda referral: referral.get_absolute_url(),
        cancel_url=_case_referrals_url(beneficiary),
        intro=gettext(
            "Agree the referral with the person first: they choose whether to use a service. "
            "The reason is printed on the referral letter, so write it as the provider should "
            "read it."
        ),
    )


@require_safe
@case_view(Access.VIEW)
def referral_detail(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, referral_id: Any
) -> HttpResponse:
    referral = _referral(beneficiary, referral_id)
    context = {
        "beneficiary": beneficiary,
        "referral": referral,
        "check": selectors.sharing_check(referral),
        "events": list(referral.events.select_related("recorded_by")),
        "overrides": list(referral.overrides.select_related("requested_by", "decided_by")),
        "send_form": forms.SendForm(),
        "status_form": forms.StatusForm(referral=referral) if referral.is_open else None,
        "print_form": PrintForm.for_person(beneficiary.document_language),
    }
    return render(request, "referrals/detail.html", context)


@case_view(Access.MANAGE)
def referral_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, referral_id: Any
) -> HttpResponse:
    referral = _referral(beneficiary, referral_id)
    form = forms.ReferralForm(request.POST or None, instance=referral, fixed_service=True)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Change the draft: %(referral)s") % {"referral": referral},
        lambda: services.referral_update(
            referral=referral, actor=request.user, data=form.cleaned_data, opened_at=form.opened_at
        ),
        done=gettext("Draft saved."),
        next_url=referral.get_absolute_url(),
    )


@require_POST
@case_view(Access.MANAGE)
def referral_send(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, referral_id: Any
) -> HttpResponse:
    referral = _referral(beneficiary, referral_id)
    form = forms.SendForm(request.POST)
    return submit_and_return(
        request,
        form,
        lambda: services.referral_send(referral=referral, actor=request.user, **form.cleaned_data),
        gettext("Referral sent. Print the letter if the provider needs one."),
        referral.get_absolute_url(),
    )


@case_view(Access.MANAGE)
def referral_status(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, referral_id: Any
) -> HttpResponse:
    referral = _referral(beneficiary, referral_id)
    form = forms.StatusForm(request.POST or None, referral=referral)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("What happened with: %(referral)s") % {"referral": referral},
        lambda: services.referral_move(referral=referral, actor=request.user, **form.cleaned_data),
        done=gettext("Referral updated."),
        next_url=referral.get_absolute_url(),
    )


@case_view(Access.MANAGE)
def referral_follow_through(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, referral_id: Any
) -> HttpResponse:
    referral = _referral(beneficiary, referral_id)
    form = forms.FollowThroughForm(request.POST or None, instance=referral)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Outcome and feedback: %(referral)s") % {"referral": referral},
        lambda: services.referral_follow_through(
            referral=referral, actor=request.user, data=form.cleaned_data, opened_at=form.opened_at
        ),
        done=gettext("Saved."),
        next_url=referral.get_absolute_url(),
        intro=gettext(
            "Ask the person how they were treated, and record it in their words: it tells the "
            "team which providers to trust with the next referral."
        ),
    )


@case_view(Access.MANAGE)
def override_request(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, referral_id: Any
) -> HttpResponse:
    referral = _referral(beneficiary, referral_id)
    form = forms.OverrideRequestForm(request.POST or None, initial=request.GET or None)
    supervises = beneficiary.can["supervise"]
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Override the sharing check")
        if supervises
        else gettext("Ask a supervisor to override"),
        lambda: services.override_request(
            referral=referral, actor=request.user, **form.cleaned_data
        ),
        done=gettext("Override recorded.")
        if supervises
        else gettext("Request sent to the supervisors."),
        next_url=referral.get_absolute_url(),
        intro=gettext(
            "An override is for when the referral must go without the usual safeguard, for "
            "example when the person is in danger. It is logged and listed for review."
        ),
    )


@case_view(Access.SUPERVISE)
def override_decide(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, referral_id: Any, override_id: Any
) -> HttpResponse:
    referral = _referral(beneficiary, referral_id)
    override = get_object_or_404(ReferralOverride, referral=referral, public_id=override_id)
    override.referral = referral
    form = forms.OverrideDecisionForm(request.POST or None)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Decide: %(override)s") % {"override": override.get_kind_display()},
        lambda: services.override_decide(
            override=override, actor=request.user, **form.cleaned_data
        ),
        done=gettext("Decision recorded."),
        next_url=referral.get_absolute_url(),
        intro=gettext("Asked by %(person)s: “%(reason)s”")
        % {"person": override.requested_by, "reason": override.reason},
    )


@require_safe
@case_view(Access.MANAGE, AccessAction.PRINT)
def referral_letter(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, referral_id: Any
) -> HttpResponse:
    referral = _referral(beneficiary, referral_id)
    if referral.status == ReferralStatus.DRAFT and not selectors.sharing_check(referral).can_send:
        messages.error(request, gettext("The letter can be printed once the referral may be sent."))
        return redirect(referral.get_absolute_url())
    language, _bilingual = print_choice(request, beneficiary.document_language)
    response = HttpResponse(
        referral_letter_pdf(referral, language=language), content_type="application/pdf"
    )
    # The file name carries the case code only, never a name.
    response["Content-Disposition"] = f'attachment; filename="referral-{beneficiary.case_code}.pdf"'
    return response


# --- Unmet needs -----------------------------------------------------------------------


@case_view(Access.MANAGE)
def unmet_need_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.UnmetNeedForm(request.POST or None)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Record an unmet need"),
        lambda: services.unmet_need_record(
            beneficiary=beneficiary, actor=request.user, data=form.cleaned_data
        ),
        done=gettext("Unmet need recorded. It shows in the supervisors' reports."),
        next_url=_case_referrals_url(beneficiary),
        intro=gettext(
            "When no suitable service exists, say so: it is the evidence for new services."
        ),
    )


@case_view(Access.MANAGE)
def unmet_need_resolve(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, need_id: Any
) -> HttpResponse:
    need = get_object_or_404(UnmetNeed, beneficiary=beneficiary, public_id=need_id)
    form = forms.ResolveNeedForm(request.POST or None)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Mark as met: %(need)s") % {"need": need},
        lambda: services.unmet_need_resolve(need=need, actor=request.user, **form.cleaned_data),
        done=gettext("Need marked as met."),
        next_url=_case_referrals_url(beneficiary),
    )


# --- Transfers -------------------------------------------------------------------------


@case_view(Access.MANAGE)
def transfer_request(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    destinations = selectors.transfer_destinations(beneficiary)
    form = forms.TransferForm(request.POST or None, destinations=destinations)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Transfer case responsibility"),
        lambda: services.transfer_request(
            beneficiary=beneficiary, actor=request.user, **form.cleaned_data
        ),
        done=gettext(
            "Transfer requested. The receiving organisation's supervisors decide; until then "
            "nothing changes."
        ),
        next_url=_case_referrals_url(beneficiary),
        intro=gettext(
            "The whole file goes to the receiving organisation, so the person's consent to "
            "share the whole case file with it must be recorded first. When the transfer is "
            "accepted, this organisation's team no longer sees the case."
        ),
    )


@require_POST
@case_view(Access.MANAGE)
def transfer_cancel(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, transfer_id: Any
) -> HttpResponse:
    transfer = get_object_or_404(CaseTransfer, beneficiary=beneficiary, public_id=transfer_id)
    try:
        services.transfer_cancel(transfer=transfer, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Transfer request cancelled."))
    return redirect(_case_referrals_url(beneficiary))


# Answering a transfer is a supervisor's decision for their own organisation.
transfer_answer_page = role_required(
    Role.SUPERVISOR, message=_("Only supervisors answer case transfers.")
)


def _incoming(request: OrganisationHttpRequest, transfer_id: Any) -> CaseTransfer:
    """A transfer waiting for this supervisor's organisation; anyone else gets 404."""
    return get_object_or_404(selectors.incoming_transfers(request.user), public_id=transfer_id)


def _transfer_page(
    request: OrganisationHttpRequest, form: Any, title: str, save: Any, done: str
) -> HttpResponse:
    review = reverse("referrals:review")
    return plain_form_page(
        request, form, title, save, done=done, next_url=review, cancel_url=review
    )


@transfer_answer_page
def transfer_accept(request: OrganisationHttpRequest, transfer_id: Any) -> HttpResponse:
    transfer = _incoming(request, transfer_id)
    form = forms.TransferAcceptForm(
        request.POST or None, organisation_id=request.user.organisation_id
    )
    return _transfer_page(
        request,
        form,
        gettext("Accept case %(code)s from %(organisation)s")
        % {"code": transfer.beneficiary.case_code, "organisation": transfer.from_organisation},
        lambda: services.transfer_accept(
            transfer=transfer, actor=request.user, **form.cleaned_data
        ),
        gettext("Case accepted. It is now on your organisation's caseload."),
    )


@transfer_answer_page
def transfer_decline(request: OrganisationHttpRequest, transfer_id: Any) -> HttpResponse:
    transfer = _incoming(request, transfer_id)
    form = forms.TransferDeclineForm(request.POST or None)
    return _transfer_page(
        request,
        form,
        gettext("Decline case %(code)s from %(organisation)s")
        % {"code": transfer.beneficiary.case_code, "organisation": transfer.from_organisation},
        lambda: services.transfer_decline(
            transfer=transfer, actor=request.user, **form.cleaned_data
        ),
        gettext("Transfer declined. The sending case manager is told."),
    )


# --- Lists across cases ------------------------------------------------------------------


@require_safe
@login_required
def my_referrals(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "referrals/mine.html", {"referrals": selectors.referrals_awaiting(request.user)}
    )


@require_safe
@role_required(Role.SUPERVISOR, message=_("The referral review is for supervisors."))
def review(request: OrganisationHttpRequest) -> HttpResponse:
    return render(request, "referrals/review.html", selectors.referral_review(request.user))
