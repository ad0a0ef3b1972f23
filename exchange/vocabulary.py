"""The HTCDS v2.0 vocabulary: the Case Sheet's columns, the toolkit's value lists, and how
the product's own values map to them (and back, for the import).

Everything the standard itself defines is read from the workbooks shipped in
``exchange/htcds/`` (never copied by hand), so the export and the import cannot drift
from the toolkit a frontline organisation actually uses.

How the Case Sheet's quirks are handled (the export writes, and the import reads, this way):

- Column A has no name and no label; in the toolkit it holds a row number. It keeps its
  place (so that every column lines up with the toolkit's own, and its drop-downs apply if
  rows are pasted into it); our exports put a record id there (a random one in the
  de-identified form, the case code in the identified one), explained on the cover sheet.
- The five "Mailing ..." columns: the names in row 1 (hidden in the toolkit) are in one
  order (City, Country, State, Street, PostalCode), the labels in row 2 in another
  (Street, City, State/Province, Zip/Postal Code, Country). We keep the sheet's order of
  the *names* and give each name its own label (prs_MailingCity is "Mailing City"), so a
  name and the label under it always mean the same thing. A hand-filled toolkit sheet
  follows the labels (row 1 is hidden there): read it by label, see `name_for_label`.
- "Reason for Outgoing Referral" (column AJ) has a label and a value list but no name;
  we name it ``cas_ReasonForOutgoingReferral``, like its incoming counterpart
  ``cas_ReasonForIncomingReferral``, and write that name in row 1.
- ``vic_TraffickinStatusDecisionMakingOrg`` is misspelt in the standard; it is its name,
  so we keep it. The value "Debt bondage " ends in a space in the toolkit's list; values
  are kept exactly as listed.
- The validated workbook has one more, empty, column (AN) after the last field; the blank
  workbook stops at AM. We stop at AM.
- Multi-valued fields (types of exploitation, forced labour industries) are joined with
  "; ", as the toolkit's multi-select workbook does; each part is a listed value. Some
  listed industries contain "; " themselves: split cells with `split_multi_value`.
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from xml.etree import ElementTree

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from cases.choices import (
    CaseStatus,
    ClosureReason,
    ExploitationForm,
    IdentificationStatus,
    ReferralSource,
    Sex,
)

from .nationalities import COUNTRY_ALIASES, DEMONYMS

if TYPE_CHECKING:  # django-stubs-ext is a development tool, not installed in production
    from django_stubs_ext import StrOrPromise

HTCDS_DIR = Path(__file__).resolve().parent / "htcds"
BLANK_WORKBOOK = HTCDS_DIR / "htcds-v2.0.xlsx"
VALIDATED_WORKBOOK = HTCDS_DIR / "htcds-v2.0-single-select-with-validation.xlsx"
MULTI_SELECT_WORKBOOK = HTCDS_DIR / "htcds-v2.0-multi-select-with-validation.xlsm"

VERSION = "2.0"
CASE_SHEET = "Case Sheet"
VALIDATION_SHEET = "validation"
FIRST_DATA_ROW = 3  # row 1: names, row 2: labels
MULTI_VALUE_SEPARATOR = "; "  # as the toolkit's multi-select macro joins its choices

# The columns' names (row 1 of the Case Sheet) the export fills.
CASE_OWNER = "cas_CaseOwner"
FIRST_NAME = "prs_FirstName"
SECOND_NAME = "prs_SecondName"
CONSENT = "con_Consent"
BIRTHDATE = "prs_Birthdate"
GENDER = "prs_Gender"
CITIZENSHIP = "prs_Citizenship"
EMAIL = "prs_Email"
HOME_PHONE = "prs_HomePhone"
MOBILE_PHONE = "prs_MobilePhone"
MAILING_STREET = "prs_MailingStreet"
MAILING_CITY = "prs_MailingCity"
MAILING_STATE = "prs_MailingState"
MAILING_POSTAL_CODE = "prs_MailingPostalCode"
MAILING_COUNTRY = "prs_MailingCountry"
TRAFFICKING_STATUS = "vic_TraffickingStatus"
TYPE_OF_EXPLOITATION = "vic_TypeOfExploitation"
FORCED_LABOUR_INDUSTRY = "vic_ForcedLabourIndustry"
STATUS = "cas_Status"
REFERRING_ORGANISATION = "cas_ReferringOrganisation"
INCOMING_REFERRAL_DATE = "cas_IncomingReferralDate"
INCOMING_REFERRAL_DETAILS = "cas_IncomingReferralDetails"
REFERRED_ORGANISATION = "cas_ReferredOrganisation"
REASON_FOR_OUTGOING_REFERRAL = "cas_ReasonForOutgoingReferral"  # unnamed in the sheet
OUTGOING_REFERRAL_DATE = "cas_OutgoingReferralDate"
OUTGOING_REFERRAL_DETAILS = "cas_OutgoingReferralDetails"
REASON_FOR_CASE_CLOSURE = "cas_ReasonForCaseClosure"

# Each "Mailing ..." name with the label that means it (the sheet's labels are shifted).
_MAILING_LABELS = {
    MAILING_STREET: "Mailing Street",
    MAILING_CITY: "Mailing City",
    MAILING_STATE: "Mailing State/Province",
    MAILING_POSTAL_CODE: "Mailing Zip/Postal Code",
    MAILING_COUNTRY: "Mailing Country",
}
_UNNAMED_LABELS = {"Reason for Outgoing Referral": REASON_FOR_OUTGOING_REFERRAL}
DATE_COLUMNS = frozenset({BIRTHDATE, INCOMING_REFERRAL_DATE, OUTGOING_REFERRAL_DATE})
MULTI_VALUE_COLUMNS = frozenset({TYPE_OF_EXPLOITATION, FORCED_LABOUR_INDUSTRY})


class Column(NamedTuple):
    name: str  # the standard's name, row 1 ("" for column A)
    label: str  # the standard's label, row 2 ("" for column A)
    letter: str  # where the toolkit's Case Sheet has it


@functools.cache
def columns() -> tuple[Column, ...]:
    """The Case Sheet's columns in the sheet's order, read from the blank workbook, with
    the quirks resolved as the module text says."""
    workbook = load_workbook(BLANK_WORKBOOK, read_only=True)
    try:
        names, labels = workbook.active.iter_rows(min_row=1, max_row=2, values_only=True)
    finally:
        workbook.close()
    result = []
    for index, (raw_name, raw_label) in enumerate(zip(names, labels, strict=True), start=1):
        name, label = (raw_name or "").strip(), (raw_label or "").strip()
        if not name and label:
            name = _UNNAMED_LABELS[label]  # a new unnamed column: fail loudly, decide anew
        label = _MAILING_LABELS.get(name, label)
        result.append(Column(name, label, get_column_letter(index)))
    while result and not result[-1].name:
        result.pop()
    return tuple(result)


# Read once, when the module is first imported (about 30 ms); a constant, so that mypy
# knows it and a misspelt attribute of this module is an error, not a silent lookup.
COLUMNS: tuple[Column, ...] = columns()


def column_names() -> list[str]:
    return [column.name for column in columns() if column.name]


@functools.cache
def _names_by_label() -> dict[str, str]:
    return {column.label.casefold(): column.name for column in columns() if column.name}


def name_for_label(label: str) -> str | None:
    """The column name a row-2 label stands for (case and spaces ignored): how to read a
    hand-filled toolkit sheet, whose row of names is hidden and whose mailing names are
    shifted against the labels."""
    return _names_by_label().get(" ".join(str(label).split()).casefold())


# --- the value lists -----------------------------------------------------------------

_NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pkgrel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "x14": "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main",
    "xm": "http://schemas.microsoft.com/office/excel/2006/main",
}
_LIST_RANGE = re.compile(
    r"^'?(?P<sheet>[^'!]+)'?!\$?(?P<col>[A-Z]+)\$?(?P<first>\d+):\$?[A-Z]+\$?(?P<last>\d+)$"
)


# The XML parsed here is only ever the workbook shipped in this repository, never an upload.
def _case_sheet_xml(archive: zipfile.ZipFile) -> bytes:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    for sheet in workbook.iterfind("main:sheets/main:sheet", _NS):
        if sheet.get("name") == CASE_SHEET:
            relation_id = sheet.get(f"{{{_NS['rel']}}}id")
            for relation in relations.iterfind("pkgrel:Relationship", _NS):
                if relation.get("Id") == relation_id:
                    return archive.read("xl/" + str(relation.get("Target")).lstrip("/"))
    raise LookupError(f"no {CASE_SHEET!r} sheet in {VALIDATED_WORKBOOK.name}")


@functools.cache
def _value_lists() -> tuple[tuple[str, tuple[str, ...]], ...]:
    # The Case Sheet's drop-downs are Excel 2010 "x14" data validations (which openpyxl
    # does not read) pointing at ranges of the validation sheet, e.g. validation!$B$4:$B$9
    # for column H: follow each pointer rather than guessing by the lists' titles.
    with zipfile.ZipFile(VALIDATED_WORKBOOK) as archive:
        sheet = ElementTree.fromstring(_case_sheet_xml(archive))  # noqa: S314
    pointers: list[tuple[str, str, int, int]] = []
    for validation in sheet.iter(f"{{{_NS['x14']}}}dataValidation"):
        if validation.get("type") != "list":
            continue
        formula = validation.findtext("x14:formula1/xm:f", default="", namespaces=_NS)
        target = validation.findtext("xm:sqref", default="", namespaces=_NS)
        match = _LIST_RANGE.match(formula.strip())
        if not match:
            continue
        for area in target.split():
            if found := re.match(r"[A-Z]+", area):
                pointers.append(
                    (found.group(), match["col"], int(match["first"]), int(match["last"]))
                )
    by_letter = {column.letter: column.name for column in columns() if column.name}
    workbook = load_workbook(VALIDATED_WORKBOOK, read_only=True)
    try:
        lists = workbook[VALIDATION_SHEET]
        result = []
        for letter, source, first, last in pointers:
            index = column_index_from_string(source)
            cells = lists.iter_rows(
                min_row=first, max_row=last, min_col=index, max_col=index, values_only=True
            )
            values = tuple(str(value) for (value,) in cells if value not in (None, ""))
            result.append((by_letter[letter], values))
    finally:
        workbook.close()
    return tuple(result)


def value_lists() -> dict[str, list[str]]:
    """Column name -> the values the toolkit allows there, exactly as listed (a fresh copy)."""
    return {name: list(values) for name, values in _value_lists()}


@functools.cache
def countries() -> dict[str, str]:
    """ISO 3166 alpha-2 code -> the country name of the toolkit's list."""
    workbook = load_workbook(VALIDATED_WORKBOOK, read_only=True)
    try:
        rows = list(workbook[VALIDATION_SHEET].iter_rows(min_row=3, values_only=True))
    finally:
        workbook.close()
    titles = [str(title or "") for title in rows[0]]
    code_at, name_at = titles.index("Country Code"), titles.index("Country")
    return {
        str(row[code_at]): str(row[name_at]) for row in rows[1:] if row[code_at] and row[name_at]
    }


