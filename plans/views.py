"""Plan pages. Every page reached by a case URL is wrapped in `case_view`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from cases.access import Access, case_view
from cases.choices import AccessAction
from cases.models import Beneficiary
from cases.pages import form_page
from core.forms import PrintForm, print_choice
from core.languages import document_language, language_name

from . import forms, selectors, services
from .models import Goal, PlanVersion, Task
from .pdf import plan_pdf


def _version_in(beneficiary: Beneficiary, version_id: Any) -> PlanVersion:
    version = get_object_or_404(PlanVersion, beneficiary=beneficiary, public_id=version_id)
    version.beneficiary = beneficiary
    return version


def _goal_in(version: PlanVersion, goal_id: Any) -> Goal:
    goal = get_object_or_404(Goal, version=version, public_id=goal_id)
    goal.version = version
    return goal


def _task_in(version: PlanVersion, task_id: Any) -> Task:
    task = get_object_or_404(
        Task.objects.select_related("goal"), goal__version=version, public_id=task_id
    )
    task.goal.version = version
    return task


def _version_url(version: PlanVersion) -> str:
    return reverse("plans:version", args=[version.beneficiary.public_id, version.public_id])


@require_safe
@case_view(Access.VIEW)
def overview(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    versions = list(beneficiary.plan_versions.order_by("-number"))
    context = {
        "beneficiary": beneficiary,
        "versions": versions,
        "summary": selectors.summarise(beneficiary, versions),
        "start_form": forms.PlanForm(),
    }
    return render(request, "plans/overview.html", context)


@require_POST
@case_view(Access.MANAGE)
def start(request: AuthenticatedHttpRequest, beneficiary: Beneficiary) -> HttpResponse:
    form = forms.PlanForm(request.POST)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Start the plan"),
        lambda: services.plan_start(
            beneficiary=beneficiary, actor=request.user, **form.cleaned_data
        ),
        done=gettext(
            "Plan started. Add goals together with the person, then record the signatures."
        ),
        next_url=_version_url,
        cancel_url=reverse("plans:overview", args=[beneficiary.public_id]),
    )


@require_safe
@case_view(Access.VIEW)
def version_detail(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, version_id: Any
) -> HttpResponse:
    version = _version_in(beneficiary, version_id)
    editable = beneficiary.can["manage"] and not version.is_locked and not version.superseded_on
    context = {
        "beneficiary": beneficiary,
        "version": version,
        "editable": editable,
        "suggestions": selectors.suggested_goals(version) if editable else [],
        "required_roles": services.required_roles(
            beneficiary, version.signed_on or timezone.localdate()
        ),
        "print_form": PrintForm.for_person(beneficiary.document_language),
        **selectors.version_page(version),
    }
    return render(request, "plans/version.html", context)


@case_view(Access.MANAGE)
def version_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, version_id: Any
) -> HttpResponse:
    version = _version_in(beneficiary, version_id)
    form = forms.PlanForm(request.POST or None, instance=version)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Edit %(version)s") % {"version": version},
        lambda: services.plan_update(
            version=version, actor=request.user, opened_at=form.opened_at, **form.cleaned_data
        ),
        done=gettext("Plan saved."),
        next_url=_version_url(version),
    )


@case_view(Access.MANAGE)
def goal_add(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, version_id: Any
) -> HttpResponse:
    version = _version_in(beneficiary, version_id)
    initial = {}
    # "Take as goal": a prioritised need from the assessment, offered as a goal to edit.
    if section := selectors.suggestion(version, request.GET.get("from_section", "")):
        initial = {"domain": section.domain, "description": section.needs}
    form = forms.GoalForm(
        request.POST or None,
        initial=initial,
        beneficiary=beneficiary,
        for_child=beneficiary.is_minor,
    )
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Add a goal"),
        lambda: services.goal_save(version=version, actor=request.user, data=form.cleaned_data),
        done=gettext("Goal added."),
        next_url=_version_url(version),
        intro=gettext(
            "Agree the goal with the person: what, by when, and how you will both know it is "
            "reached."
        ),
    )


@case_view(Access.MANAGE)
def goal_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, version_id: Any, goal_id: Any
) -> HttpResponse:
    version = _version_in(beneficiary, version_id)
    goal = _goal_in(version, goal_id)
    form = forms.GoalForm(
        request.POST or None,
        instance=goal,
        beneficiary=beneficiary,
        for_child=beneficiary.is_minor,
    )
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Edit goal"),
        lambda: services.goal_save(
            version=version,
            actor=request.user,
            data=form.cleaned_data,
            goal=goal,
            opened_at=form.opened_at,
        ),
        done=gettext("Goal saved."),
        next_url=_version_url(version),
    )


@case_view(Access.EDIT)
def goal_progress(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, version_id: Any, goal_id: Any
) -> HttpResponse:
    version = _version_in(beneficiary, version_id)
    goal = _goal_in(version, goal_id)
    form = forms.GoalProgressForm(request.POST or None, goal=goal)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Progress: %(goal)s") % {"goal": goal},
        lambda: services.goal_progress(
            goal=goal, actor=request.user, opened_at=form.opened_at, **form.cleaned_data
        ),
        done=gettext("Progress recorded."),
        next_url=_version_url(version),
    )


def _warn_if_late(request: AuthenticatedHttpRequest, task: Task | None) -> None:
    if task and task.due_on > task.goal.target_date:
        messages.warning(
            request,
            gettext("The task is due after the goal's target date (%(date)s).")
            % {"date": dateformat.format(task.goal.target_date, "d M Y")},
        )


@case_view(Access.MANAGE)
def task_add(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, version_id: Any, goal_id: Any
) -> HttpResponse:
    version = _version_in(beneficiary, version_id)
    goal = _goal_in(version, goal_id)
    form = forms.TaskForm(request.POST or None, team=selectors.team_members(beneficiary))
    saved: list[Task] = []
    response = form_page(
        request,
        beneficiary,
        form,
        gettext("Add a task to: %(goal)s") % {"goal": goal},
        lambda: saved.append(
            services.task_save(goal=goal, actor=request.user, data=form.cleaned_data)
        ),
        done=gettext("Task added."),
        next_url=_version_url(version),
    )
    _warn_if_late(request, next(iter(saved), None))
    return response


@case_view(Access.MANAGE)
def task_edit(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, version_id: Any, task_id: Any
) -> HttpResponse:
    version = _version_in(beneficiary, version_id)
    task = _task_in(version, task_id)
    form = forms.TaskForm(
        request.POST or None, instance=task, team=selectors.team_members(beneficiary)
    )
    saved: list[Task] = []
    response = form_page(
        request,
        beneficiary,
        form,
        gettext("Edit task"),
        lambda: saved.append(
            services.task_save(
                goal=task.goal,
                actor=request.user,
                data=form.cleaned_data,
                task=task,
                opened_at=form.opened_at,
            )
        ),
        done=gettext("Task saved."),
        next_url=_version_url(version),
    )
    _warn_if_late(request, next(iter(saved), None))
    return response


@case_view(Access.EDIT)
def task_progress(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, version_id: Any, task_id: Any
) -> HttpResponse:
    version = _version_in(beneficiary, version_id)
    task = _task_in(version, task_id)
    form = forms.TaskProgressForm(request.POST or None, task=task)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Progress: %(task)s") % {"task": task},
        lambda: services.task_progress(
            task=task, actor=request.user, opened_at=form.opened_at, **form.cleaned_data
        ),
        done=gettext("Progress recorded."),
        next_url=_version_url(version),
    )


@case_view(Access.MANAGE)
def sign(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, version_id: Any
) -> HttpResponse:
    version = _version_in(beneficiary, version_id)
    # Most plans are read in the language they are printed in: offered, for the worker to change.
    printed_in = document_language(None, beneficiary.document_language)
    form = forms.SignatureForm(
        request.POST or None,
        read_in=language_name(printed_in),
        # ?role=guardian: the guardian's signature, their name and relationship filled in.
        initial=selectors.signature_initial(version, request.GET.get("role", "")),
    )
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Record a signature on %(version)s") % {"version": version},
        lambda: services.signature_record(
            version=version, actor=request.user, data=form.cleaned_data
        ),
        done=gettext("Signature recorded."),
        next_url=_version_url(version),
        intro=gettext(
            "On paper: the person signs the printed plan in front of a witness. On screen: the "
            "person types their own name and ticks the attestation. The first signature locks "
            "the content."
        ),
    )


@case_view(Access.MANAGE)
def new_version(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, version_id: Any
) -> HttpResponse:
    version = _version_in(beneficiary, version_id)
    form = forms.NewVersionForm(request.POST or None)
    return form_page(
        request,
        beneficiary,
        form,
        gettext("Change the plan (new version after %(version)s)") % {"version": version},
        lambda: services.plan_new_version(version=version, actor=request.user, **form.cleaned_data),
        done=gettext(
            "New version started. It must be signed again; the previous one stays as it was signed."
        ),
        next_url=_version_url,
        cancel_url=_version_url(version),
    )


@require_safe
@case_view(Access.VIEW, AccessAction.PRINT)
def pdf(
    request: AuthenticatedHttpRequest, beneficiary: Beneficiary, version_id: Any
) -> HttpResponse:
    version = _version_in(beneficiary, version_id)
    language, bilingual = print_choice(request, beneficiary.document_language)
    response = HttpResponse(
        plan_pdf(version, language=language, bilingual=bilingual), content_type="application/pdf"
    )
    # The file name carries the case code only, never a name.
    response["Content-Disposition"] = (
        f'attachment; filename="plan-{beneficiary.case_code}-v{version.number}.pdf"'
    )
    return response


MY_TASKS_PAGE_SIZE = 50


@require_safe
@login_required
def my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    tasks = selectors.my_tasks(request.user)
    page = Paginator(tasks, MY_TASKS_PAGE_SIZE).get_page(request.GET.get("page"))
    late = tasks.filter(due_on__lt=timezone.localdate()).count()
    return render(request, "plans/my_tasks.html", {"page": page, "late": late})
