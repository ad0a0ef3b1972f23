"""Small charts drawn on the server as SVG: no script, no external service, and the numbers
are always also in a table next to them (the charts are for looking, the tables for reading)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#0d6efd"
SECOND = "#adb5bd"
TEXT = "#212529"


def _svg(width: int, height: int, label: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every text below is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        + "".join(body)
        + "</svg>"
    )


def bars(title: str, items: Sequence[tuple[str, float]]) -> SafeString:
    """Horizontal bars, one per labelled value."""
    top = max((v for _, v in items), default=0) or 1
    label_w, bar_w, row_h = 190, 260, 24
    body = []
    for i, (label, value) in enumerate(items):
        y = i * row_h
        width = round(bar_w * value / top)
        body.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" font-size="12" fill="{TEXT}">'
            f"{escape(label[:32])}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{width}" height="{row_h - 8}" fill="{BAR}"/>'
            f'<text x="{label_w + width + 4}" y="{y + 16}" font-size="12" fill="{TEXT}">'
            f"{escape(_number(value))}</text>"
        )
    return _svg(label_w + bar_w + 50, max(len(items), 1) * row_h, title, body)


def paired_bars(
    title: str,
    items: list[tuple[str, float | None, float | None]],
    legend: tuple[str, str],
    top: float,
) -> SafeString:
    """Two bars per label (e.g. first and latest score), on a fixed scale."""
    label_w, bar_w, row_h = 220, 240, 30
    body = [
        f'<rect x="{label_w}" y="2" width="10" height="10" fill="{SECOND}"/>'
        f'<text x="{label_w + 14}" y="11" font-size="11" fill="{TEXT}">{escape(legend[0])}</text>'
        f'<rect x="{label_w + 110}" y="2" width="10" height="10" fill="{BAR}"/>'
        f'<text x="{label_w + 124}" y="11" font-size="11" fill="{TEXT}">{escape(legend[1])}</text>'
    ]
    for i, (label, first, latest) in enumerate(items):
        y = 18 + i * row_h
        body.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" font-size="11" fill="{TEXT}">'
            f"{escape(label[:36])}</text>"
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
    """Vertical columns over time, labelled underneath."""
    top = max((v for _, v in items), default=0) or 1
    col_w, height, base = 28, 120, 100
    body = []
    for i, (label, value) in enumerate(items):
        x = i * col_w
        h = round((base - 14) * value / top)
        body.append(
            f'<rect x="{x + 4}" y="{base - h}" width="{col_w - 8}" height="{h}" fill="{BAR}"/>'
            f'<text x="{x + col_w / 2}" y="{base - h - 3}" text-anchor="middle" font-size="10" '
            f'fill="{TEXT}">{escape(_number(value))}</text>'
            f'<text x="{x + col_w / 2}" y="{base + 14}" text-anchor="middle" font-size="9" '
            f'fill="{TEXT}">{escape(label)}</text>'
        )
    return _svg(max(len(items), 1) * col_w, height, title, body)


def _number(value: float) -> str:
    return f"{value:g}"