def split_multi_value(column: str, cell: str) -> list[str] | None:
    """The listed values a multi-select cell holds, or None if it is not made of them.

    Some listed values contain the separator themselves ("Water supply; sewerage, ..."),
    so a cell is split by matching whole listed values, not by splitting on "; "."""
    listed = sorted(set(dict(_value_lists()).get(column, ())), key=len, reverse=True)

    @functools.cache
    def parse(start: int) -> tuple[str, ...] | None:
        if start == len(cell):
            return ()
        for value in listed:
            end = start + len(value)
            if cell.startswith(value, start) and (
                end == len(cell) or cell.startswith(MULTI_VALUE_SEPARATOR, end)
            ):
                rest = parse(end + len(MULTI_VALUE_SEPARATOR) if end < len(cell) else end)
                if rest is not None:
                    return (value, *rest)
        return None

    found = parse(0) if cell else ()
    return list(found) if found is not None else None


def allowed(column: str, value: str) -> bool:
    """Whether a cell value is one the toolkit accepts (each part, for multi-value cells)."""
    if value in ("", None):
        return True
    lists = dict(_value_lists())
    if column not in lists:
        return True  # a free-text column
    if column in MULTI_VALUE_COLUMNS:
        return split_multi_value(column, value) is not None
    return value in lists[column]


