"""Reading a filled HTCDS v2.0 toolkit workbook, safely: the rows of its Case Sheet.

An uploaded workbook is untrusted. Before openpyxl sees it, the zip is checked: its
declared uncompressed size (zipfile never yields more than it declares: a member that
inflates past its declared size fails its CRC), the number of members, and that no XML part
declares a DOCTYPE (entity expansion). Then it is opened read-only with `data_only=False`,
so a formula is seen as a formula: a cell holding one refuses the whole workbook, and the
formula is never evaluated, stored or written anywhere. Macros of the `.xlsm` variant are
never run (openpyxl does not run them, and `keep_vba=False` drops them on reading).

The multi-select variant's macro (the toolkit's Sheet1 `Worksheet_Change`) joins the values
picked in one cell with "; " — on reading, any ";" separates values and spaces around them
are ignored. A single-select cell holds one value and reads the same.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from . import vocabulary

# What the toolkit's multi-select macro puts between values (`Oldvalue & "; " & Newvalue`).
MULTI_SELECT_SEPARATOR = ";"

# Columns the toolkit's sheet names in row 1 (the standard's field names) with its own
# labels in row 2; the data starts in row 3. Column A holds the toolkit's row numbers and
# has no name.
NAME_ROW = 1
LABEL_ROW = 2
FIRST_DATA_ROW = 3

# Columns without which no row could open a file: the intake needs them, and the standard
# has them (what the standard lacks gets a default: see `exchange.importing`).
REQUIRED_COLUMNS = (
    vocabulary.FIRST_NAME,
    vocabulary.SECOND_NAME,
    vocabulary.GENDER,
    vocabulary.TRAFFICKING_STATUS,
)

_MAX_MEMBERS = 500
_ZIP_MAGIC = b"PK\x03\x04"


class WorkbookRefused(Exception):
    """The upload cannot be read as an HTCDS workbook; the message says why, to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class SheetRow:
    """One filled row of the Case Sheet: its row number in the workbook and its cells by name."""

    number: int
    cells: dict[str, Any] = field(default_factory=dict)


@dataclass
class CaseSheet:
    rows: list[SheetRow]
    columns: list[str]  # the standard's names found in row 1, in sheet order


def max_upload_bytes() -> int:
    return int(settings.HTCDS_IMPORT_MAX_BYTES)


def max_rows() -> int:
    return int(settings.HTCDS_IMPORT_MAX_ROWS)


def max_uncompressed_bytes() -> int:
    # A filled toolkit sheet inflates about ten times; allow far more, never unbounded.
    return 10 * max_upload_bytes()


def read_case_sheet(data: bytes) -> CaseSheet:
    """The filled rows of the workbook's Case Sheet, or WorkbookRefused saying why not."""
    if len(data) > max_upload_bytes():
        raise WorkbookRefused(too_big_message())
    _check_zip(data)
    import openpyxl  # imported here: only the import pages need it

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_vba=False, keep_links=False
        )
    except Exception:  # openpyxl raises many kinds on a damaged or foreign file
        raise WorkbookRefused(_not_a_workbook()) from None
    try:
        return _read(workbook)
    except WorkbookRefused:
        raise
    except Exception:  # a part that only fails when its rows are read
        raise WorkbookRefused(_not_a_workbook()) from None
    finally:
        workbook.close()


def too_big_message() -> str:
    return gettext(
        "The workbook is too large: at most %(mb)s MB. Split the caseload into several "
        "workbooks of at most %(rows)s cases each."
    ) % {"mb": f"{max_upload_bytes() / 1_000_000:g}", "rows": max_rows()}


def _not_a_workbook() -> str:
    return gettext(
        "This file is not an Excel workbook (.xlsx or .xlsm). Upload the HTCDS v2.0 "
        "spreadsheet itself, saved from Excel or LibreOffice."
    )


def _check_zip(data: bytes) -> None:
    """An xlsx is a zip: refuse what is not one, and what would inflate past the limit."""
    if not data.startswith(_ZIP_MAGIC):
        raise WorkbookRefused(_not_a_workbook())
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > _MAX_MEMBERS:
                raise WorkbookRefused(_not_a_workbook())
            if sum(member.file_size for member in members) > max_uncompressed_bytes():
                raise WorkbookRefused(too_big_message())
            names = {member.filename for member in members}
            if "xl/workbook.xml" not in names:
                raise WorkbookRefused(_not_a_workbook())
            for member in members:
                if member.filename.endswith((".xml", ".rels", ".vml")):
                    # Bounded by the size check above; a DOCTYPE has no place in Office XML.
                    head = archive.read(member)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise WorkbookRefused(_not_a_workbook())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError):
        raise WorkbookRefused(_not_a_workbook()) from None


