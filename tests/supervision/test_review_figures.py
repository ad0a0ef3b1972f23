"""The caseload review's figures, counted by the database (`supervision.figures`), are the
ones the Python rules give case by case: every figure equals the cases its drill-down
lists (`review.cases_behind` over `review.active_cases`), on SQLite and PostgreSQL, with
and without the organisation's timeline extensions, in more than one time zone."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from cases import services as case_services
from cases.choices import CaseStatus, RiskLevel, Stage, TeamRole
from cases.models import Beneficiary, CaseReview, RiskFlag, Setback, TeamMembership
from demo.benchmark_world import World as BenchmarkWorld
from monitoring import services as monitoring_services
from monitoring.models import TimelineExtension
from supervision import figures, review

pytestmark = pytest.mark.django_db

# Extension sets: none; few (the expected stage by fixed dates); many (by month arithmetic).
FEW = {"child": 3, "disability": 2}
MANY = {"child": 1, "disability": 2, "no_documents": 4, "no_family_support": 8}


def _varied_organisation(size: int) -> tuple[User, list[Beneficiary]]:
    """The benchmark's generated organisation, with what it lacks added to a few cases:
    crisis alarms, own contact intervals, re-trafficking risks, overdue case reviews, a
    case without a case manager and one held by someone no longer a case worker."""
    supervisor, _case = BenchmarkWorld(size).build()
    active = list(
        Beneficiary.objects.filter(
            organisation=supervisor.organisation, status=CaseStatus.ACTIVE
        ).order_by("pk")
    )
    worker = User.objects.get(username="benchmark-worker-1")
    today = timezone.localdate()
    for case in active[3:6]:
        case_services.setback_record(
            beneficiary=case,
            actor=worker,
            data={
                "category": "illness",
                "occurred_on": today,
                "severity": "critical",
                "description": "Taken to hospital.",
            },
        )
    for case, days in ((active[6], 3), (active[7], 60)):
        monitoring_services.cadence_override_set(
            beneficiary=case, actor=worker, days=days, reason="Settled.", opened_at=""
        )
    for case in active[8:20:3]:
        RiskFlag.objects.create(
            beneficiary=case,
            indicators=["contact_with_traffickers"],
            raised_on=today,
            raised_reason="Seen with the recruiter.",
            raised_by=worker,
        )
    for case in active[9:30:4]:
        CaseReview.objects.create(beneficiary=case, due_on=today - timedelta(days=5))
    TeamMembership.objects.filter(
        beneficiary=active[10], role=TeamRole.CASE_MANAGER, ended_on__isnull=True
    ).update(ended_on=today)
    User.objects.filter(username="benchmark-worker-2").update(role=Role.MDT_MEMBER)
    return supervisor, active


def _with_extensions(supervisor: User, months: dict[str, int]) -> None:
    TimelineExtension.objects.filter(organisation=supervisor.organisation).delete()
    for cause, n in months.items():
        TimelineExtension.objects.create(
            organisation=supervisor.organisation, cause=cause, months=n
        )


def _key(worker: User) -> str:
    return str(worker.pk) if worker.pk else "none"


def _check_every_figure(organisation_id: int) -> None:
    today = timezone.localdate()
    cases = review.active_cases(organisation_id, today)
    counts = figures.counted(organisation_id, today)
    behind = lambda key, worker="": len(review.cases_behind(key, cases, worker))  # noqa: E731

    assert counts.overall.active == len(cases)
    assert {w.worker.pk for w in counts.workers if w.active} == {c.manager_id for c in cases}
    for row in counts.workers:
        key = _key(row.worker)
        mine = review.cases_behind("all", cases, key)
        assert row.active == len(mine), row.worker
        assert [n for _s, _l, n in row.by_stage] == [
            behind(f"stage:{stage}", key) for stage in Stage.values
        ]
        assert {kind: n for kind, _l, n in row.overdue} == {
            "contact": behind("overdue:contact", key),
            "assessment": behind("overdue:assessment", key),
            "plan": behind("overdue:plan", key),
            "task": sum(c.tasks_overdue for c in mine),
        }, row.worker
        assert row.weighted == round(sum(c.weight for c in mine), 1)
        oldest = min(
            mine,
            key=lambda c: (c.follow_up.last_contact_on or c.admitted_on, c.case_code),
            default=None,
        )
        named = row.longest_without_contact
        assert (named and named.case_code) == (oldest and oldest.case_code)
        if oldest:
            last = oldest.follow_up.last_contact_on or oldest.admitted_on
            assert row.days_since_contact == (today - last).days

    for current in Stage.values:
        for expected in Stage.values:
            assert counts.grid.get((current, expected), 0) == behind(
                f"stage:{current}:{expected}"
            ), (current, expected)
    assert counts.longer == behind("longer")
    assert counts.overall.beyond == behind("beyond")
    assert counts.overall.case_review == behind("case_review")
    assert counts.overall.high_risk == behind("high_risk")
    assert counts.overall.high_risk_overdue == behind("high_risk_overdue")
    assert counts.overall.at_risk == sum(c.at_risk for c in cases)

    named_cases = review.first_named(organisation_id, today)
    by_python: dict[str, list[Any]] = {
        "high_risk_overdue": sorted(
            (c for c in cases if c.security_risk == RiskLevel.HIGH and c.overdue["contact"]),
            key=lambda c: (c.follow_up.due_on, c.case_code),
        ),
        "at_risk": sorted(
            (c for c in cases if c.at_risk),
            key=lambda c: (not c.overdue["contact"], c.follow_up.due_on, c.case_code),
        ),
        "beyond": sorted(
            (c for c in cases if c.months >= figures.LONG_CASE_MONTHS),
            key=lambda c: (-c.months, c.case_code),
        ),
    }
    for name, ordered in by_python.items():
        assert [c.pk for c in named_cases[name]] == [c.pk for c in ordered[:10]], name


@pytest.mark.parametrize("extensions", [{}, FEW, MANY], ids=["none", "few", "many"])
def test_every_figure_is_the_count_of_the_cases_behind_it(extensions: dict[str, int]) -> None:
    supervisor, _active = _varied_organisation(160)
    _with_extensions(supervisor, extensions)
    sums = figures._extra_months(supervisor.organisation_id)[1]
    # Both ways of finding the expected stage are exercised.
    assert (len(sums) > figures.MOST_EXTRA_SUMS) == (extensions is MANY)
    _check_every_figure(supervisor.organisation_id)


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "America/Bogota"])
def test_the_figures_hold_in_other_time_zones(zone: str) -> None:
    with override_settings(TIME_ZONE=zone):
        supervisor, active = _varied_organisation(120)
        _with_extensions(supervisor, FEW)
        # A contact late in the evening: another day in UTC.
        evening = timezone.localtime().replace(hour=23, minute=30) - timedelta(days=20)
        monitoring_services.contact_log(
            beneficiary=active[40],
            actor=User.objects.get(username="benchmark-worker-0"),
            data={"occurred_at": evening, "kind": "office_visit", "summary": "Met.", "made": True},
        )
        _check_every_figure(supervisor.organisation_id)


def _doubled(organisation_id: int) -> None:
    """Every active case once more, with its case manager."""
    for case in Beneficiary.objects.filter(organisation_id=organisation_id, status="active"):
        manager = case.team.filter(role=TeamRole.CASE_MANAGER, ended_on__isnull=True).first()
        case.pk, case.public_id, case.case_code = None, uuid.uuid4(), f"{case.case_code}-2"
        case.save()
        if manager is None:
            continue
        manager.pk, manager.public_id, manager.beneficiary = None, uuid.uuid4(), case
        manager.save()


def test_the_review_counts_in_a_fixed_number_of_queries() -> None:
    supervisor, _active = _varied_organisation(40)
    organisation_id = supervisor.organisation_id

    def queries() -> int:
        with CaptureQueriesContext(connection) as counted:
            figures.counted(organisation_id)
            review.first_named(organisation_id)
        return len(counted)

    before = queries()
    _doubled(organisation_id)
    assert queries() == before


def test_the_stage_grid_adds_up_to_the_active_cases() -> None:
    supervisor, _active = _varied_organisation(80)
    counts = figures.counted(supervisor.organisation_id)
    assert sum(counts.grid.values()) == counts.overall.active
    assert Counter(dict(counts.grid)).total() == sum(w.active for w in counts.workers)


def test_the_attention_lists_name_the_latest_ten_and_count_the_rest() -> None:
    supervisor, _active = _varied_organisation(400)
    organisation_id = supervisor.organisation_id
    counts = figures.counted(organisation_id)
    attention = review.attention(organisation_id, counts, review.first_named(organisation_id))
    since = timezone.localdate() - timedelta(days=review.ATTENTION_DAYS)
    recent = Setback.objects.filter(
        beneficiary__organisation_id=organisation_id, occurred_on__gte=since
    ).order_by("-occurred_on", "-id")
    assert recent.count() > figures.FIRST_NAMED  # the list is cut
    setbacks = attention["setbacks"]
    assert setbacks.first == list(recent[: figures.FIRST_NAMED])
    assert (setbacks.count, setbacks.more) == (recent.count(), recent.count() - 10)
