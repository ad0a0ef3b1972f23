"""The written mapping of the HTCDS export: for every product field exported, which HTCDS
column it fills, in which form, and how each value maps. Shown on the mapping page; the
README's table is a summary of the same."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from cases.choices import (
    CaseStatus,
    ClosureReason,
    ExploitationForm,
    IdentificationStatus,
    ReferralSource,
    Sex,
)

from . import vocabulary as v

if TYPE_CHECKING:
    from django.db.models import TextChoices
    from django_stubs_ext import StrOrPromise

BOTH = _("both forms")
IDENTIFIED = _("identified form only")


@dataclass(frozen=True)
class ValueRow:
    product: StrOrPromise
    htcds: str
    note: StrOrPromise = ""


@dataclass(frozen=True)
class FieldRow:
    product: StrOrPromise
    column: str  # the standard's name ("" for column A)
    forms: StrOrPromise
    how: StrOrPromise
    values: list[ValueRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return next((c.label for c in v.columns() if c.name == self.column and c.name), "")


def _values(field_map: v.FieldMap, choices: type[TextChoices]) -> list[ValueRow]:
    return [
        ValueRow(
            choices(value).label,
            field_map.values[value] or "—",
            field_map.notes.get(value, ""),
        )
        for value in choices.values
    ]


def written_mapping() -> list[FieldRow]:
    exploitation = [
        ValueRow(
            row.product,
            row.htcds
            + (
                f" + {industry}"
                if (industry := v.FORCED_LABOUR_INDUSTRY_FROM_FORMS.values[value])
                else ""
            ),
            row.note or v.FORCED_LABOUR_INDUSTRY_FROM_FORMS.notes.get(value, ""),
        )
        for row, value in zip(
            _values(v.EXPLOITATION_TYPE_FROM_FORMS, ExploitationForm),
            ExploitationForm.values,
            strict=True,
        )
    ]
    return [
        FieldRow(
            _("Case code"),
            "",
            BOTH,
            _(
                "Column A, which the standard leaves without a name: the case code in the "
                "identified form, a random id valid for one export in the de-identified form."
            ),
        ),
        FieldRow(
            _("Case manager"),
            v.CASE_OWNER,
            IDENTIFIED,
            _("Full name of the current case manager(s)."),
        ),
        FieldRow(_("First name"), v.FIRST_NAME, IDENTIFIED, _("As recorded.")),
        FieldRow(
            _("Last name"), v.SECOND_NAME, IDENTIFIED, _("As recorded; the alias is not exported.")
        ),
        FieldRow(
            _("Consent to share the whole case file with the receiving organisation"),
            v.CONSENT,
            IDENTIFIED,
            _("Always 'Yes': without it the case is refused and not exported."),
        ),
        FieldRow(
            _("Date of birth"),
            v.BIRTHDATE,
            IDENTIFIED,
            _(
                "A date. The de-identified form leaves it empty: the standard has no field "
                "for an age or a birth year band."
            ),
        ),
        FieldRow(
            _("Sex"),
            v.GENDER,
            BOTH,
            _("The standard records gender; the free-text gender identity is not exported."),
            _values(v.GENDER_FROM_SEX, Sex),
        ),
        FieldRow(_("Nationality"), v.CITIZENSHIP, BOTH, v.NATIONALITY_NOTE),
        FieldRow(
            _("Phone"),
            v.MOBILE_PHONE,
            IDENTIFIED,
            _("The product keeps one phone number; it goes to the mobile phone column."),
        ),
        FieldRow(
            _("Address"),
            v.MAILING_STREET,
            IDENTIFIED,
            _(
                "The product keeps the address as one text: all of it goes to the street "
                "column; city, region, postal code and country stay empty."
            ),
        ),
        FieldRow(
            _("Identification status"),
            v.TRAFFICKING_STATUS,
            BOTH,
            _("By the standard's list."),
            _values(v.TRAFFICKING_STATUS_FROM_IDENTIFICATION, IdentificationStatus),
        ),
        FieldRow(
            _("Forms of exploitation"),
            f"{v.TYPE_OF_EXPLOITATION} + {v.FORCED_LABOUR_INDUSTRY}",
            BOTH,
            _(
                "Each form gives a type and, for forced labour, an industry; several are "
                "joined with '; ' as in the toolkit's multi-select workbook."
            ),
            exploitation,
        ),
        FieldRow(
            _("Status"),
            v.STATUS,
            BOTH,
            _("The standard's 'Follow up' and 'Closed Referred' have no product status."),
            _values(v.STATUS_FROM_CASE_STATUS, CaseStatus),
        ),
        FieldRow(
            _("Referral source"),
            v.REFERRING_ORGANISATION,
            IDENTIFIED,
            _("Free text in the standard: the kind of referrer, in English."),
            _values(v.REFERRAL_SOURCE_TEXT, ReferralSource),
        ),
        FieldRow(
            _("Admitted on"),
            v.INCOMING_REFERRAL_DATE,
            BOTH,
            _(
                "A date. In the de-identified form the first day of the admission quarter "
                "(or, where needed for k-anonymity, of the year)."
            ),
        ),
        FieldRow(_("Referral details"), v.INCOMING_REFERRAL_DETAILS, IDENTIFIED, _("As recorded.")),
        FieldRow(
            _("Receiving organisation"),
            v.REFERRED_ORGANISATION,
            IDENTIFIED,
            _("Its name in the service directory."),
        ),
        FieldRow(
            _("Case transfer"), v.REASON_FOR_OUTGOING_REFERRAL, IDENTIFIED, v.TRANSFER_REASON_NOTE
        ),
        FieldRow(
            _("Export date"),
            v.OUTGOING_REFERRAL_DATE,
            IDENTIFIED,
            _("A date: the day of the export."),
        ),
        FieldRow(
            _("Transfer reason and safe-contact instructions"),
            v.OUTGOING_REFERRAL_DETAILS,
            IDENTIFIED,
            _(
                "The reason of a transfer already asked for in this system, then whether it "
                "is safe to call, home visits, who may answer, safe times and the safe "
                "contact notes: the standard has no fields for them, and they must not be lost."
            ),
        ),
        FieldRow(
            _("Reason for closing (latest closure, closed cases only)"),
            v.REASON_FOR_CASE_CLOSURE,
            BOTH,
            _("Free text in the standard: the product's reason, in English."),
            _values(v.CLOSURE_REASON_TEXT, ClosureReason),
        ),
    ]


NOT_EXPORTED = _(
    "Not exported, as the Case Sheet has no field for them: alias, gender identity, "
    "languages and interpreter need, literacy, education, accommodation, whether the "
    "trafficking crossed borders, when the exploitation ended, complex factors, security "
    "risk and notes, witness status, documents, place of registration, stage, and the rest "
    "of the file (assessments, plans, contacts, referrals). A case transfer within this "
    "system carries the whole file."
)
EMPTY_COLUMNS = _(
    "Left empty, as the product does not record them: salutation, title, e-mail, home "
    "phone, the mailing city, region, postal code and country, who decided the trafficking "
    "status, method and place of recruitment, methods of control, type of sexual "
    "exploitation, place of exploitation, the referring case worker, the reason for the "
    "incoming referral and the receiving case worker."
)
