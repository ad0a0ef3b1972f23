"""Needs assessment pages. Every page reached by a case URL is wrapped in `case_view`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from accounts.http import AuthenticatedHttpRequest
from cases.access import Access, case_view
from cases.models import Beneficiary
from cases.pages import form_page

from . import forms, selectors, services
from .choices import AssessmentKind
from .models import Assessment, AssessmentSection


def _assessment_in(beneficiary: Beneficiary, assessment_id: Any) -> Assessment:
    assessments = selectors.with_progress(Assessment.objects.all())
    assessment = get_object_or_404(assessments, beneficiary=beneficiary, public_id=assessment_id)
    assessment.beneficiary = beneficiary  # carries the viewer's access, loaded once
    return assessment


def _detail_url(beneficiary: Beneficiary, assessment: Assessment) -> str:
    return reverse("assessments:detail", args=[beneficiary.public_id, assessment.public_id])


def _refuse_if_complete(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, assessment: Assessment
) -> HttpResponse | None:
    if assessment.is_complete:
        messages.info(
            request,
            gettext(
                "This assessment is complete and read-only. "
                "Start a review assessment to correct it."
            ),
        )
        return redirect(_detail_url(beneficiary, assessment))
    return None


@require_safe
@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    sections = list(selectors.my_sections_to_complete(request.user))
    return render(request, "assessments/mine.html", {"sections": sections})


@require_safe
@case_view(Access.VIEW)
def assessment_list(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    assessments, score_rows = selectors.score_history(beneficiary)
    context = {
        "beneficiary": beneficiary,
        "assessments": selectors.assessments_of(beneficiary),
        "scored_assessments": assessments,
        "score_rows": score_rows,
        "start_form": forms.StartReviewForm(),
    }
    return render(request, "assessments/list.html", context)


@case_view(Access.MANAGE)
def start_review(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.StartReviewForm(request.POST or None)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Start a review assessment"),
        lambda: services.assessment_start(
            beneficiary=beneficiary,
            actor=request.user,
            kind=AssessmentKind.REVIEW,
            reason=form.cleaned_data["reason"],
        ),
        done=gettext("Review assessment started. Each section is now waiting for its discipline."),
        next_url=lambda assessment: _detail_url(beneficiary, assessment),
        cancel_url=reverse("assessments:list", args=[beneficiary.public_id]),
    )


@require_safe
@case_view(Access.VIEW)
def detail(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, assessment_id: Any
) -> HttpResponse:
    assessment = _assessment_in(beneficiary, assessment_id)
    context = {
        "beneficiary": beneficiary,
        "assessment": assessment,
        "complete_form": forms.CompleteForm(),
        **selectors.assessment_page(request.user, beneficiary, assessment),
    }
    return render(request, "assessments/detail.html", context)


@case_view(Access.EDIT)
def section_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, assessment_id: Any, section_id: Any
) -> HttpResponse:
    assessment = _assessment_in(beneficiary, assessment_id)
    section = get_object_or_404(AssessmentSection, assessment=assessment, public_id=section_id)
    section.assessment = assessment
    if refused := _refuse_if_complete(request, beneficiary, assessment):
        return refused
    if not selectors.editable(request.user, beneficiary, section):
        raise PermissionDenied(
            gettext("The %(owner)s completes this section.")
            % {"owner": section.get_owner_display().lower()}
        )
    form = forms.SectionForm(request.POST or None, instance=section, for_child=beneficiary.is_minor)
    return form_page(
        request,
        beneficiary,
        form,
        f"{section.get_domain_display()} — {assessment}",
        lambda: services.section_save(
            section=section,
            actor=request.user,
            data=form.answers(),
            complete=form.cleaned_data["complete"],
            opened_at=form.opened_at,
        ),
        done=gettext("%(area)s saved.") % {"area": section.get_domain_display()},
        next_url=_detail_url(beneficiary, assessment),
        intro=gettext(
            "Assess together with the person: their needs and also their strengths. Tick "
            "'complete' when this area is done, or mark it as not applicable with a reason."
        ),
    )


@case_view(Access.MANAGE)
def scores(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, assessment_id: Any
) -> HttpResponse:
    assessment = _assessment_in(beneficiary, assessment_id)
    if refused := _refuse_if_complete(request, beneficiary, assessment):
        return refused
    form = forms.ScoresForm(
        request.POST or None, existing={s.domain: s for s in assessment.scores.all()}
    )
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Outcome scores — %(assessment)s") % {"assessment": assessment},
        lambda: services.scores_save(
            assessment=assessment,
            actor=request.user,
            scores=form.scores(),
            opened_at=form.versions(),
        ),
        done=gettext("Outcome scores saved."),
        next_url=_detail_url(beneficiary, assessment),
        intro=gettext(
            "Score each area of well-being with the person, "
            "from 1 (serious difficulty) to 5 (thriving)."
        ),
        template="assessments/scores_form.html",
    )


@case_view(Access.MANAGE)
def complete(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, assessment_id: Any
) -> HttpResponse:
    assessment = _assessment_in(beneficiary, assessment_id)
    if refused := _refuse_if_complete(request, beneficiary, assessment):
        return refused
    form = forms.CompleteForm(request.POST or None)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Complete — %(assessment)s") % {"assessment": assessment},
        lambda: services.assessment_complete(
            assessment=assessment, actor=request.user, **form.cleaned_data
        ),
        done=gettext("Assessment complete."),
        next_url=_detail_url(beneficiary, assessment),
    )
