"""Outcome breakdowns: who is doing better, in which domain.

For one organisation and period: the change in each outcome domain (score 1-5) between a
person's first and latest scored assessment, averaged per group of people (by sex, age
group, form of exploitation, stage, or months in the programme).

Who counts, per domain: the people whose score in that domain was recorded at two or more
assessments completed by the end of the period, the latest of them completed within the
period. The change is the latest score minus the first (from -4 to +4).

The database picks each person's first and latest score per domain (window functions, one
query whatever the caseload); Python then sorts the person-domain rows into groups, as a
person exploited in several ways belongs to several groups.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import mean
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models
from django.db.models import Count, F, Max, Window
from django.db.models.functions import FirstValue, RowNumber
from django.utils import formats
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from assessments.choices import OutcomeDomain
from assessments.models import OutcomeScore
from cases.choices import ExploitationForm, Sex, Stage
from cases.models import age_on, months_between

from .exports import AGE_BANDS
from .table import Table

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Breakdown(models.TextChoices):
    SEX = "sex", _("Sex")
    AGE = "age", _("Age group at admission")
    EXPLOITATION = "exploitation", _("Form of exploitation")
    STAGE = "stage", _("Stage now")
    MONTHS = "months", _("Months in the programme")


TITLES: dict[str, StrOrPromise] = {
    Breakdown.SEX: _("Change in outcome scores, by sex"),
    Breakdown.AGE: _("Change in outcome scores, by age group at admission"),
    Breakdown.EXPLOITATION: _("Change in outcome scores, by form of exploitation"),
    Breakdown.STAGE: _("Change in outcome scores, by stage now"),
    Breakdown.MONTHS: _("Change in outcome scores, by months in the programme"),
}

NOT_KNOWN = "unknown"

# Whole months from admission to the latest assessment counted (0 in the first month), in
# bands that follow the stages of DOMAIN.md section 3 and `expected_stage_after`: months 1-6
# crisis, 7-12 transition, 13-36 inclusion (split in two years), and beyond the usual three.
MONTH_BANDS: list[tuple[int, int, StrOrPromise]] = [
    (0, 5, _("Months 1 to 6")),
    (6, 11, _("Months 7 to 12")),
    (12, 23, _("Months 13 to 24")),
    (24, 35, _("Months 25 to 36")),
    (36, 10_000, _("After 36 months")),
]


@dataclass(frozen=True)
class Change:
    """One person's change in one domain, with what places them in groups."""

    person: int
    domain: str
    first: int
    latest: int
    latest_on: date
    sex: str
    born: date | None
    admitted_on: date
    forms: tuple[str, ...]
    stage: str

    @property
    def change(self) -> int:
        return self.latest - self.first


def _age_group(change: Change) -> list[str]:
    if change.born is None:
        return [NOT_KNOWN]
    age = age_on(change.born, change.admitted_on)
    return [next((label for low, high, label in AGE_BANDS if low <= age <= high), NOT_KNOWN)]


def _months_band(change: Change) -> list[str]:
    months = months_between(change.admitted_on, change.latest_on)
    return [next(str(low) for low, high, _label in MONTH_BANDS if low <= months <= high)]


def _forms(change: Change) -> list[str]:
    # Someone exploited in several ways counts under each; someone with none recorded, apart.
    return list(change.forms) or [NOT_KNOWN]


# Per breakdown: the groups in the order shown (key, label), and the groups of one change.
GROUPS: dict[str, tuple[list[tuple[str, StrOrPromise]], Callable[[Change], list[str]]]] = {
    Breakdown.SEX: (list(Sex.choices), lambda change: [change.sex]),
    Breakdown.AGE: (
        [*((label, label) for _low, _high, label in AGE_BANDS), (NOT_KNOWN, _("Not known"))],
        _age_group,
    ),
    Breakdown.EXPLOITATION: (
        [*ExploitationForm.choices, (NOT_KNOWN, _("Not recorded"))],
        _forms,
    ),
    Breakdown.STAGE: (list(Stage.choices), lambda change: [change.stage]),
    Breakdown.MONTHS: ([(str(low), label) for low, _high, label in MONTH_BANDS], _months_band),
}

NOTE = _(
    "Change: the latest score minus the first (scores 1 to 5, so from -4 to +4), averaged "
    "over the group; above zero the group is doing better. In each area, the people whose "
    "score in that area was recorded at two or more assessments completed by the end of the "
    "period, the latest of them completed within the period. Age at admission; stage as it "
    "is now (for a closed case, at closure); months from admission to the latest assessment "
    "counted. A person exploited in more than one way counts under each form."
)


