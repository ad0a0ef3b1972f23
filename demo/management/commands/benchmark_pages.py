"""Time the busiest pages over a large organisation. A benchmark, not a test; nothing is kept.

Generates N beneficiaries (default 10,000) with a realistic history (demo/benchmark_world.py),
then requests, through the whole Django stack (the test client: middleware, sessions,
authentication, templates), the caseload list, a case file and the supervisors' caseload
review, side by side with the yardsticks of issue 20 (demo/benchmark_urls.py):

- a bare view returning the same 25 caseload rows with one query and no template (the floor);
- the same rows in the site's page layout;
- the Django admin over the same data (demo/benchmark_admin.py): its changelist of the same
  25 rows against the caseload list, its change page with inlines against the case file.

The machine is noisy, so the pages are requested in rounds, one request each per round
(A B C … A B C …): the medians are over the rounds, and a ratio is the median of the
per-round ratios, so a slow moment weighs on both sides of it.

`--growth 1000,10000,100000` then generates the data again at each size in turn and prints
how each page's median moves from the smallest size to the largest.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import User
from cases.models import Beneficiary
from demo.benchmark_world import FIRST_WORKER, World
from supervision.review import refresh as refresh_review

# Against the bare view: the old yardstick, kept for comparison with earlier figures.
TARGETS = {
    "caseload list": 3.0,
    "case file": 3.0,
    "caseload review": 5.0,
    "caseload review, recomputed": 5.0,
}
# Issue 20's yardsticks: (page, reference, the most the page may cost in multiples of it).
YARDSTICKS = (
    ("caseload list", "admin changelist", 1.0),
    ("case file", "admin change page", 0.5),
    ("caseload list", "same rows in the page layout", 4.0),
    ("case file", "same rows in the page layout", 4.0),
)
# Issue 20's targets in milliseconds: (page, the most it may take, at this many cases or more,
# what the target is about). My follow-ups: the first case worker has every tenth case.
ABSOLUTE_TARGETS = (
    ("caseload review, recomputed", 100.0, 10_000, "the review at 10,000 cases (PostgreSQL)"),
    ("My follow-ups", 30.0, 10_000, "1,000 cases for one worker, paged"),
)
# Issue 20: the largest organisation may cost at most this much more than the smallest.
GROWTH_TARGET = 1.3
# And the review at the largest size, in milliseconds (PostgreSQL).
GROWTH_ABSOLUTE = ("caseload review, recomputed", 250.0, 100_000)
GROWTH_PAGES = ("caseload list", "case file", "My follow-ups", "caseload review, recomputed")
WARM_UP_ROUNDS = 2


class _Rollback(Exception):
    pass


class _Page:
    """One page to time: who asks for it, and what to do (untimed) before each request."""

    def __init__(self, client: Client, url: str, before: Callable[[], Any] = lambda: None):
        self.client = client
        self.url = url
        self.before = before


class Command(BaseCommand):
    help = (
        "Time the caseload list, a case file and the caseload review over N cases (default "
        "10,000) against the Django admin and the site's page layout; with --growth, how they "
        "move from the smallest organisation to the largest."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--runs", type=int, default=15, help="Timed rounds per page.")
        parser.add_argument(
            "--growth",
            type=_sizes,
            default=None,
            metavar="1000,10000,100000",
            help="Also generate these organisation sizes in turn and compare the pages' medians.",
        )

    def handle(
        self, *args: Any, cases: int, runs: int, growth: list[int] | None, **options: Any
    ) -> None:
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        rounds = self._in_generated_world(cases, runs, self._yardstick_pages)
        self._report_yardsticks(rounds)
        self._report_absolute(rounds, cases)
        if growth:
            medians = {
                size: {
                    name: statistics.median(times)
                    for name, times in self._in_generated_world(
                        size, runs, self._growth_pages
                    ).times.items()
                }
                for size in growth
            }
            self._report_growth(medians)

    # --- Measuring -----------------------------------------------------------------------

    def _in_generated_world(
        self, cases: int, runs: int, pages: Callable[[User, Beneficiary], dict[str, _Page]]
    ) -> _Rounds:
        try:
            with transaction.atomic():
                started = time.perf_counter()
                supervisor, case = World(cases).build()
                self.stdout.write(
                    f"generated {cases} cases in {time.perf_counter() - started:.0f} s"
                )
                with override_settings(
                    ROOT_URLCONF="demo.benchmark_urls",
                    DEBUG=False,
                    ALLOWED_HOSTS=["testserver"],
                ):
                    rounds = _Rounds(pages(supervisor, case), runs)
                raise _Rollback
        except _Rollback:
            pass
        return rounds

    def _yardstick_pages(self, supervisor: User, case: Beneficiary) -> dict[str, _Page]:
        client = _logged_in(supervisor)
        admin = "/benchmark/admin/cases/beneficiary/"
        return {
            "bare view": _Page(client, "/benchmark/bare-caseload/"),
            "same rows in the page layout": _Page(client, "/benchmark/caseload-in-layout/"),
            "admin changelist": _Page(client, admin),
            "admin change page": _Page(client, f"{admin}{case.pk}/change/"),
            "caseload list": _Page(client, "/cases/"),
            "case file": _Page(client, f"/cases/{case.public_id}/"),
            "caseload review": _Page(client, "/supervision/"),
            # The review as it is computed when its one-minute cache is out of date (the case
            # is of the supervisor's organisation, whose review it is).
            "caseload review, recomputed": _Page(
                client, "/supervision/", before=lambda: refresh_review(case.organisation_id)
            ),
            "My follow-ups": _Page(
                _logged_in(User.objects.get(username=FIRST_WORKER)), "/follow-ups/"
            ),
        }

    def _growth_pages(self, supervisor: User, case: Beneficiary) -> dict[str, _Page]:
        client = _logged_in(supervisor)
        worker = _logged_in(User.objects.get(username=FIRST_WORKER))
        return {
            "caseload list": _Page(client, "/cases/"),
            "case file": _Page(client, f"/cases/{case.public_id}/"),
            "My follow-ups": _Page(worker, "/follow-ups/"),
            "caseload review, recomputed": _Page(
                client, "/supervision/", before=lambda: refresh_review(case.organisation_id)
            ),
        }

    # --- Reporting -----------------------------------------------------------------------

    def _report_yardsticks(self, rounds: _Rounds) -> None:
        bare = rounds.median("bare view")
        layout = rounds.median("same rows in the page layout")
        self.stdout.write(
            f"bare view (25 rows, one query): median {bare:.1f} ms, "
            f"{rounds.queries['bare view']} queries"
        )
        self.stdout.write(
            f"same rows in the page layout: median {layout:.1f} ms, "
            f"{rounds.queries['same rows in the page layout']} queries, "
            f"{rounds.ratio('same rows in the page layout', 'bare view'):.1f}x the bare view"
        )
        for name in ("admin changelist", "admin change page"):
            self.stdout.write(
                f"{name}: median {rounds.median(name):.1f} ms, {rounds.queries[name]} queries"
            )
        for name, target in TARGETS.items():
            ratio = rounds.ratio(name, "bare view")
            verdict = "within" if ratio <= target else "OVER"
            self.stdout.write(
                f"{name}: median {rounds.median(name):.1f} ms, {rounds.queries[name]} queries, "
                f"{ratio:.1f}x the bare view ({verdict} the {target:g}x target), "
                f"{rounds.ratio(name, 'same rows in the page layout'):.1f}x "
                "the same rows in the page layout"
            )
        self.stdout.write(
            f"\nYardsticks ({rounds.runs} interleaved rounds; ratio = median of the same-round "
            "ratios):"
        )
        self.stdout.write(
            f"{'page':<15} {'ms':>8}  {'against':<29} {'ms':>8}  {'ratio':>7}  {'target':>7}"
        )
        for page, reference, target in YARDSTICKS:
            ratio = rounds.ratio(page, reference)
            verdict = "met" if ratio <= target else "OVER"
            self.stdout.write(
                f"{page:<15} {rounds.median(page):>8.1f}  {reference:<29} "
                f"{rounds.median(reference):>8.1f}  {ratio:>6.2f}x  "
                f"{'<=' + format(target, 'g') + 'x':>7}  {verdict}"
            )

    def _report_absolute(self, rounds: _Rounds, cases: int) -> None:
        self.stdout.write(f"\nTargets in milliseconds ({cases} cases, {connection.vendor}):")
        for page, most, at_least, about in ABSOLUTE_TARGETS:
            median = rounds.median(page)
            verdict = "met" if median <= most else "OVER"
            if cases < at_least:
                verdict = f"(the target is for {at_least} cases)"
            self.stdout.write(
                f"{page:<28} {median:>8.1f}  {'<=' + format(most, 'g') + ' ms':>9}  "
                f"{verdict}  ({about})"
            )

    def _report_growth(self, medians: dict[int, dict[str, float]]) -> None:
        sizes = sorted(medians)
        smallest, largest = sizes[0], sizes[-1]
        header = "".join(f"{f'{size} cases':>14}" for size in sizes)
        self.stdout.write(
            f"\nGrowth (median ms at each size; {largest}/{smallest} = largest over smallest):"
        )
        self.stdout.write(f"{'page':<28}{header}  {'growth':>7}  {'target':>7}")
        for name in GROWTH_PAGES:
            row = "".join(f"{medians[size][name]:>14.1f}" for size in sizes)
            growth = medians[largest][name] / medians[smallest][name]
            verdict = "met" if growth <= GROWTH_TARGET else "OVER"
            self.stdout.write(
                f"{name:<28}{row}  {growth:>6.2f}x  {'<=' + format(GROWTH_TARGET, 'g') + 'x':>7}"
                f"  {verdict}"
            )
        page, most, at = GROWTH_ABSOLUTE
        median = medians[largest][page]
        verdict = ("met" if median <= most else "OVER") if largest >= at else f"(for {at} cases)"
        self.stdout.write(
            f"{page} at {largest} cases: {median:.1f} ms, target <={most:g} ms at {at} cases"
            f" ({connection.vendor}): {verdict}"
        )


class _Rounds:
    """Requests every page once per round, round after round, and keeps each one's times."""

    def __init__(self, pages: dict[str, _Page], runs: int) -> None:
        self.runs = runs
        for _ in range(WARM_UP_ROUNDS):  # templates, the first query plans
            for page in pages.values():
                page.before()
                _ok(page.client.get(page.url), page.url)
        self.times: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(runs):
            for name, page in pages.items():
                page.before()
                started = time.perf_counter()
                response = page.client.get(page.url)
                self.times[name].append((time.perf_counter() - started) * 1000)
                _ok(response, page.url)
        self.queries = {}
        for name, page in pages.items():
            page.before()
            with CaptureQueriesContext(connection) as captured:
                page.client.get(page.url)
            self.queries[name] = len(captured)

    def median(self, name: str) -> float:
        return statistics.median(self.times[name])

    def ratio(self, name: str, reference: str) -> float:
        """The median of the ratios of the two pages' times in the same round."""
        return statistics.median(
            a / b for a, b in zip(self.times[name], self.times[reference], strict=True)
        )


def _logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ok(response: Any, url: str) -> None:
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}")


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a list of case counts: {text}") from error
    if len(sizes) < 2 or sizes[0] < 8:
        # The generated world times its eighth case's file.
        raise argparse.ArgumentTypeError("give at least two case counts, each at least 8")
    return sizes
