"""k-anonymity for de-identified exports: no released row can be singled out by the
values an outsider could know about a person (their quasi-identifiers: age band, sex,
nationality, region, ...).

Full-domain generalisation, greedy in the manner of Sweeney's Datafly: each
quasi-identifier has a hierarchy of coarser and coarser levels; while too many rows sit in
groups smaller than k, the quasi-identifier with the most distinct values is raised one
level for every row. What is still in a group smaller than k afterwards is withheld.

The allowance (how many rows may be withheld instead of generalising further) is
``max(k, 5 % of the rows)``: a few unusual people are left out rather than coarsening a
column for everyone, but never more than one in twenty once the export is large. The
guarantee does not depend on the allowance: every released combination of quasi-identifier
values occurs at least k times, or no row is released.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext, ngettext

if TYPE_CHECKING:  # django-stubs-ext is a development tool, not installed in production
    from django_stubs_ext import StrOrPromise

SUPPRESSION_SHARE = 0.05  # the share of rows that may be withheld instead of generalising


def as_given(value: Any) -> Any:
    """Level 0 of most hierarchies: the value unchanged."""
    return value


def any_value(value: Any) -> str:
    """The top of every hierarchy: one value for every row, so the column says nothing."""
    return gettext("any")


@dataclass(frozen=True)
class QuasiIdentifier:
    column: str  # the key in each row dict
    label: StrOrPromise  # for the export's note ("age band", "nationality", ...)
    # Coarser and coarser; levels[0] is usually as_given, the last maps every value to one.
    levels: Sequence[Callable[[Any], Any]]
    # What each level shows, in plain words for the note ("wider age bands: 0-17, 18-34,
    # 35+"); optional, aligned with levels.
    level_names: Sequence[StrOrPromise] = ()

    def describe(self, level: int) -> str:
        if level < len(self.level_names):
            return str(self.level_names[level])
        if level == len(self.levels) - 1:
            return gettext("not shown")
        return gettext("level %(level)d of %(top)d") % {
            "level": level,
            "top": len(self.levels) - 1,
        }


@dataclass
class Anonymised:
    rows: list[dict[str, Any]]  # the released rows, quasi-identifiers generalised
    levels: dict[str, int]  # column -> level used (0 = as given)
    withheld: int  # rows suppressed
    k: int = 0
    quasi_identifiers: Sequence[QuasiIdentifier] = field(default=())

    @property
    def generalised(self) -> list[QuasiIdentifier]:
        return [qi for qi in self.quasi_identifiers if self.levels.get(qi.column, 0) > 0]

    def notes(self) -> list[str]:
        """Sentences for the end of the export: the guarantee, what was generalised and how
        many rows were withheld, in the active language."""
        labels = ", ".join(str(qi.label) for qi in self.quasi_identifiers)
        notes = [
            gettext(
                "Every combination of %(columns)s occurs at least %(k)d times in this export "
                "(k-anonymity with k = %(k)d)."
            )
            % {"columns": labels, "k": self.k}
        ]
        if generalised := self.generalised:
            for qi in generalised:
                notes.append(
                    gettext("%(label)s was generalised (made coarser): %(how)s.")
                    % {
                        "label": str(qi.label).capitalize(),
                        "how": qi.describe(self.levels[qi.column]),
                    }
                )
        else:
            notes.append(gettext("No values were generalised."))
        if self.withheld:
            notes.append(
                ngettext(
                    "%(count)d row was withheld (left out): its combination occurred fewer than "
                    "%(k)d times even after generalising.",
                    "%(count)d rows were withheld (left out): their combination occurred "
                    "fewer than %(k)d times even after generalising.",
                    self.withheld,
                )
                % {"count": self.withheld, "k": self.k}
            )
        else:
            notes.append(gettext("No rows were withheld."))
        return notes


def _hashable(value: Any) -> Hashable:
    """Lists and sets from JSON fields count as one value, like the tuple they equal."""
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, set):
        return frozenset(_hashable(item) for item in value)
    return value


def suppression_allowance(rows: int, k: int) -> int:
    """How many rows may be withheld before generalising further (see the module text)."""
    return max(k, int(rows * SUPPRESSION_SHARE))


def k_anonymise(
    rows: Sequence[dict[str, Any]], quasi_identifiers: Sequence[QuasiIdentifier], k: int
) -> Anonymised:
    """The rows generalised and, where still needed, withheld so that every released
    combination of quasi-identifier values occurs at least k times. Deterministic: the same
    rows give the same levels and the same released rows, in the input order."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if len({qi.column for qi in quasi_identifiers}) != len(quasi_identifiers):
        raise ValueError("each quasi-identifier column may be declared once")
    if any(not qi.levels for qi in quasi_identifiers):
        raise ValueError("every quasi-identifier needs at least one level")

    levels = {qi.column: 0 for qi in quasi_identifiers}
    # Each level of each column is computed once per row, when first needed.
    generalised: list[list[Hashable]] = [
        [_hashable(qi.levels[0](row[qi.column])) for row in rows] for qi in quasi_identifiers
    ]

    def keys() -> list[tuple[Hashable, ...]]:
        return list(zip(*generalised, strict=True)) if quasi_identifiers else [()] * len(rows)

    allowance = suppression_allowance(len(rows), k)
    while True:
        groups = Counter(keys())
        in_small_groups = sum(size for size in groups.values() if size < k)
        if in_small_groups <= allowance:
            break
        # Raise the column that splits the rows most; a column already showing one value
        # (or at its top level) cannot help. Ties go to the first declared column.
        candidates = [
            (len(set(values)), -index)
            for index, (qi, values) in enumerate(zip(quasi_identifiers, generalised, strict=True))
            if levels[qi.column] < len(qi.levels) - 1 and len(set(values)) > 1
        ]
        if not candidates:
            break
        index = -max(candidates)[1]
        qi = quasi_identifiers[index]
        levels[qi.column] += 1
        level = qi.levels[levels[qi.column]]
        generalised[index] = [_hashable(level(row[qi.column])) for row in rows]

    row_keys = keys()
    groups = Counter(row_keys)
    released = []
    for row_index, (row, key) in enumerate(zip(rows, row_keys, strict=True)):
        if groups[key] < k:
            continue
        out = dict(row)
        for qi, values in zip(quasi_identifiers, generalised, strict=True):
            out[qi.column] = values[row_index]
        released.append(out)
    return Anonymised(
        rows=released,
        levels=levels,
        withheld=len(rows) - len(released),
        k=k,
        quasi_identifiers=tuple(quasi_identifiers),
    )