def changes(organisation_id: int, start: date, end: date) -> list[Change]:
    """Each person's first and latest score per domain, for the people who count (above).

    One query: window functions over each person's scores in a domain keep the latest row,
    with the first score and the number of scores beside it."""
    per_series = [F("assessment__beneficiary_id"), F("domain")]
    oldest_first = [F("assessment__completed_on").asc(), F("assessment_id").asc()]
    rows = (
        OutcomeScore.objects.filter(
            assessment__beneficiary__organisation_id=organisation_id,
            assessment__completed_on__isnull=False,
            assessment__completed_on__lte=end,
        )
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=per_series,
                order_by=[F("assessment__completed_on").desc(), F("assessment_id").desc()],
            ),
            first_score=Window(FirstValue("score"), partition_by=per_series, order_by=oldest_first),
            times_scored=Window(Count("id"), partition_by=per_series),
            latest_on=Window(Max("assessment__completed_on"), partition_by=per_series),
        )
        # Filters on the windows apply after them: the earlier scores still count as first.
        .filter(newest=1, times_scored__gte=2, latest_on__gte=start)
        .order_by()  # grouped in Python: no sort needed
        .values_list(
            "assessment__beneficiary_id",
            "domain",
            "first_score",
            "score",
            "latest_on",
            "assessment__beneficiary__sex",
            "assessment__beneficiary__date_of_birth",
            "assessment__beneficiary__admitted_on",
            "assessment__beneficiary__exploitation_forms",
            "assessment__beneficiary__stage",
        )
    )
    return [
        Change(
            person=person,
            domain=domain,
            first=first,
            latest=latest,
            latest_on=latest_on,
            sex=sex,
            born=born,
            admitted_on=admitted_on,
            forms=tuple(forms or ()),
            stage=stage,
        )
        for person, domain, first, latest, latest_on, sex, born, admitted_on, forms, stage in rows
    ]


@dataclass
class Group:
    key: str
    label: StrOrPromise
    # Per domain value: (average change rounded to one decimal, people); None with 0 people.
    cells: dict[str, tuple[float | None, int]]


def groups(breakdown: str, found: Iterable[Change]) -> list[Group]:
    """The groups of a breakdown that have anyone in them, in their usual order."""
    choices, keys_of = GROUPS[breakdown]
    series: dict[tuple[str, str], list[int]] = defaultdict(list)
    for change in found:
        for key in keys_of(change):
            series[(key, change.domain)].append(change.change)
    result = []
    for key, label in choices:
        cells: dict[str, tuple[float | None, int]] = {}
        for domain in OutcomeDomain.values:
            values = series.get((key, domain), [])
            cells[domain] = (round(float(mean(values)), 1) if values else None, len(values))
        if any(people for _average, people in cells.values()):
            result.append(Group(key, label, cells))
    return result


def table(breakdown: str, found: list[Group]) -> Table:
    """The breakdown as a report table: a row per domain; per group its average change and
    its number of people (the CSV export suppresses small groups as every report does)."""
    headers: list[StrOrPromise] = [_("Area")]
    counted_in: dict[int, int] = {}
    for group in found:
        counted_in[len(headers)] = len(headers) + 1
        headers += [
            format_lazy(_("{group}: average change"), group=group.label),
            format_lazy(_("{group}: people"), group=group.label),
        ]
    rows: list[list[Any]] = [
        [label, *(cell for group in found for cell in group.cells[domain])]
        for domain, label in OutcomeDomain.choices
    ]
    return Table(
        f"outcome_breakdown_{breakdown}",
        TITLES[breakdown],
        headers,
        rows,
        note=NOTE,
        averages_counted_in=counted_in,
    )


def build(organisation_id: int, start: date, end: date, breakdown: str) -> list[Group]:
    return groups(breakdown, changes(organisation_id, start, end))


class BreakdownForm(forms.Form):
    """Which breakdown to show; the period has its own form (core.forms.PeriodForm)."""

    by = forms.ChoiceField(
        label=_("Break down by"),
        choices=Breakdown.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def breakdown_from(data: Any) -> tuple[str, BreakdownForm]:
    """The breakdown asked for in the address, else by sex (a wrong value says so by the
    field rather than failing)."""
    form = BreakdownForm(data if "by" in data else None, initial={"by": Breakdown.SEX})
    if form.is_bound and form.is_valid():
        return form.cleaned_data["by"], form
    return Breakdown.SEX, form


@dataclass(frozen=True)
class Cell:
    """One group's figure in one domain as the page shows it."""

    average: float | None
    people: int
    # Too few people to show their average: a small group can point to someone.
    hidden: bool

    @property
    def signed(self) -> str:
        return signed(self.average) if self.average is not None else ""


def signed(value: float) -> str:
    """A change with its sign, in the language's number format (+0.5, -1, 0)."""
    text = formats.number_format(Decimal(f"{value:g}"))
    return f"+{text}" if value > 0 else text


def page_rows(found: list[Group], threshold: int) -> list[tuple[StrOrPromise, list[Cell]]]:
    """A row per domain with a cell per group; averages of fewer than `threshold` people
    hidden on the page as in the exports (their number of people stays)."""
    return [
        (
            label,
            [
                Cell(average, people, hidden=0 < people < threshold)
                for average, people in (group.cells[domain] for group in found)
            ],
        )
        for domain, label in OutcomeDomain.choices
    ]


def chart_sections(
    rows: list[tuple[StrOrPromise, list[Cell]]], found: list[Group], threshold: int
) -> tuple[list[tuple[StrOrPromise, list[tuple[StrOrPromise, float | None, str]]]], float]:
    """The chart's sections (a domain, a bar per group; a hidden or empty group says why it
    has no bar) and its reach: the largest change shown, at least 1."""
    hidden = ngettext(
        "hidden: fewer than %(threshold)d person",
        "hidden: fewer than %(threshold)d people",
        threshold,
    ) % {"threshold": threshold}
    nobody = gettext("no one")
    sections = [
        (
            label,
            [
                (
                    group.label,
                    None if cell.hidden else cell.average,
                    hidden if cell.hidden else nobody,
                )
                for group, cell in zip(found, cells, strict=True)
            ],
        )
        for label, cells in rows
    ]
    shown = [
        abs(c.average)
        for _l, cells in rows
        for c in cells
        if c.average is not None and not c.hidden
    ]
    return sections, float(math.ceil(max(shown, default=1) or 1))
