"""Cases out as an HTCDS v2.0 Case Sheet workbook: one row per case, in two forms.

- *De-identified*, for data collaboratives: no name, contact, address, birth date or case
  code (a random record id, new at every export); the admission date only as the first
  day of its quarter; k-anonymous over gender, citizenship, exploitation and that date.
- *Identified*, for a case transfer to an organisation whose consent and confidentiality
  agreement cover it (the gate is in `exchange.exporting`).

The workbook is data in the standard's terms, not a document for the person: a cover
sheet marks it restricted, nothing in it is ever a formula, and it is never printed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from core.anonymity import Anonymised, QuasiIdentifier, as_given, k_anonymise

from . import vocabulary as v

if TYPE_CHECKING:
    from cases.models import Beneficiary


class ExportForm(models.TextChoices):
    DEIDENTIFIED = "deidentified", _("De-identified, for sharing with a data collaborative")
    IDENTIFIED = "identified", _("Identified, for a case transfer")


CONSENT_GIVEN = "Yes"  # the identified form only goes out with a consent that covers it
RECORD = "record"  # the row key of column A (no name in the standard): see vocabulary
EXPLOITATION = "exploitation"  # type and industry, generalised together (a pair)
CASE_SHEET_TITLE = v.CASE_SHEET
COVER_SHEET_TITLE = "about"  # the toolkit's own name for its cover sheet


# --- cell values -------------------------------------------------------------------------

# A text a spreadsheet could read as the start of a formula (or of a DDE command); a phone
# number ("+355 69 ...") or a plain signed number is data, not a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-][\d\s().-]*$")


def safe_text(value: str) -> str:
    """Text that can never become a formula: characters a workbook cannot hold removed,
    and a space before anything a spreadsheet would evaluate, so that even after a copy
    into another sheet or a save as CSV it stays text (the cell is also typed as text)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return " " + text
    return text