# --- the product's values -> HTCDS -------------------------------------------------------


def english(label: StrOrPromise) -> str:
    """A product label in English: the standard's free-text columns are read in English."""
    with translation.override("en"):
        return str(label)


@dataclass(frozen=True)
class FieldMap:
    """How one product field fills one HTCDS column, value by value."""

    product_field: str
    product_label: StrOrPromise
    column: str
    values: Mapping[str, str]  # product value -> HTCDS value ("" = left empty)
    notes: Mapping[str, StrOrPromise] = field(default_factory=dict)  # why, where not 1:1
    # For the import: which product value an HTCDS value comes back as, where several
    # product values share one HTCDS value or none maps to it.
    preferred: Mapping[str, str] = field(default_factory=dict)
    fallback: str = ""  # product value for an HTCDS value nothing maps to

    def to_htcds(self, value: str) -> str:
        return self.values[value]

    def inverse(self) -> dict[str, str]:
        """HTCDS value -> product value, for every value of the column's list (free-text
        columns: for every value the export writes)."""
        listed = value_lists().get(self.column) or sorted(set(self.values.values()) - {""})
        result = {}
        for htcds in listed:
            candidates = [product for product, mapped in self.values.items() if mapped == htcds]
            chosen = self.preferred.get(htcds) or (candidates[0] if candidates else self.fallback)
            if chosen:
                result[htcds] = chosen
        return result


