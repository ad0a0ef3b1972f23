"""Contacts and follow-up pages. Every page reached by a case URL is wrapped in `case_view`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from cases.access import Access, case_view
from cases.models import Beneficiary
from cases.pages import form_page
from cases.selectors import disclosures_for, open_risk_flag

from . import forms, selectors, services
from .models import CaseMilestone, Contact, Milestone


def _contacts_url(beneficiary: Beneficiary) -> str:
    return reverse("monitoring:contacts", args=[beneficiary.public_id])


# Rows of My follow-ups per page: a worker with hundreds of cases gets a page that loads
# at once, the most overdue first.
FOLLOW_UPS_PAGE_SIZE = 50


@require_safe
@login_required
def my_follow_ups(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Every case's id and due date in one query (small, even for a thousand cases): the
    # page, the total and how many are overdue come from it.
    due = list(selectors.follow_ups_of(request.user).values_list("pk", "next_contact_due"))
    page = Paginator(due, FOLLOW_UPS_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {
        "page": page,
        "cases": selectors.follow_up_rows([pk for pk, _on in page]),
        "overdue": sum(1 for _pk, on in due if on is not None and on < today),
        "hearings": selectors.hearings_soon_for(request.user),
        "hearing_notice_days": settings.HEARING_NOTICE_DAYS,
        "case_reviews": selectors.case_reviews_due_for(request.user),
    }
    return render(request, "monitoring/my_follow_ups.html", context)


@require_safe
@case_view(Access.VIEW)
def contact_list(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    contacts = [(c, selectors.readable(beneficiary, c)) for c in selectors.contacts_of(beneficiary)]
    context = {
        "beneficiary": beneficiary,
        "contacts": contacts,
        "follow_up": selectors.follow_up_for(beneficiary),
    }
    return render(request, "monitoring/contacts.html", context)


@case_view(Access.CONTACT)
def contact_add(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.ContactForm(
        request.POST or None, risk_raised=open_risk_flag(beneficiary) is not None
    )
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Log a contact"),
        lambda: services.contact_log(
            beneficiary=beneficiary, actor=request.user, data=form.cleaned_data
        ),
        done=gettext("Contact logged."),
        next_url=_contacts_url(beneficiary),
        template="monitoring/contact_form.html",
        # Everyone who may log a contact sees who knows what: a visit or call may meet them.
        context={"disclosures": disclosures_for(beneficiary)},
    )


@case_view(Access.EDIT)
def contact_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, contact_id: Any
) -> HttpResponse:
    contact = get_object_or_404(Contact, beneficiary=beneficiary, public_id=contact_id)
    contact.beneficiary = beneficiary
    if not services.may_correct(request.user, contact):
        raise PermissionDenied(
            gettext("Only the author, the case manager or a supervisor corrects a contact.")
        )
    form = forms.ContactForm(
        request.POST or None,
        instance=contact,
        risk_raised=open_risk_flag(beneficiary) is not None,
    )
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Correct a contact"),
        lambda: services.contact_update(
            contact=contact, actor=request.user, data=form.cleaned_data, opened_at=form.opened_at
        ),
        done=gettext("Contact corrected. The earlier version stays in the change history."),
        next_url=_contacts_url(beneficiary),
        template="monitoring/contact_form.html",
        # Everyone who may log a contact sees who knows what: a visit or call may meet them.
        context={"disclosures": disclosures_for(beneficiary)},
    )


def _interval_intro(days: int, *, child: bool = False) -> str:
    if child:  # the closer of the stage's and a child's interval
        return ngettext(
            "The organisation's interval for a child in this stage is every %(days)s day.",
            "The organisation's interval for a child in this stage is every %(days)s days.",
            days,
        ) % {"days": days}
    return ngettext(
        "The organisation's interval for this stage is every %(days)s day.",
        "The organisation's interval for this stage is every %(days)s days.",
        days,
    ) % {"days": days}


@case_view(Access.MANAGE)
def cadence(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    override = getattr(beneficiary, "cadence_override", None)
    form = forms.CadenceForm(request.POST or None, override=override)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Contact interval for this case"),
        lambda: services.cadence_override_set(
            beneficiary=beneficiary,
            actor=request.user,
            opened_at=form.opened_at,
            **form.cleaned_data,
        ),
        done=gettext("Contact interval saved."),
        next_url=_contacts_url(beneficiary),
        intro=_interval_intro(
            selectors.default_interval_days(beneficiary),
            child=beneficiary.is_minor and not beneficiary.is_closed,
        ),
    )


def _milestones_url(beneficiary: Beneficiary) -> str:
    return reverse("monitoring:milestones", args=[beneficiary.public_id])


@require_safe
@case_view(Access.VIEW)
def milestones(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    context = {
        "beneficiary": beneficiary,
        "stages": selectors.milestone_progress(beneficiary),
        "mark_form": forms.MilestoneMarkForm(),
    }
    return render(request, "monitoring/milestones.html", context)


@require_POST
@case_view(Access.EDIT)
def milestone_mark(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, milestone_id: int
) -> HttpResponse:
    milestone = get_object_or_404(Milestone, pk=milestone_id)
    form = forms.MilestoneMarkForm(request.POST)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Milestone reached: %(milestone)s") % {"milestone": milestone.label},
        lambda: services.milestone_mark(
            beneficiary=beneficiary, actor=request.user, milestone=milestone, **form.cleaned_data
        ),
        done=gettext("Milestone marked as reached."),
        next_url=_milestones_url(beneficiary),
    )


@require_POST
@case_view(Access.EDIT)
def milestone_unmark(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, milestone_id: int
) -> HttpResponse:
    record = get_object_or_404(CaseMilestone, beneficiary=beneficiary, milestone_id=milestone_id)
    form = forms.MilestoneUnmarkForm(request.POST)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Take back: %(milestone)s") % {"milestone": record.milestone.label},
        lambda: services.milestone_unmark(record=record, actor=request.user, **form.cleaned_data),
        done=gettext("Milestone taken back. Its history is kept."),
        next_url=_milestones_url(beneficiary),
    )


@case_view(Access.MANAGE)
def keep_open(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.KeepOpenForm(request.POST or None)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Why the case stays open"),
        lambda: services.keep_open_decide(
            beneficiary=beneficiary, actor=request.user, **form.cleaned_data
        ),
        done=gettext("Reason recorded. You will be asked again in a year."),
        next_url=reverse("casework:detail", args=[beneficiary.public_id]) + "#status",
        intro=gettext(
            "Reintegration usually takes about three years. Say why this case needs longer: "
            "the supervisors see it in their review."
        ),
    )
