"""The HTCDS pages: the export (choose the cases and the form, download the Case Sheet), the
written mapping, and the import (upload, dry run, confirm or cancel). Supervisors only, their
own organisation only; an upload is named in addresses by its random public id."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import supervisor_page
from accounts.http import OrganisationHttpRequest
from cases.selectors import case_managers_in
from core.forms import add_service_errors

from . import exporting, htcds_in, htcds_read, importing, mapping
from .forms import CaseSheetExportForm, ConfirmImportForm, HtcdsImportForm
from .htcds_out import ExportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_http_methods(["GET", "HEAD", "POST"])
@supervisor_page
def case_sheet_export(request: OrganisationHttpRequest) -> HttpResponse:
    organisation_id = request.user.organisation_id
    form = CaseSheetExportForm(request.POST or None, organisation_id=organisation_id)
    context: dict[str, object] = {"form": form, "min_group": settings.EXPORT_MIN_GROUP}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["form"] == ExportForm.IDENTIFIED and not request.POST.get("confirmed"):
            # Refusals are shown before anything leaves: the download cannot list them.
            gate = exporting.identified_check(organisation_id, form.filters(), data["provider"])
            if gate.refused:
                context["gate"] = gate
                return render(request, "exchange/export.html", context)
        try:
            export = exporting.case_sheet_export(
                actor=request.user,
                filters=form.filters(),
                form=data["form"],
                provider=data["provider"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            response = HttpResponse(export.content, content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
            return response
    return render(request, "exchange/export.html", context)


@require_safe
@supervisor_page
def htcds_mapping(request: OrganisationHttpRequest) -> HttpResponse:
    context = {
        "mapping": mapping.written_mapping(),
        "not_exported": mapping.NOT_EXPORTED,
        "empty_columns": mapping.EMPTY_COLUMNS,
    }
    return render(request, "exchange/export_mapping.html", context)


# --- HTCDS import ---


class _WorkbookSizeLimit(FileUploadHandler):
    """Stops keeping an upload once it passes the size limit, so a huge file is neither held
    in memory nor written to disk; the form then says it is too large."""

    too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > htcds_read.max_upload_bytes():
            self.too_large = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file


# The upload handler must be in place before the body is read, which the CSRF check does:
# exempt here, checked inside once the handler is set (Django's documented pattern).
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@supervisor_page
def import_upload(request: OrganisationHttpRequest) -> HttpResponse:
    limit = _WorkbookSizeLimit(request)
    # AttributeError: the body was read already; the form's size check still applies.
    with contextlib.suppress(AttributeError):
        request.upload_handlers.insert(0, limit)
    return _import_upload(request, limit)


@csrf_protect
def _import_upload(request: OrganisationHttpRequest, limit: _WorkbookSizeLimit) -> HttpResponse:
    case_managers = case_managers_in(request.user.organisation_id)
    form = HtcdsImportForm(
        request.POST or None,
        request.FILES or None,
        case_managers=case_managers,
        initial={"case_manager": request.user},
        too_large=limit.too_large,
    )
    if request.method == "POST" and form.is_valid():
        try:
            pending = importing.htcds_import_upload(
                actor=request.user,
                case_manager=form.cleaned_data["case_manager"],
                workbook=form.cleaned_data["workbook"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("exchange:import_review", upload_id=pending.public_id)
    context = {
        "form": form,
        "max_mb": f"{htcds_read.max_upload_bytes() / 1_000_000:g}",
        "max_rows": htcds_read.max_rows(),
    }
    return render(request, "exchange/import.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@supervisor_page
def import_review(request: OrganisationHttpRequest, upload_id: uuid.UUID) -> HttpResponse:
    """The dry run; a POST confirms it. A refused confirmation says why on the page."""
    if request.method == "POST":
        return _confirm(request, upload_id)
    pending = importing.pending_imports_of(request.user).filter(public_id=upload_id).first()
    if pending is None:
        raise Http404("No such upload.")
    try:
        plan = importing.htcds_dry_run(pending)
    except htcds_read.WorkbookRefused as refused:  # only if the limits were lowered since
        importing.htcds_import_cancel(actor=request.user, upload_id=upload_id)
        messages.error(request, refused.message)
        return redirect("exchange:import_upload")
    context = {
        "pending": pending,
        "plan": plan,
        "confirm": ConfirmImportForm(initial={"expected": plan.fingerprint}),
        "defaults": htcds_in.defaults_shown(),
    }
    return render(request, "exchange/import_review.html", context)


def _confirm(request: OrganisationHttpRequest, upload_id: uuid.UUID) -> HttpResponse:
    form = ConfirmImportForm(request.POST)
    expected = form.cleaned_data["expected"] if form.is_valid() else ""
    try:
        created = importing.htcds_import_confirm(
            actor=request.user, upload_id=upload_id, expected=expected
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if getattr(error, "code", None) == "gone":
            return redirect("exchange:import_upload")
        return redirect("exchange:import_review", upload_id=upload_id)
    messages.success(request, _created_message(created))
    return redirect("casework:caseload")


def _created_message(created: list[Any]) -> str:
    return ngettext(
        "%(count)d file opened from the workbook: %(codes)s. Its initial assessment is due "
        "as for any intake.",
        "%(count)d files opened from the workbook: %(codes)s. Their initial assessments are "
        "due as for any intake.",
        len(created),
    ) % {"count": len(created), "codes": _codes(created)}


def _codes(created: list[Any], shown: int = 10) -> str:
    codes = ", ".join(beneficiary.case_code for beneficiary in created[:shown])
    return codes + (" …" if len(created) > shown else "")


@require_POST
@supervisor_page
def import_cancel(request: OrganisationHttpRequest, upload_id: uuid.UUID) -> HttpResponse:
    importing.htcds_import_cancel(actor=request.user, upload_id=upload_id)
    messages.success(request, gettext("The upload was deleted. Nothing was imported."))
    return redirect("exchange:import_upload")
