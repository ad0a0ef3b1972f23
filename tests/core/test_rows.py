"""The parts of rows written out in Python (`core.rows`)."""

from __future__ import annotations

from core.rows import RowParts, row_pattern


def test_a_pattern_takes_its_words_escaped_and_leaves_the_rows_places() -> None:
    pattern = row_pattern('<td data-label="{label}">{{value}}</td>', {"label": "A & {b} <c>"})
    assert pattern.format(value="x") == '<td data-label="A &amp; {b} &lt;c&gt;">x</td>'


def test_what_rows_share_is_made_once_per_rendering() -> None:
    made: list[int] = []
    parts = RowParts()
    assert parts.shared("k", lambda: made.append(1) or "badge") == "badge"
    assert parts.shared("k", lambda: made.append(2) or "other") == "badge"
    assert made == [1]
    again = parts.for_rendering()
    assert again.shared("k", lambda: "new") == "new"
    assert parts.shared("k", lambda: "unused") == "badge"  # the first rendering keeps its own