GENDER_FROM_SEX = FieldMap(
    product_field="sex",
    product_label=_("Sex"),
    column=GENDER,
    values={
        Sex.FEMALE: "Feminine",
        Sex.MALE: "Masculine",
        Sex.INTERSEX: "NonSpecifiedUnknown",
        Sex.NOT_STATED: "NonSpecifiedUnknown",
    },
    notes={
        Sex.INTERSEX: _(
            "The standard records gender, not sex, and its list has neither an intersex "
            "value nor an 'Other'; the nearest honest value is 'not specified'."
        ),
    },
    preferred={"NonSpecifiedUnknown": Sex.NOT_STATED},
    # Transgender and non-conforming genders: the product records sex, which they do not
    # state; the gender itself belongs in the free-text gender identity.
    fallback=Sex.NOT_STATED,
)

TRAFFICKING_STATUS_FROM_IDENTIFICATION = FieldMap(
    product_field="identification_status",
    product_label=_("Identification status"),
    column=TRAFFICKING_STATUS,
    values={
        IdentificationStatus.FORMAL: "Actual victim of trafficking",
        IdentificationStatus.PRESUMED: "Possible victim of trafficking",
        IdentificationStatus.NOT_IDENTIFIED: "Possible victim of trafficking",
    },
    notes={
        IdentificationStatus.NOT_IDENTIFIED: _(
            "'Not identified' means no authority has identified the person yet, not that "
            "they were found not to be a victim; the standard calls this a possible victim."
        ),
    },
    preferred={"Possible victim of trafficking": IdentificationStatus.PRESUMED},
    fallback=IdentificationStatus.NOT_IDENTIFIED,
)

# "Follow up" and "Closed Referred" have no product status of their own: a case closed
# because it moved or was transferred is closed for the product, whatever came next.
STATUS_FROM_CASE_STATUS = FieldMap(
    product_field="status",
    product_label=_("Status"),
    column=STATUS,
    values={CaseStatus.ACTIVE: "Active", CaseStatus.CLOSED: "Closed"},
    preferred={"Closed Referred": CaseStatus.CLOSED, "Follow up": CaseStatus.ACTIVE},
)