def _cell(sheet: Any, value: Any, bold: bool = False) -> Any:
    cell = WriteOnlyCell(sheet, value=safe_text(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"  # never "f": openpyxl would write "=..." as a formula
    if bold:
        cell.font = Font(bold=True)
    return cell


# --- de-identifying -------------------------------------------------------------------------


def quarter_start(day: date | None) -> date | None:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1) if day else None


def year_start(day: date | None) -> date | None:
    return date(day.year, 1, 1) if day else None


def not_shown(value: Any) -> Any:
    """The top of every hierarchy here: an empty cell, which the toolkit's lists allow
    (core.anonymity's "any" is not one of the standard's values)."""
    return None


def _type_only(pair: tuple[str, str]) -> tuple[str, str]:
    return (pair[0], "")


def _nothing(pair: tuple[str, str]) -> tuple[str, str]:
    return ("", "")


QUASI_IDENTIFIERS: tuple[QuasiIdentifier, ...] = (
    QuasiIdentifier(
        v.GENDER, _("gender"), (as_given, not_shown), (_("as recorded"), _("not shown"))
    ),
    QuasiIdentifier(
        v.CITIZENSHIP,
        _("citizenship"),
        (as_given, not_shown),
        (_("as recorded"), _("not shown")),
    ),
    QuasiIdentifier(
        EXPLOITATION,
        _("type of exploitation and forced labour industry"),
        (as_given, _type_only, _nothing),
        (_("as recorded"), _("the industry is not shown"), _("not shown")),
    ),
    QuasiIdentifier(
        v.INCOMING_REFERRAL_DATE,
        _("admission date"),
        (as_given, year_start, not_shown),
        (
            _("first day of the admission quarter"),
            _("first day of the admission year"),
            _("not shown"),
        ),
    ),
)


# --- rows ---------------------------------------------------------------------------------


def _closure_reason(case: Beneficiary) -> str:
    reason = getattr(case, "last_closure_reason", None)
    return v.CLOSURE_REASON_TEXT.to_htcds(reason) if case.is_closed and reason else ""


def shared_cells(case: Beneficiary) -> dict[str, Any]:
    """The cells both forms carry: the case's situation in the standard's terms."""
    types, industries = v.exploitation_cells(case.exploitation_forms)
    return {
        v.GENDER: v.GENDER_FROM_SEX.to_htcds(case.sex),
        v.CITIZENSHIP: v.country_for_nationality(case.nationality) or "",
        v.TRAFFICKING_STATUS: v.TRAFFICKING_STATUS_FROM_IDENTIFICATION.to_htcds(
            case.identification_status
        ),
        EXPLOITATION: (types, industries),
        v.STATUS: v.STATUS_FROM_CASE_STATUS.to_htcds(case.status),
        v.REASON_FOR_CASE_CLOSURE: _closure_reason(case),
    }


def deidentified_row(case: Beneficiary, record_id: str) -> dict[str, Any]:
    return {
        RECORD: record_id,
        **shared_cells(case),
        v.INCOMING_REFERRAL_DATE: quarter_start(case.admitted_on),
    }


def _contact_details(case: Beneficiary) -> str:
    """How to reach the person safely: the standard has no field for it, and a receiving
    organisation must not lose it, so it goes with the transfer's details."""
    parts = [
        f"Safe to call: {v.english(case.get_safe_to_call_display())}.",
        f"Home visits allowed: {v.english(case.get_home_visits_allowed_display())}.",
    ]
    if case.who_may_answer:
        parts.append(f"Who may answer: {case.who_may_answer}.")
    if case.safe_times:
        parts.append(f"Safe times: {case.safe_times}.")
    if case.safe_contact_notes:
        parts.append(f"Safe contact notes: {case.safe_contact_notes}")
    return " ".join(parts)


def identified_row(
    case: Beneficiary, *, receiving: str, transfer_reason: str, today: date
) -> dict[str, Any]:
    managers = getattr(case, "export_case_managers", [])
    details = [transfer_reason] if transfer_reason else []
    details.append(_contact_details(case))
    return {
        RECORD: case.case_code,
        **shared_cells(case),
        v.CASE_OWNER: ", ".join(m.user.get_full_name() for m in managers),
        v.FIRST_NAME: case.first_name,
        v.SECOND_NAME: case.last_name,
        v.CONSENT: CONSENT_GIVEN,
        v.BIRTHDATE: case.date_of_birth,
        v.MOBILE_PHONE: case.phone,
        v.MAILING_STREET: case.address,
        v.REFERRING_ORGANISATION: v.REFERRAL_SOURCE_TEXT.to_htcds(case.referral_source),
        v.INCOMING_REFERRAL_DATE: case.admitted_on,
        v.INCOMING_REFERRAL_DETAILS: case.referral_details,
        v.REFERRED_ORGANISATION: receiving,
        v.REASON_FOR_OUTGOING_REFERRAL: v.TRANSFER_REASON,
        v.OUTGOING_REFERRAL_DATE: today,
        v.OUTGOING_REFERRAL_DETAILS: " ".join(details),
    }


def sheet_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row by the standard's column names (the exploitation pair split in two)."""
    types, industries = row.get(EXPLOITATION) or ("", "")
    cells = {key: value for key, value in row.items() if key != EXPLOITATION}
    cells[v.TYPE_OF_EXPLOITATION] = types
    cells[v.FORCED_LABOUR_INDUSTRY] = industries
    return cells


def anonymise(rows: Sequence[dict[str, Any]], k: int) -> Anonymised:
    return k_anonymise(rows, QUASI_IDENTIFIERS, k)


# --- the workbook ---------------------------------------------------------------------------


@dataclass
class Cover:
    """What the cover sheet says, in the exporting user's language."""

    title: str
    form_line: str
    lines: list[str] = field(default_factory=list)


def cover_for(
    *,
    form: str,
    organisation: str,
    receiving: str,
    today: date,
    exported: int,
    anonymised: Anonymised | None,
    unmatched_nationalities: int,
    refused: int,
) -> Cover:
    if form == ExportForm.IDENTIFIED:
        form_line = gettext(
            "Identified form, for the transfer of case responsibility to %(receiving)s. Every "
            "row is covered by the person's consent to share the whole case file with them "
            "and by a confidentiality agreement."
        ) % {"receiving": receiving}
        record = gettext("Column A holds the case code of the sending organisation.")
    else:
        form_line = gettext(
            "De-identified form, for sharing with a data collaborative: no names, contacts, "
            "addresses, birth dates or case codes. Admission dates are shown as the first "
            "day of their quarter (or year)."
        )
        record = gettext(
            "Column A holds a random record id, valid for this export only: two exports "
            "cannot be joined by it."
        )
    lines = [
        gettext("Organisation: %(organisation)s") % {"organisation": organisation},
        gettext("Exported on: %(day)s") % {"day": f"{today:%Y-%m-%d}"},
        gettext("Rows: %(rows)d") % {"rows": exported},
        record,
    ]
    if refused:
        lines.append(
            ngettext(
                "%(count)d chosen case was left out: its consent or the confidentiality "
                "agreement does not cover this transfer.",
                "%(count)d chosen cases were left out: their consent or the confidentiality "
                "agreement does not cover this transfer.",
                refused,
            )
            % {"count": refused}
        )
    if anonymised is not None:
        lines.extend(anonymised.notes())
    if unmatched_nationalities:
        lines.append(
            gettext(
                "Citizenship is empty in %(count)d rows whose nationality matches no country "
                "of the standard's list."
            )
            % {"count": unmatched_nationalities}
        )
    lines += [
        gettext(
            "Values are the standard's own (its value lists); where the product has no "
            "equivalent the standard's 'Other' is used. The product's mapping page says how "
            "each field and value was mapped."
        ),
        gettext(
            "Human Trafficking Case Data Standard (HTCDS) v2.0 by IOM, licensed under CC BY "
            "4.0. Its use does not suggest that IOM endorses this product."
        ),
    ]
    return Cover(
        title=gettext("RESTRICTED: confidential case data. Not a document for the person."),
        form_line=form_line,
        lines=lines,
    )


def write_workbook(rows: Iterable[dict[str, Any]], cover: Cover) -> bytes:
    """The workbook: the cover sheet ("about") first, then the Case Sheet with the
    standard's names in row 1, its labels in row 2 and one row per case."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = cover.title
    workbook.properties.subject = cover.form_line
    workbook.properties.keywords = "RESTRICTED; HTCDS v2.0"
    workbook.properties.category = "RESTRICTED"
    workbook.properties.creator = ""
    about = workbook.create_sheet(COVER_SHEET_TITLE)
    about.column_dimensions["A"].width = 120
    about.append([_cell(about, cover.title, bold=True)])
    about.append([_cell(about, cover.form_line)])
    for line in cover.lines:
        about.append([_cell(about, line)])

    sheet = workbook.create_sheet(CASE_SHEET_TITLE)
    columns = v.columns()
    sheet.freeze_panes = "A3"
    sheet.append([_cell(sheet, column.name) if column.name else None for column in columns])
    sheet.append([_cell(sheet, column.label, bold=True) if column.label else None for column in columns])  # fmt: skip
    for row in rows:
        cells = sheet_row(row)
        values = [cells.get(column.name or RECORD) for column in columns]
        sheet.append([_cell(sheet, value) if value not in (None, "") else None for value in values])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


FILENAME = "case-sheet-{form}-{day:%Y%m%d}.xlsx"  # neutral: no organisation, name or topic
# The export log keeps English texts the catalogs translate (ExportLog.what_display).
EXPORT_LOG_WHAT = {
    ExportForm.DEIDENTIFIED: gettext_noop("HTCDS case sheet, de-identified"),
    ExportForm.IDENTIFIED: gettext_noop("HTCDS case sheet, identified, for a transfer"),
}
