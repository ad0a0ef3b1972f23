"""The page benchmark's yardsticks (issue 20): the benchmark admin and the growth runs."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from accounts.models import Organisation, Role, User
from cases.models import Beneficiary
from monitoring.models import Contact
from tests.conftest import World
from tests.factories import UserFactory, make_case


def test_the_benchmark_compares_with_the_admin_and_across_sizes_and_keeps_nothing(
    db: None,
) -> None:
    out = StringIO()
    call_command("benchmark_pages", cases=30, runs=1, growth=[20, 40], stdout=out)
    printed = out.getvalue()

    for reference in ("admin changelist", "admin change page"):
        assert f"{reference}: median " in printed
    yardsticks = printed.split("Yardsticks", 1)[1].split("Growth", 1)[0]
    for page, reference, target in (
        ("caseload list", "admin changelist", "<=1x"),
        ("case file", "admin change page", "<=0.5x"),
        ("caseload list", "same rows in the page layout", "<=4x"),
        ("case file", "same rows in the page layout", "<=4x"),
    ):
        line = next(
            row for row in yardsticks.splitlines() if row.startswith(page) and reference in row
        )
        assert target in line
        assert line.rstrip().endswith(("met", "OVER"))

    absolute = printed.split("Targets in milliseconds", 1)[1].split("Growth", 1)[0]
    for page, target in (("caseload review, recomputed", "<=100 ms"), ("My follow-ups", "<=30 ms")):
        line = next(row for row in absolute.splitlines() if row.startswith(page))
        assert target in line and "(the target is for 10000 cases)" in line

    growth = printed.split("Growth", 1)[1]
    assert "20 cases" in growth and "40 cases" in growth
    for page in ("caseload list", "case file", "My follow-ups", "caseload review, recomputed"):
        line = next(row for row in growth.splitlines() if row.startswith(page))
        assert "<=1.3x" in line
    assert "caseload review, recomputed at 40 cases: " in growth
    assert printed.count("generated ") == 3  # the yardstick run, then each growth size

    assert not Beneficiary.objects.exists() and not Contact.objects.exists()
    assert not Organisation.objects.filter(code="BENCH").exists()
    assert not User.objects.filter(username__startswith="benchmark-").exists()


def test_the_benchmark_admin_shows_only_the_organisations_own_cases(world: World) -> None:
    theirs = make_case(
        case_manager=UserFactory(organisation=world.other_org, role=Role.CASE_WORKER)
    )
    admin = "/benchmark/admin/cases/beneficiary/"
    with override_settings(ROOT_URLCONF="demo.benchmark_urls"):
        for user, sees, hidden in (
            (world.supervisor, world.case, theirs),
            (world.outsider, theirs, world.case),
        ):
            client = Client()
            client.force_login(user)
            page = client.get(admin)
            assert page.status_code == 200
            assert sees.case_code in page.content.decode()
            assert hidden.case_code not in page.content.decode()
            # As a team would write it: a search box and the stage filter.
            assert 'id="searchbar"' in page.content.decode()
            assert 'id="changelist-filter"' in page.content.decode()
            assert client.get(f"{admin}{sees.pk}/change/").status_code == 200
            # The admin's "does not exist" answer: back to its index.
            assert client.get(f"{admin}{hidden.pk}/change/").status_code == 302


@pytest.mark.parametrize("sizes", ["1000", "10,x", "5,10"])
def test_growth_sizes_must_be_at_least_two_real_counts(db: None, sizes: str) -> None:
    with pytest.raises(CommandError, match="growth"):
        call_command("benchmark_pages", "--cases", "30", "--runs", "1", "--growth", sizes)
