"""The de-identified case list's quasi-identifiers: the columns someone who knows a person
could recognise them by, each with its hierarchy from "as recorded" to "not shown".

The export (reports.exports.deidentified_cases_csv) hands them to core.anonymity, which
coarsens the columns that single people out until every combination occurs at least
settings.EXPORT_MIN_GROUP times, and withholds the few rows still alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext, gettext_lazy

from cases.choices import ExploitationForm, Sex
from core.anonymity import QuasiIdentifier, any_value, as_given
from core.world_regions import (
    nationality_as_recorded,
    nationality_continent,
    nationality_subregion,
)

WIDER_AGE_BANDS = {
    "0-11": "0-17",
    "12-17": "0-17",
    "18-24": "18-34",
    "25-34": "18-34",
    "35-49": "35+",
    "50+": "35+",
}


def wider_age_band(band: str) -> str:
    return WIDER_AGE_BANDS.get(band, band)  # "not known" stays


def child_or_adult(band: str) -> str:
    wider = wider_age_band(band)
    return wider if wider in ("0-17", band) else "18+"


def sex_grouped(sex: str) -> str:
    """Intersex and not stated are the rarest answers: together they hide each other."""
    return sex if sex in (Sex.FEMALE, Sex.MALE) else "other_or_not_stated"


def year_of(quarter: str) -> str:
    return quarter.split("-Q")[0]


# Forms of exploitation in broad groups, so a rare form is not recognisable on its own.
FORM_GROUPS = {
    ExploitationForm.SEXUAL: gettext_lazy("Sexual exploitation"),
    ExploitationForm.LABOUR_DOMESTIC: gettext_lazy("Forced labour or servitude"),
    ExploitationForm.LABOUR_AGRICULTURE: gettext_lazy("Forced labour or servitude"),
    ExploitationForm.LABOUR_CONSTRUCTION: gettext_lazy("Forced labour or servitude"),
    ExploitationForm.LABOUR_FACTORY: gettext_lazy("Forced labour or servitude"),
    ExploitationForm.LABOUR_FISHING: gettext_lazy("Forced labour or servitude"),
    ExploitationForm.LABOUR_OTHER: gettext_lazy("Forced labour or servitude"),
    ExploitationForm.SERVITUDE: gettext_lazy("Forced labour or servitude"),
    ExploitationForm.CRIMINAL: gettext_lazy("Forced criminal activity or begging"),
    ExploitationForm.BEGGING: gettext_lazy("Forced criminal activity or begging"),
    ExploitationForm.MARRIAGE: gettext_lazy("Forced marriage"),
    ExploitationForm.OTHER: gettext_lazy("Other"),
}


def forms_key(forms: Iterable[str]) -> tuple[str, ...]:
    """The case's forms as one value, in the order of the list of forms, so that the same
    forms entered in another order are the same group."""
    chosen = set(forms)
    return tuple(form for form in ExploitationForm.values if form in chosen)


def forms_as_recorded(forms: tuple[str, ...]) -> str:
    if not forms:
        return gettext("not recorded")
    return ";".join(str(ExploitationForm(form).label) for form in forms)


def forms_grouped(forms: tuple[str, ...]) -> str:
    groups = {str(FORM_GROUPS[ExploitationForm(form)]) for form in forms}
    if not groups:
        return gettext("not recorded")
    return groups.pop() if len(groups) == 1 else gettext("several forms")


def forms_counted(forms: tuple[str, ...]) -> str:
    if not forms:
        return gettext("not recorded")
    return gettext("one form") if len(forms) == 1 else gettext("several forms")


def place_as_recorded(place: str) -> str:
    """The town or municipality: the first part of the place of registration ("Durrës, Unit
    2" -> "Durrës"); what follows can be a street or an office, too close to an address."""
    town = " ".join(place.split(",")[0].split())
    return town.title() if town else gettext("not known")


CASE_LIST_QUASI_IDENTIFIERS = (
    QuasiIdentifier(
        column="age_band_at_admission",
        label=gettext_lazy("age band at admission"),
        levels=(as_given, wider_age_band, child_or_adult, any_value),
        level_names=(
            gettext_lazy("as recorded"),
            gettext_lazy("wider age bands (0-17, 18-34, 35+)"),
            gettext_lazy("children (0-17) and adults (18+) only"),
            gettext_lazy("not shown"),
        ),
    ),
    QuasiIdentifier(
        column="sex",
        label=gettext_lazy("sex"),
        levels=(as_given, sex_grouped, any_value),
        level_names=(
            gettext_lazy("as recorded"),
            gettext_lazy("female, male, and other or not stated together"),
            gettext_lazy("not shown"),
        ),
    ),
    QuasiIdentifier(
        column="nationality",
        label=gettext_lazy("nationality"),
        levels=(nationality_as_recorded, nationality_subregion, nationality_continent, any_value),
        level_names=(
            gettext_lazy("as recorded"),
            gettext_lazy("region of the world (such as Eastern Europe), or other"),
            gettext_lazy("continent, or other"),
            gettext_lazy("not shown"),
        ),
    ),
    QuasiIdentifier(
        column="region",
        label=gettext_lazy("region (town or municipality of registration)"),
        levels=(place_as_recorded, any_value),
        level_names=(gettext_lazy("as recorded"), gettext_lazy("not shown")),
    ),
    QuasiIdentifier(
        column="exploitation_forms",
        label=gettext_lazy("forms of exploitation"),
        levels=(forms_as_recorded, forms_grouped, forms_counted, any_value),
        level_names=(
            gettext_lazy("as recorded"),
            gettext_lazy(
                "broad groups (sexual exploitation, forced labour or servitude, forced "
                "criminal activity or begging, forced marriage, other), or several forms"
            ),
            gettext_lazy("only whether there was one form or several"),
            gettext_lazy("not shown"),
        ),
    ),
    QuasiIdentifier(
        column="admitted_quarter",
        label=gettext_lazy("admission quarter"),
        levels=(as_given, year_of, any_value),
        level_names=(
            gettext_lazy("as recorded"),
            gettext_lazy("year of admission only"),
            gettext_lazy("not shown"),
        ),
    ),
)
