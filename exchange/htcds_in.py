"""An HTCDS v2.0 Case Sheet row as the intake's profile, checked as the intake checks it.

The inverse of the export's value maps (`exchange.vocabulary`): each HTCDS value comes back
as the product value the vocabulary names for it. The workbook itself is read, with its
hostile-upload checks, by `exchange.htcds_read`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext

from cases.choices import Accommodation, CaseStatus, ReferralSource, RiskLevel
from cases.models import Beneficiary
from cases.services import check_profile_dates

from . import vocabulary
from .htcds_read import DATE_HELP, SheetRow, cell_date, cell_text, cell_values

# --- A row as the intake's profile ------------------------------------------------------

# What the intake needs and the standard has no field for: the value an imported file
# starts with, for its team to correct (the dry run says so).
DEFAULT_ACCOMMODATION = Accommodation.OTHER
DEFAULT_SECURITY_RISK = RiskLevel.UNKNOWN  # "not assessed yet"
DEFAULT_REFERRAL_SOURCE = ReferralSource.OTHER


def defaults_shown() -> list[tuple[str, str]]:
    """What imported files start with where the standard has nothing, for the dry run."""
    return [
        (_field_label("accommodation"), str(DEFAULT_ACCOMMODATION.label)),
        (_field_label("security_risk"), str(DEFAULT_SECURITY_RISK.label)),
        (
            _field_label("referral_source"),
            gettext(
                "%(default)s where the Referring Organisation is not one of the product's "
                "referral sources; its text then goes to the referral details"
            )
            % {"default": DEFAULT_REFERRAL_SOURCE.label},
        ),
        (
            _field_label("admitted_on"),
            gettext("the Incoming Referral Date; today where it is empty"),
        ),
    ]


# The standard's columns the import reads; every other column is listed on the dry run as
# not carried over (the product has no field for it, or it describes a later step).
IMPORTED_COLUMNS = (
    vocabulary.FIRST_NAME,
    vocabulary.SECOND_NAME,
    vocabulary.BIRTHDATE,
    vocabulary.GENDER,
    vocabulary.CITIZENSHIP,
    vocabulary.HOME_PHONE,
    vocabulary.MOBILE_PHONE,
    vocabulary.MAILING_STREET,
    vocabulary.MAILING_CITY,
    vocabulary.MAILING_STATE,
    vocabulary.MAILING_POSTAL_CODE,
    vocabulary.MAILING_COUNTRY,
    vocabulary.TRAFFICKING_STATUS,
    vocabulary.TYPE_OF_EXPLOITATION,
    vocabulary.FORCED_LABOUR_INDUSTRY,
    vocabulary.STATUS,
    vocabulary.REFERRING_ORGANISATION,
    vocabulary.INCOMING_REFERRAL_DATE,
    vocabulary.INCOMING_REFERRAL_DETAILS,
)
_ADDRESS_COLUMNS = (
    vocabulary.MAILING_STREET,
    vocabulary.MAILING_CITY,
    vocabulary.MAILING_STATE,
    vocabulary.MAILING_POSTAL_CODE,
    vocabulary.MAILING_COUNTRY,
)
# Genders the product's sex field cannot say: kept, as the standard writes them, in the
# free-text gender identity.
_GENDERS_KEPT_AS_IDENTITY = {"TransgenderFeminine", "TransgenderMasculine", "NonConforming"}


@dataclass
class MappedRow:
    """A Case Sheet row as the intake's profile, or the problems that keep it out."""

    number: int
    profile: dict[str, Any]
    problems: list[str]

    @property
    def initials(self) -> str:
        """Enough to find the row again in one's own workbook, without a name on screen."""
        names = (self.profile.get("first_name", ""), self.profile.get("last_name", ""))
        return " ".join(f"{name[0]}." for name in names if name)


def label_of(column: str) -> str:
    return next((c.label for c in vocabulary.columns() if c.name == column), column)


@functools.cache
def _listed(column: str) -> dict[str, str]:
    """The column's listed values by a lenient key (case and spacing ignored)."""
    return {_key(value): value for value in vocabulary.value_lists().get(column, [])}


def _key(value: str) -> str:
    return " ".join(value.split()).casefold()


def split_listed(column: str, value: Any) -> tuple[list[str], list[str]]:
    """A list cell's values as the standard lists them, and the parts that are none.

    Values are separated by ";" (the multi-select macro's "; "), but a few listed values
    hold a "; " themselves ("Water supply; sewerage, waste management and remediation"):
    the longest run of parts that is a listed value is taken first.
    """
    parts = cell_values(value)
    listed = _listed(column)
    found: list[str] = []
    unknown: list[str] = []
    start = 0
    while start < len(parts):
        for end in range(len(parts), start, -1):
            match = listed.get(_key("; ".join(parts[start:end])))
            if match is not None:
                found.append(match)
                start = end
                break
        else:
            unknown.append(parts[start])
            start += 1
    return found, unknown


