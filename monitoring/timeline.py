"""The expected stage, judged fairly: a child, or a person with a complex factor, typically
needs longer in each stage, and the organisation says how much longer (`TimelineExtension`).

The rule: the extra months are the sum of the organisation's months for each of the case's
complex factors, plus its "child" months for a person admitted as a child (under 18 on the
admission date: the timeline counts from admission, and a birthday must not turn a case
"longer than typical" overnight). Each of the first two stages is stretched by them: the
typical crisis stage lasts 6 + extra months, transition as long again, so inclusion is
expected from month 12 + 2 * extra (`cases.models.expected_stage_after`).

Lists of cases read the organisations' extensions once (`attach_timelines`): the pages
that show "longer than typical" keep a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypeVar, cast

from django.utils import timezone

from cases.choices import TIMELINE_CHILD, ComplexFactor, Stage, timeline_cause_choices
from cases.models import (
    ADULT_AGE,
    Beneficiary,
    age_on,
    expected_stage_after,
    months_between,
    stage_comparison,
)

from .models import TimelineExtension

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# (organisation id, cause) → months added
Extensions = Mapping[tuple[int, str], int]


@dataclass(frozen=True)
class Timeline:
    """Where a case stands against its own typical timeline."""

    stage: str
    months: int  # whole months since admission
    extra_months: int
    # The causes that added months, with how many each (none: the typical timeline).
    causes: tuple[tuple[str, int], ...]
    expected: Stage

    @property
    def comparison(self) -> str:
        """'longer' (an earlier stage than expected), 'ahead' or 'typical'."""
        return stage_comparison(self.stage, self.expected)

    @property
    def longer(self) -> bool:
        return self.comparison == "longer"

    @property
    def cause_labels(self) -> list[StrOrPromise]:
        labels = cast("dict[str, StrOrPromise]", dict(timeline_cause_choices()))
        return [labels.get(cause, cause) for cause, _months in self.causes]


def extensions_of(organisation_ids: Iterable[int]) -> dict[tuple[int, str], int]:
    """The extensions of these organisations, in one query (none set: no extra months)."""
    rows = TimelineExtension.objects.filter(organisation_id__in=set(organisation_ids))
    return {(r.organisation_id, r.cause): r.months for r in rows}


def admitted_as_child(date_of_birth: date | None, admitted_on: date) -> bool:
    return date_of_birth is not None and age_on(date_of_birth, admitted_on) < ADULT_AGE


def timeline_of(
    *,
    organisation_id: int,
    stage: str,
    admitted_on: date,
    date_of_birth: date | None,
    complex_factors: list[str],
    extensions: Extensions,
    today: date | None = None,
) -> Timeline:
    """One case's timeline from its columns: callers with light rows (the supervisors'
    review) pass them without building a case."""
    causes = [TIMELINE_CHILD] if admitted_as_child(date_of_birth, admitted_on) else []
    causes += [f for f in dict.fromkeys(complex_factors) if f in ComplexFactor.values]
    added = tuple(
        (cause, months)
        for cause in causes
        if (months := extensions.get((organisation_id, cause), 0)) > 0
    )
    extra = sum(months for _cause, months in added)
    months = months_between(admitted_on, today or timezone.localdate())
    return Timeline(stage, months, extra, added, expected_stage_after(months, extra))


CaseT = TypeVar("CaseT", bound=Beneficiary)


def attach_timelines(cases: list[CaseT], today: date | None = None) -> list[CaseT]:
    """Set `case.timeline` on each case, with one query for all of them.

    The cases need their organisation_id, stage, admitted_on, date_of_birth and
    complex_factors loaded."""
    today = today or timezone.localdate()
    extensions = extensions_of(c.organisation_id for c in cases)
    for case in cases:
        case.timeline = timeline_of(
            organisation_id=case.organisation_id,
            stage=case.stage,
            admitted_on=case.admitted_on,
            date_of_birth=case.date_of_birth,
            complex_factors=case.complex_factors,
            extensions=extensions,
            today=today,
        )
    return cases


def timeline_for(beneficiary: Beneficiary) -> Timeline:
    """One case's timeline (the case file): one query."""
    attach_timelines([beneficiary])
    timeline: Timeline = beneficiary.timeline
    return timeline
