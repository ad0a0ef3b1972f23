"""Plan goals counted by the organisation's indicator matrix: set, achieved and dropped.

What a goal is here: a goal as first written and every copy of it that later plan versions
carry (`Goal.origin`), counted once, with what its latest copy says (indicator, status).
Only goals agreed in a signed plan version by the end of the period count. Over a period
(dates inclusive):

- set: the first signed version that holds the goal was signed in the period;
- achieved / dropped: its status now is achieved / dropped, recorded on a day in the period.

A goal whose latest copy chose no indicator from the matrix is counted on its own row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.choices import OutcomeDomain
from plans.models import Goal, GoalStatus, Indicator

from .table import Table

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass
class _Lineage:
    """One goal across the plan versions that carry it."""

    first_signed: date | None = None
    latest_number: int = 0
    indicator_id: int | None = None
    status: str = ""
    status_changed_on: date | None = None


@dataclass
class _Counts:
    goals_set: int = 0
    achieved: int = 0
    dropped: int = 0

    def add(self, other: _Counts) -> None:
        self.goals_set += other.goals_set
        self.achieved += other.achieved
        self.dropped += other.dropped

    def cells(self) -> list[int]:
        return [self.goals_set, self.achieved, self.dropped]


def _lineages(organisation_id: int) -> list[_Lineage]:
    """Every goal of the organisation's cases, copies folded into the goal first written."""
    lineages: dict[int, _Lineage] = {}
    for pk, origin_id, number, signed_on, indicator_id, status, changed_on in (
        Goal.objects.filter(version__beneficiary__organisation_id=organisation_id)
        .values_list(
            "pk",
            "origin_id",
            "version__number",
            "version__signed_on",
            "matrix_indicator_id",
            "status",
            "status_changed_on",
        )
        .order_by()
    ):
        lineage = lineages.setdefault(origin_id or pk, _Lineage())
        if signed_on and (lineage.first_signed is None or signed_on < lineage.first_signed):
            lineage.first_signed = signed_on
        if number > lineage.latest_number:
            lineage.latest_number = number
            lineage.indicator_id, lineage.status = indicator_id, status
            lineage.status_changed_on = changed_on
    return list(lineages.values())


def _counts(lineage: _Lineage, start: date, end: date) -> _Counts:
    def within(day: date | None) -> bool:
        return day is not None and start <= day <= end

    recorded_in_period = within(lineage.status_changed_on)
    return _Counts(
        goals_set=int(within(lineage.first_signed)),
        achieved=int(recorded_in_period and lineage.status == GoalStatus.ACHIEVED),
        dropped=int(recorded_in_period and lineage.status == GoalStatus.DROPPED),
    )


def goals_by_indicator(organisation_id: int, start: date, end: date) -> Table:
    """Goals set, achieved and dropped in the period, per outcome domain and indicator."""
    by_indicator: dict[int | None, _Counts] = {}
    for lineage in _lineages(organisation_id):
        if lineage.first_signed is None or lineage.first_signed > end:
            continue  # not agreed by the end of the period
        by_indicator.setdefault(lineage.indicator_id, _Counts()).add(_counts(lineage, start, end))
    # The matrix in use, and any indicator counted (no longer in use, or carried over from
    # another organisation's matrix by a transferred case): nothing counted goes missing.
    used = [pk for pk in by_indicator if pk is not None]
    indicators = Indicator.objects.filter(
        Q(organisation_id=organisation_id, active=True) | Q(pk__in=used)
    ).order_by("name")
    in_domain: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        in_domain.setdefault(indicator.domain, []).append(indicator)

    rows: list[list[Any]] = []
    total = _Counts()
    for value, label in OutcomeDomain.choices:
        domain_total = _Counts()
        indicator_rows = []
        for indicator in sorted(in_domain.get(value, []), key=lambda i: i.localised_name):
            counts = by_indicator.get(indicator.pk, _Counts())
            domain_total.add(counts)
            indicator_rows.append(
                [
                    gettext("… %(indicator)s") % {"indicator": indicator.localised_name},
                    indicator.get_direction_display(),
                    *counts.cells(),
                ]
            )
        total.add(domain_total)
        rows.extend([[label, "", *domain_total.cells()], *indicator_rows])
    free_text = by_indicator.get(None, _Counts())
    total.add(free_text)
    rows.append([_("Goals with their own indicator only"), "", *free_text.cells()])
    rows.append([_("Total"), "", *total.cells()])
    headers: list[StrOrPromise] = [
        _("Outcome domain and indicator"),
        _("Target"),
        _("Goals set"),
        _("Achieved"),
        _("Dropped"),
    ]
    return Table(
        "indicators",
        _("Plan goals by indicator: set, achieved and dropped in the period"),
        headers,
        rows,
        note=_(
            "Goals agreed in a signed plan. Set: first signed in the period. Achieved, "
            "dropped: the goal's status now, recorded in the period. A goal carried into a "
            "new plan version counts once."
        ),
    )