def map_row(row: SheetRow, *, today: date) -> MappedRow:
    """What the intake would be given for this row, checked as the intake checks it."""
    mapped = MappedRow(number=row.number, profile={}, problems=[])
    reader = _RowReader(row.cells, mapped.problems)
    profile = mapped.profile
    for column, field_name in (
        (vocabulary.FIRST_NAME, "first_name"),
        (vocabulary.SECOND_NAME, "last_name"),
    ):
        profile[field_name] = reader.text(column, required=True)
    profile["date_of_birth"] = reader.date(vocabulary.BIRTHDATE)
    gender = reader.one_listed(vocabulary.GENDER, required=True)
    if gender:
        profile["sex"] = vocabulary.GENDER_FROM_SEX.inverse()[gender]
        if gender in _GENDERS_KEPT_AS_IDENTITY:
            profile["gender_identity"] = gender
    countries = [
        reader.country(value) for value in cell_values(row.cells.get(vocabulary.CITIZENSHIP))
    ]
    profile["nationality"] = ", ".join(country for country in countries if country)
    phones = [reader.text(vocabulary.MOBILE_PHONE), reader.text(vocabulary.HOME_PHONE)]
    profile["phone"] = ", ".join(dict.fromkeys(phone for phone in phones if phone))
    profile["address"] = ", ".join(
        text for text in (reader.text(column) for column in _ADDRESS_COLUMNS) if text
    )
    status = reader.one_listed(vocabulary.TRAFFICKING_STATUS, required=True)
    if status:
        profile["identification_status"] = (
            vocabulary.TRAFFICKING_STATUS_FROM_IDENTIFICATION.inverse()[status]
        )
    types = reader.listed(vocabulary.TYPE_OF_EXPLOITATION)
    industries = reader.listed(vocabulary.FORCED_LABOUR_INDUSTRY)
    profile["exploitation_forms"] = vocabulary.forms_from_cells(types, industries)
    case_status = reader.one_listed(vocabulary.STATUS)
    if (
        case_status
        and vocabulary.STATUS_FROM_CASE_STATUS.inverse()[case_status] != CaseStatus.ACTIVE
    ):
        mapped.problems.append(
            gettext(
                "%(column)s is “%(value)s”: the import opens active files only. Register a "
                "closed case by hand, or import it as Active and close it in the product."
            )
            % {"column": label_of(vocabulary.STATUS), "value": case_status}
        )
    profile.update(_referral(reader))
    profile["admitted_on"] = reader.date(vocabulary.INCOMING_REFERRAL_DATE) or today
    profile["accommodation"] = DEFAULT_ACCOMMODATION
    profile["security_risk"] = DEFAULT_SECURITY_RISK
    if not mapped.problems:
        mapped.problems.extend(_intake_problems(profile))
    return mapped


def _referral(reader: _RowReader) -> dict[str, Any]:
    """The referral source from the referring organisation (the export writes the product's
    source there, in English); any other text is kept in the referral details."""
    written = reader.text(vocabulary.REFERRING_ORGANISATION)
    sources = {
        _key(text): value for text, value in vocabulary.REFERRAL_SOURCE_TEXT.inverse().items()
    }
    source = sources.get(_key(written)) if written else None
    details = [
        written if written and source is None else "",
        reader.text(vocabulary.INCOMING_REFERRAL_DETAILS),
    ]
    return {
        "referral_source": source or DEFAULT_REFERRAL_SOURCE,
        "referral_details": "; ".join(text for text in details if text),
    }


def _intake_problems(profile: dict[str, Any]) -> list[str]:
    """The intake's own checks (dates, lengths, choices), without touching the database."""
    problems: list[str] = []
    try:
        check_profile_dates(profile)
        Beneficiary(**profile).clean_fields(exclude=_NOT_FROM_THE_ROW)
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            if field_name == NON_FIELD_ERRORS:
                problems.extend(messages)
            else:
                label = _field_label(field_name)
                problems.extend(f"{label}: {message}" for message in messages)
    return problems


def _field_label(name: str) -> str:
    return capfirst(str(getattr(Beneficiary._meta.get_field(name), "verbose_name", name)))


_NOT_FROM_THE_ROW = [
    "organisation",
    "case_code",
    "stage",
    "stage_since",
    "status",
    "created_by",
    "anonymised_on",
    "anonymised_by",
    "public_id",
]


class _RowReader:
    """Reads a row's cells by column name, noting each problem in words for the dry run."""

    def __init__(self, cells: dict[str, Any], problems: list[str]) -> None:
        self.cells = cells
        self.problems = problems

    def text(self, column: str, *, required: bool = False) -> str:
        text = cell_text(self.cells.get(column))
        if required and not text:
            self.missing(column)
        return text

    def missing(self, column: str) -> None:
        self.problems.append(
            gettext("%(column)s is empty: the intake needs it.") % {"column": label_of(column)}
        )

    def date(self, column: str) -> date | None:
        value = self.cells.get(column)
        try:
            return cell_date(value)
        except (TypeError, ValueError):
            self.problems.append(
                gettext("%(column)s: “%(value)s” is not %(what)s.")
                % {"column": label_of(column), "value": cell_text(value), "what": DATE_HELP}
            )
            return None

    def listed(self, column: str) -> list[str]:
        """The cell's values, each as the standard lists it; an unknown one is a problem."""
        found, unknown = split_listed(column, self.cells.get(column))
        for value in unknown:
            self.unknown(column, value)
        return found

    def one_listed(self, column: str, *, required: bool = False) -> str:
        found = self.listed(column)
        if not found and not cell_text(self.cells.get(column)):
            if required:
                self.missing(column)
            return ""
        if len(found) > 1:
            self.problems.append(
                gettext("%(column)s takes one value; the row has “%(value)s”.")
                % {"column": label_of(column), "value": cell_text(self.cells.get(column))}
            )
            return ""
        return found[0] if found else ""

    def country(self, value: str) -> str:
        country = vocabulary.country_for_nationality(value)
        if country is None:
            self.unknown(vocabulary.CITIZENSHIP, value)
            return ""
        return country

    def unknown(self, column: str, value: str) -> None:
        self.problems.append(
            gettext("%(column)s: “%(value)s” is not a value of the standard's list.")
            % {"column": label_of(column), "value": value}
        )