def _read(workbook: Any) -> CaseSheet:
    sheet, names = _case_sheet(workbook)
    missing = [name for name in REQUIRED_COLUMNS if name not in names.values()]
    if missing:
        raise WorkbookRefused(
            gettext(
                "The sheet “%(sheet)s” lacks columns the import needs: %(columns)s. Use the "
                "HTCDS v2.0 spreadsheet with the standard's column names in row 1."
            )
            % {"sheet": sheet.title, "columns": ", ".join(missing)}
        )
    rows: list[SheetRow] = []
    formulas: list[str] = []
    for number, cells in _data_rows(sheet):
        values: dict[str, Any] = {}
        for index, cell in enumerate(cells):
            name = names.get(index)
            if name is None or cell is None:
                continue
            value = cell.value
            if _is_formula(cell) or (isinstance(value, str) and value.lstrip().startswith("=")):
                formulas.append(f"{cell.column_letter}{number}")
                continue
            if isinstance(value, str):
                value = value.strip()
            if value not in (None, ""):
                values[name] = value
        if values:
            rows.append(SheetRow(number=number, cells=values))
            if len(rows) > max_rows():
                raise WorkbookRefused(
                    gettext(
                        "The workbook has more than %(rows)s filled rows. Split the caseload "
                        "into several workbooks of at most %(rows)s cases each."
                    )
                    % {"rows": max_rows()}
                )
    if formulas:
        shown = ", ".join(formulas[:10]) + (" …" if len(formulas) > 10 else "")
        raise WorkbookRefused(
            gettext(
                "Cells with formulas are not accepted: %(cells)s. Replace each formula by its "
                "value (copy, then paste values only) and upload again. Nothing was imported."
            )
            % {"cells": shown}
        )
    return CaseSheet(rows=rows, columns=list(names.values()))


def _case_sheet(workbook: Any) -> tuple[Any, dict[int, str]]:
    """The sheet whose row 1 has the standard's names (the toolkit's "Case Sheet", or the
    only sheet of the blank toolkit), with its columns' names by position."""
    preferred = sorted(workbook.worksheets, key=lambda ws: ws.title != "Case Sheet")
    for sheet in preferred:
        if getattr(sheet, "sheet_state", "visible") != "visible" or not hasattr(sheet, "iter_rows"):
            continue
        header = list(sheet.iter_rows(min_row=NAME_ROW, max_row=LABEL_ROW, values_only=True))
        if not header:
            continue
        names_row = header[0]
        labels_row = header[1] if len(header) > 1 else ()
        names = _column_names(names_row, labels_row)
        if names:
            return sheet, names
    raise WorkbookRefused(
        gettext(
            "No sheet of this workbook is an HTCDS v2.0 Case Sheet: none has the standard's "
            "labels (First Name, Trafficking Status, …) in row 2 or its column names "
            "(prs_FirstName, vic_TraffickingStatus, …) in row 1."
        )
    )


def _column_names(names_row: tuple[Any, ...], labels_row: tuple[Any, ...]) -> dict[int, str]:
    """Each column's name by position. People fill the toolkit under its labels (row 2;
    row 1 is hidden there, and its mailing names are shifted against the labels): the
    label decides, the name in row 1 only where the label is missing or unknown."""
    known = set(vocabulary.column_names())
    names: dict[int, str] = {}
    for index in range(max(len(names_row), len(labels_row))):
        label = labels_row[index] if index < len(labels_row) else None
        name = names_row[index] if index < len(names_row) else None
        by_label = vocabulary.name_for_label(label) if isinstance(label, str) else None
        if by_label:
            names[index] = by_label
        elif isinstance(name, str) and name.strip() in known:
            names[index] = name.strip()
    return names


def _data_rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Each row below the labels with its number in the workbook (read from its cells:
    a read-only sheet may skip rows that hold nothing)."""
    number = FIRST_DATA_ROW - 1
    for cells in sheet.iter_rows(min_row=FIRST_DATA_ROW):
        number = next((cell.row for cell in cells if getattr(cell, "row", None)), number + 1)
        yield number, cells


def _is_formula(cell: Any) -> bool:
    """A formula cell; text starting with "=" counts too (a spreadsheet would evaluate it
    once the cell is edited, and it has no place in a case file)."""
    if getattr(cell, "data_type", None) == "f":
        return True
    value = getattr(cell, "value", None)
    # Array and data-table formulas come as objects, not as "=..." strings.
    return type(value).__name__ in {"ArrayFormula", "DataTableFormula"}


# --- Cell values ---------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text: numbers typed into text columns (a phone number) without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def cell_values(value: Any) -> list[str]:
    """A list cell's values: one, or several joined by the multi-select macro."""
    return [part.strip() for part in cell_text(value).split(MULTI_SELECT_SEPARATOR) if part.strip()]


def cell_date(value: Any) -> date | None:
    """A date cell (Excel stores dates as dates) or a date typed as text, YYYY-MM-DD.

    Raises ValueError for anything else: day-month order in text is ambiguous."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(cell_text(value)[:10])


DATE_HELP = gettext_lazy("a date (a date cell, or text as YYYY-MM-DD)")
