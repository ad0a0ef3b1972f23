"""The one shape of every report figure: rows of a label and numbers, so the page, the
charts and the CSV export read the same figures, with small counts suppressed on export."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass
class Table:
    key: str
    # Lazy: read in the page's language, and in English for the export log.
    title: StrOrPromise
    headers: list[StrOrPromise]
    rows: list[list[Any]] = field(default_factory=list)
    note: StrOrPromise = ""
    # For averages: the column holding the number of cases behind the averages before it.
    averages_counted_in: dict[int, int] = field(default_factory=dict)

    def suppressed(self, threshold: int) -> list[list[Any]]:
        """The rows with counts from 1 to threshold-1 shown as "<threshold", and averages of
        so few people left out."""
        hidden = f"<{threshold}"
        result = []
        for row in self.rows:
            out = list(row)
            for index, value in enumerate(row[1:], start=1):
                if index in self.averages_counted_in:
                    n = row[self.averages_counted_in[index]]
                    if n is not None and n < threshold:
                        out[index] = ""
                elif isinstance(value, int) and 0 < value < threshold:
                    out[index] = hidden
            result.append(out)
        return result
