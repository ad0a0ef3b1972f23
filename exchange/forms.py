"""Forms of the exchange pages: which cases go out as an HTCDS Case Sheet, and in which form;
the workbook to bring in, and the confirmation of its dry run."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.choices import CaseStatus, Stage
from core.forms import DateInput
from directory.models import Provider

from . import htcds_read
from .exporting import CaseFilters, receiving_providers
from .htcds_out import ExportForm

MAX_CASE_CODES = 200


class CaseSheetExportForm(forms.Form):
    form = forms.ChoiceField(
        label=_("Form"),
        choices=ExportForm.choices,
        initial=ExportForm.DEIDENTIFIED,
        widget=forms.RadioSelect,
    )
    provider = forms.ModelChoiceField(
        label=_("Receiving organisation"),
        queryset=Provider.objects.none(),
        required=False,
        help_text=_(
            "Identified form only: the organisation in the directory that takes the cases "
            "on. Only cases whose consent covers the whole case file going to it, and only "
            "if it has a confidentiality agreement with you, are exported."
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *CaseStatus.choices], required=False
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("Any")), *Stage.choices], required=False
    )
    admitted_from = forms.DateField(label=_("Admitted from"), widget=DateInput(), required=False)
    admitted_to = forms.DateField(label=_("Admitted until"), widget=DateInput(), required=False)
    case_codes = forms.CharField(
        label=_("Case codes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: only these cases, separated by spaces, commas or new lines."),
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider = cast(forms.ModelChoiceField, self.fields["provider"])
        provider.queryset = receiving_providers(organisation_id)

    def clean_case_codes(self) -> list[str]:
        codes = [code for code in re.split(r"[\s,;]+", self.cleaned_data["case_codes"]) if code]
        if len(codes) > MAX_CASE_CODES:
            raise forms.ValidationError(
                gettext("At most %(count)d case codes at a time.") % {"count": MAX_CASE_CODES}
            )
        return list(dict.fromkeys(codes))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("form") == ExportForm.IDENTIFIED and not data.get("provider"):
            self.add_error("provider", gettext("Choose the receiving organisation."))
        start, end = data.get("admitted_from"), data.get("admitted_to")
        if start and end and start > end:
            self.add_error("admitted_to", gettext("This date is before the first one."))
        return data

    def filters(self) -> CaseFilters:
        data = self.cleaned_data
        return CaseFilters(
            status=data["status"],
            stage=data["stage"],
            admitted_from=data["admitted_from"],
            admitted_to=data["admitted_to"],
            case_codes=tuple(data["case_codes"]),
        )


# --- HTCDS import ---


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


class HtcdsImportForm(forms.Form):
    # Not `required`: a file the upload handler stopped reading arrives as none, and is told
    # apart from a missing one in `clean_workbook`.
    workbook = forms.FileField(
        required=False,
        label=_("HTCDS v2.0 workbook"),
        help_text=_(
            "The toolkit's case spreadsheet (.xlsx, or the multi-select .xlsm: its macros are "
            "never run), filled from row 3 of its Case Sheet."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(WORKBOOK_SUFFIXES)}),
    )
    case_manager = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label=_("Case manager of the new files"),
        help_text=_("Assigned to every file the workbook opens; reassign later as usual."),
    )

    def __init__(
        self, *args: Any, case_managers: Any, too_large: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["case_manager"]).queryset = case_managers
        self.too_large = too_large  # the upload handler stopped reading it past the limit

    def clean_workbook(self) -> bytes:
        upload = cast(UploadedFile | None, self.cleaned_data.get("workbook"))
        if self.too_large or (
            upload is not None and (upload.size or 0) > htcds_read.max_upload_bytes()
        ):
            raise forms.ValidationError(htcds_read.too_big_message())
        if upload is None:
            raise forms.ValidationError(gettext("Choose the workbook to import."))
        if not (upload.name or "").lower().endswith(WORKBOOK_SUFFIXES):
            raise forms.ValidationError(
                gettext("Upload an Excel workbook: a file ending in .xlsx or .xlsm.")
            )
        return upload.read()


class ConfirmImportForm(forms.Form):
    # The dry run's fingerprint as shown: confirming a different outcome is refused.
    expected = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20_000)
