"""Small charts drawn on the server as SVG: no script, no external service, and the numbers
are always also in a table next to them (the charts are for looking, the tables for reading).

Coordinates and sizes are written by Python's own formatting, never localised (a decimal
comma would break the SVG); only the numbers shown as text follow the page's language."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BAR = "#0d6efd"
SECOND = "#adb5bd"
TEXT = "#212529"


def _text_width(texts: Sequence[StrOrPromise], font_size: int) -> int:
    """Roughly how wide the longest text is drawn: labels are never cut, as a translation
    may be longer than the English; the label column grows instead."""
    return math.ceil(max((len(str(text)) for text in texts), default=0) * font_size * 0.5)


def _svg(
    width: int, height: int, label: str, body: list[str], shown_width: str = "100%"
) -> SafeString:
    return mark_safe(  # noqa: S308 - every text below is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{shown_width}" '
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        + "".join(body)
        + "</svg>"
    )


def bars(title: str, items: Sequence[tuple[StrOrPromise, float]]) -> SafeString:
    """Horizontal bars, one per labelled value."""
    top = max((v for _label, v in items), default=0) or 1
    bar_w, row_h = 260, 24
    label_w = max(190, _text_width([label for label, _value in items], 12) + 6)
    body = []
    for i, (label, value) in enumerate(items):
        y = i * row_h
        width = round(bar_w * value / top)
        body.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" font-size="12" fill="{TEXT}">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{width}" height="{row_h - 8}" fill="{BAR}"/>'
            f'<text x="{label_w + width + 4}" y="{y + 16}" font-size="12" fill="{TEXT}">'
            f"{escape(_number(value))}</text>"
        )
    return _svg(label_w + bar_w + 50, max(len(items), 1) * row_h, title, body)


def paired_bars(
    title: str,
    items: list[tuple[StrOrPromise, float | None, float | None]],
    legend: tuple[str, str],
    top: float,
) -> SafeString:
    """Two bars per label (e.g. first and latest score), on a fixed scale."""
    bar_w, row_h = 240, 30
    label_w = max(220, _text_width([label for label, *_values in items], 11) + 6)
    second = max(110, 14 + _text_width(legend[:1], 11) + 16)  # where the second legend starts
    body = [
        f'<rect x="{label_w}" y="2" width="10" height="10" fill="{SECOND}"/>'
        f'<text x="{label_w + 14}" y="11" font-size="11" fill="{TEXT}">{escape(legend[0])}</text>'
        f'<rect x="{label_w + second}" y="2" width="10" height="10" fill="{BAR}"/>'
        f'<text x="{label_w + second + 14}" y="11" font-size="11" fill="{TEXT}">'
        f"{escape(legend[1])}</text>"
    ]
    for i, (label, first, latest) in enumerate(items):
        y = 18 + i * row_h
        body.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" font-size="11" fill="{TEXT}">'
            f"{escape(label)}</text>"
        )
        for offset, value, colour in ((2, first, SECOND), (14, latest, BAR)):
            if value is None:
                continue
            width = round(bar_w * value / top)
            body.append(
                f'<rect x="{label_w}" y="{y + offset}" width="{width}" height="11" fill="{colour}"/>'
                f'<text x="{label_w + width + 3}" y="{y + offset + 10}" font-size="10" '
                f'fill="{TEXT}">{escape(_number(value))}</text>'
            )
    return _svg(label_w + bar_w + 40, 18 + max(len(items), 1) * row_h, title, body)


def columns(title: str, items: list[tuple[str, float]]) -> SafeString:
    """Vertical columns over time, labelled underneath; a label may have a second line after
    a newline (the year under a month). Columns widen to their labels: a translated month
    name may be longer than the English."""
    top = max((v for _label, v in items), default=0) or 1
    lines = [label.split("\n") for label, _value in items]
    col_w = max(34, _text_width([part for parts in lines for part in parts], 11) + 8)
    height, base = 136, 100
    body = []
    for i, ((_label, value), parts) in enumerate(zip(items, lines, strict=True)):
        x = i * col_w
        h = round((base - 16) * value / top)
        body.append(
            f'<rect x="{x + 4}" y="{base - h}" width="{col_w - 8}" height="{h}" fill="{BAR}"/>'
            f'<text x="{x + col_w / 2}" y="{base - h - 3}" text-anchor="middle" font-size="11" '
            f'fill="{TEXT}">{escape(_number(value))}</text>'
        )
        for line, part in enumerate(parts):
            body.append(
                f'<text x="{x + col_w / 2}" y="{base + 15 + 14 * line}" text-anchor="middle" '
                f'font-size="11" fill="{TEXT}">{escape(part)}</text>'
            )
    return _svg(max(len(items), 1) * col_w, height, title, body)


def sparkline(title: str, values: Sequence[float], top: float) -> SafeString:
    """A small trend in a table row: columns on a scale shared by the rows, over a base line,
    without labels (the title carries every number, and the row its first and last)."""
    col_w, height = 10, 28
    width = max(len(values), 1) * col_w
    body = [f'<rect x="0" y="{height - 1}" width="{width}" height="1" fill="{TEXT}"/>']
    for i, value in enumerate(values):
        h = round((height - 2) * value / (top or 1))
        body.append(
            f'<rect x="{i * col_w + 1}" y="{height - 1 - h}" width="{col_w - 2}" height="{h}" '
            f'fill="{BAR}"/>'
        )
    return _svg(width, height, title, body, shown_width=str(width))


LOWER = "#b02a37"  # a bar below zero; its side of the zero line and its sign say so too


def change_bars(
    title: str,
    sections: Sequence[tuple[StrOrPromise, Sequence[tuple[StrOrPromise, float | None, str]]]],
    reach: float,
    sides: tuple[str, str],
) -> SafeString:
    """Changes that may go either way: bars left or right of a zero line, in labelled
    sections (e.g. an outcome domain, with a bar per group of people), on a scale from
    -reach to +reach. Every bar carries its label and its signed value as text; a row
    without a value shows its own text instead (why there is no bar). `sides` names the
    two directions (below zero, above zero) over the zero line."""
    half, row_h, head_h = 130, 18, 20
    gap = 40  # room for the value beside the longest bar below zero
    label_w = max(150, _text_width([g for _s, rows in sections for g, *_v in rows], 11) + 8)
    zero = label_w + gap + half
    no_bar = [text for _s, rows in sections for _g, value, text in rows if value is None]
    width = max(
        zero + half + gap,
        zero + 6 + _text_width(no_bar, 11) + 4,  # a translation may be longer
        _text_width([s for s, _rows in sections], 12) + 4,
    )
    body = [
        f'<text x="{zero - 6}" y="12" text-anchor="end" font-size="11" fill="{TEXT}">'
        f"← {escape(sides[0])}</text>"
        f'<text x="{zero + 6}" y="12" font-size="11" fill="{TEXT}">{escape(sides[1])} →</text>'
    ]
    y = 18
    for section, rows in sections:
        body.append(
            f'<text x="0" y="{y + 15}" font-size="12" font-weight="bold" fill="{TEXT}">'
            f"{escape(section)}</text>"
        )
        y += head_h
        # The zero line beside the bars only: the section's title runs across it.
        body.append(
            f'<rect x="{zero}" y="{y}" width="1" height="{max(len(rows), 1) * row_h}" '
            f'fill="{TEXT}"/>'
        )
        for label, value, instead in rows:
            body.append(
                f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="11" '
                f'fill="{TEXT}">{escape(label)}</text>'
            )
            if value is None:
                body.append(
                    f'<text x="{zero + 6}" y="{y + 13}" font-size="11" font-style="italic" '
                    f'fill="{TEXT}">{escape(instead)}</text>'
                )
            else:
                length = round(half * min(abs(value), reach) / (reach or 1))
                shown = ("+" if value > 0 else "") + _number(value)
                if value < 0:
                    body.append(
                        f'<rect x="{zero - length}" y="{y + 3}" width="{length}" height="12" '
                        f'fill="{LOWER}"/><text x="{zero - length - 3}" y="{y + 13}" '
                        f'text-anchor="end" font-size="11" fill="{TEXT}">{escape(shown)}</text>'
                    )
                else:
                    body.append(
                        f'<rect x="{zero}" y="{y + 3}" width="{length}" height="12" '
                        f'fill="{BAR}"/><text x="{zero + length + 3}" y="{y + 13}" '
                        f'font-size="11" fill="{TEXT}">{escape(shown)}</text>'
                    )
            y += row_h
    return _svg(width, max(y, 20) + 4, title, body)


def _number(value: float) -> str:
    """A value shown as text: as short as it goes, with the language's decimal separator."""
    return formats.number_format(Decimal(f"{value:g}"))
