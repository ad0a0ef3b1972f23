"""Accessibility and width checks over every page a persona reaches, with the vendored axe-core.

`crawl` follows the links of the site from a logged-in start page (GET pages of this site
only: no logging out, no downloads, no language switch) and on each page runs axe-core and
measures the page's width against the viewport."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from playwright.sync_api import Page

AXE = (Path(__file__).parent / "vendor" / "axe-core-4.10.3.min.js").read_text()
SERIOUS = {"critical", "serious"}
# Not pages to check: downloads, and the pages that change who is logged in or where.
SKIP = re.compile(
    r"/(logout|pdf|csv|export|download|admin/logout|i18n)/|\.(pdf|csv|json|zip)(\?|$)|[?&]format="
)
# One of each kind is enough: case pages differ by data, not by template, past a few cases.
SAME_KIND = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+")


@dataclass
class Finding:
    url: str
    width: int
    rule: str
    impact: str
    targets: list[str] = field(default_factory=list)
    summary: str = ""


def kind_of(path: str) -> str:
    return SAME_KIND.sub("*", path)


def page_findings(page: Page, url: str, width: int) -> Iterator[Finding]:
    page.evaluate(AXE)
    # Target size (WCAG 2.2 AA, 24 px) is off in axe by default: on here.
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " rules: {'target-size': {enabled: true}}})"
    )
    for violation in result["violations"]:
        if violation["impact"] in SERIOUS:
            nodes = violation["nodes"]
            yield Finding(
                url,
                width,
                violation["id"],
                violation["impact"],
                [" ".join(n["target"]) for n in nodes[:5]],
                nodes[0].get("failureSummary", "")[:300] if nodes else "",
            )
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        yield Finding(url, width, "wider-than-viewport", "serious", [f"{scroll_width}px"])


def crawl(
    page: Page, base: str, start: str, widths: tuple[int, ...], limit: int = 400, per_kind: int = 2
) -> tuple[list[Finding], list[str]]:
    """Findings, and the pages visited."""
    host = urlsplit(base).netloc
    queue, seen, kinds = [base + start], set(), dict[str, int]()
    findings: list[Finding] = []
    visited: list[str] = []
    while queue and len(visited) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path + (("?" + urlsplit(url).query) if urlsplit(url).query else "")
        if url in seen:
            continue
        seen.add(url)
        kind = kind_of(urlsplit(url).path)
        if kinds.get(kind, 0) >= per_kind:
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        for width in widths:
            page.set_viewport_size({"width": width, "height": 1024})
            response = page.goto(url)
            if response is None or response.status != 200:
                break
            if "text/html" not in (response.headers.get("content-type") or ""):
                break
            findings.extend(page_findings(page, path, width))
        else:
            visited.append(path)
            for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                href = urldefrag(href)[0]
                if urlsplit(href).netloc == host and not SKIP.search(href) and href not in seen:
                    queue.append(href)
    return findings, visited