_FORCED_LABOUR = "Forced labour"
EXPLOITATION_TYPE_FROM_FORMS = FieldMap(
    product_field="exploitation_forms",
    product_label=_("Forms of exploitation"),
    column=TYPE_OF_EXPLOITATION,
    values={
        ExploitationForm.SEXUAL: "Sexual exploitation",
        ExploitationForm.LABOUR_DOMESTIC: _FORCED_LABOUR,
        ExploitationForm.LABOUR_AGRICULTURE: _FORCED_LABOUR,
        ExploitationForm.LABOUR_CONSTRUCTION: _FORCED_LABOUR,
        ExploitationForm.LABOUR_FACTORY: _FORCED_LABOUR,
        ExploitationForm.LABOUR_FISHING: _FORCED_LABOUR,
        ExploitationForm.LABOUR_OTHER: _FORCED_LABOUR,
        ExploitationForm.CRIMINAL: "Other",
        ExploitationForm.BEGGING: "Forced begging",
        ExploitationForm.MARRIAGE: "Forced marriage",
        ExploitationForm.SERVITUDE: "Servitude",
        ExploitationForm.OTHER: "Other",
    },
    notes={
        ExploitationForm.CRIMINAL: _(
            "The standard has no type for forced criminal activity: exported as 'Other'."
        ),
        ExploitationForm.BEGGING: _(
            "Forced street selling is counted with forced begging in the product; the "
            "standard has only forced begging."
        ),
        ExploitationForm.LABOUR_OTHER: _(
            "Forced labour in a sector the product does not name: the industry is left empty."
        ),
    },
    preferred={_FORCED_LABOUR: ExploitationForm.LABOUR_OTHER, "Other": ExploitationForm.OTHER},
    # Child labour, forced military service, organ removal, forced adoption, surrogacy:
    # no product form of their own.
    fallback=ExploitationForm.OTHER,
)

_HOUSEHOLDS = (
    "Activities of households as employers; undifferentiated goods- and services- "
    "producing activities of households for own use"
)
FORCED_LABOUR_INDUSTRY_FROM_FORMS = FieldMap(
    product_field="exploitation_forms",
    product_label=_("Forms of exploitation"),
    column=FORCED_LABOUR_INDUSTRY,
    values={
        ExploitationForm.SEXUAL: "",
        ExploitationForm.LABOUR_DOMESTIC: _HOUSEHOLDS,
        ExploitationForm.LABOUR_AGRICULTURE: "Agriculture, forestry and fishing",
        ExploitationForm.LABOUR_CONSTRUCTION: "Construction",
        ExploitationForm.LABOUR_FACTORY: "Manufacturing",
        ExploitationForm.LABOUR_FISHING: "Agriculture, forestry and fishing",
        ExploitationForm.LABOUR_OTHER: "",
        ExploitationForm.CRIMINAL: "",
        ExploitationForm.BEGGING: "",
        ExploitationForm.MARRIAGE: "",
        ExploitationForm.SERVITUDE: "",
        ExploitationForm.OTHER: "",
    },
    notes={
        ExploitationForm.LABOUR_FISHING: _(
            "The standard's first-level industries put fishing with agriculture and "
            "forestry; on import that industry comes back as agriculture."
        ),
    },
    preferred={"Agriculture, forestry and fishing": ExploitationForm.LABOUR_AGRICULTURE},
    fallback=ExploitationForm.LABOUR_OTHER,
)


def exploitation_cells(forms: Iterable[str]) -> tuple[str, str]:
    """(vic_TypeOfExploitation, vic_ForcedLabourIndustry) for a case's forms: each value
    once, in the toolkit's list order, joined as the multi-select toolkit joins them."""
    forms = list(forms)
    cells = []
    for field_map in (EXPLOITATION_TYPE_FROM_FORMS, FORCED_LABOUR_INDUSTRY_FROM_FORMS):
        wanted = {field_map.values[form] for form in forms} - {""}
        order = value_lists()[field_map.column]
        cells.append(MULTI_VALUE_SEPARATOR.join(value for value in order if value in wanted))
    return cells[0], cells[1]


def forms_from_cells(types: Sequence[str], industries: Sequence[str]) -> list[str]:
    """The inverse of `exploitation_cells`, for the import: product forms in their order.
    Forced labour becomes one form per named industry, or 'other sector' without one."""
    type_inverse = EXPLOITATION_TYPE_FROM_FORMS.inverse()
    industry_inverse = FORCED_LABOUR_INDUSTRY_FROM_FORMS.inverse()
    forms: set[str] = set()
    for value in types:
        if value == _FORCED_LABOUR:
            named = [industry_inverse[i] for i in industries if i in industry_inverse]
            forms.update(named or [ExploitationForm.LABOUR_OTHER])
        elif value in type_inverse:
            forms.add(type_inverse[value])
    return [form for form in ExploitationForm.values if form in forms]


class EnglishLabels(Mapping[str, str]):
    """Product value -> its label in English, worked out when first read (translations
    cannot be used while Django is still loading the apps)."""

    def __init__(self, choices: type[models.TextChoices]) -> None:
        self.choices = choices

    def __getitem__(self, value: str) -> str:
        return english(self.choices(value).label)

    def __iter__(self) -> Iterator[str]:
        return iter(self.choices.values)

    def __len__(self) -> int:
        return len(self.choices.values)


# Free-text columns: the product's label, in English.
CLOSURE_REASON_TEXT = FieldMap(
    product_field="closure_reason",
    product_label=_("Reason for closing"),
    column=REASON_FOR_CASE_CLOSURE,
    values=EnglishLabels(ClosureReason),
)
REFERRAL_SOURCE_TEXT = FieldMap(
    product_field="referral_source",
    product_label=_("Referral source"),
    column=REFERRING_ORGANISATION,
    values=EnglishLabels(ReferralSource),
    notes={
        ReferralSource.SELF: _(
            "The standard expects an organisation; a self-referral is written as such."
        ),
    },
)

FIELD_MAPS: tuple[FieldMap, ...] = (
    GENDER_FROM_SEX,
    TRAFFICKING_STATUS_FROM_IDENTIFICATION,
    EXPLOITATION_TYPE_FROM_FORMS,
    FORCED_LABOUR_INDUSTRY_FROM_FORMS,
    STATUS_FROM_CASE_STATUS,
    CLOSURE_REASON_TEXT,
    REFERRAL_SOURCE_TEXT,
)

# The outgoing-referral reason of a transfer (the product records none of its own).
TRANSFER_REASON = "Other"
TRANSFER_REASON_NOTE = _(
    "The product does not record why a case is transferred in the standard's terms: the "
    "reason is 'Other', and the transfer's own reason goes in the details."
)


# --- nationality -> the list's country names --------------------------------------------

NATIONALITY_NOTE = _(
    "Nationality is free text in the product: it is matched to the list's country by "
    "country name, ISO code or the usual word for the nationality ('Albanian'); of "
    "several nationalities ('Indonesian, Malaysian'), the first that matches; what "
    "matches no country is left empty and counted on the cover sheet (Kosovo, for one, "
    "is not on the toolkit's list, which follows ISO 3166)."
)


@functools.cache
def _country_lookup() -> dict[str, str]:
    lookup = {name.casefold(): name for name in countries().values()}
    lookup.update({code.casefold(): name for code, name in countries().items()})
    lookup.update(COUNTRY_ALIASES)
    lookup.update(DEMONYMS)
    return lookup


def country_for_nationality(nationality: str) -> str | None:
    """The toolkit's country name for a free-text nationality, or None if none matches.
    Of several ("Indonesian, Malaysian"), the first that matches: the Case Sheet has room
    for one citizenship."""
    for text in [nationality, *re.split(r"[,;/]| and ", nationality)]:
        key = " ".join(text.replace("-", " ").split()).casefold()
        if key and (country := _country_lookup().get(key)):
            return country
    return None
