"""The indicator matrix: kept per organisation in the admin, chosen by plan goals, counted
in the reports."""

from __future__ import annotations

import csv
import importlib
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts.models import Organisation, Role
from assessments.choices import OutcomeDomain
from core.records import version_of
from plans import services
from plans.models import (
    INDICATOR_LANGUAGES,
    Goal,
    GoalStatus,
    Indicator,
    PlanVersion,
    TargetDirection,
)
from plans.pdf import plan_pdf
from reports.indicators import goals_by_indicator
from tests.conftest import World
from tests.factories import UserFactory, make_case, opened

from .conftest import goal_data, sign_all, signature_data

TODAY = timezone.localdate


def make_indicator(organisation: Organisation, name: str, **fields: Any) -> Indicator:
    values: dict[str, Any] = {
        "domain": OutcomeDomain.ECONOMIC,
        "verification": "Work contract seen",
        "direction": TargetDirection.INCREASE,
        **fields,
    }
    return Indicator.objects.create(organisation=organisation, name=name, **values)


def _admin_form(**fields: str) -> dict[str, str]:
    return {
        "domain": OutcomeDomain.ACCOMMODATION,
        "direction": TargetDirection.REACH_OR_KEEP,
        "active": "on",
        "name": "Lives in a safe home",
        "verification": "Home visit",
        "name_sq": "",
        "verification_sq": "",
        "name_id": "",
        "verification_id": "",
        **fields,
    }


class TestAdmin:
    def test_an_organisations_administrator_adds_to_their_own_matrix(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.administrator)
        form = client.get(reverse("admin:plans_indicator_add"))
        assert "organisation" not in form.context["adminform"].form.fields
        # Naming another organisation in the request changes nothing: it is always theirs.
        response = client.post(
            reverse("admin:plans_indicator_add"),
            _admin_form(organisation=str(world.other_org.pk), name_sq="Jeton në shtëpi"),
        )
        assert response.status_code == 302
        indicator = Indicator.objects.get()
        assert (indicator.organisation, indicator.name_sq) == (world.org, "Jeton në shtëpi")

    def test_they_see_and_change_only_their_organisations_indicators(
        self, client: Any, world: World
    ) -> None:
        own = make_indicator(world.org, "Paid work")
        theirs = make_indicator(world.other_org, "Paid work elsewhere")
        client.force_login(world.administrator)
        listing = client.get(reverse("admin:plans_indicator_changelist"))
        assert list(listing.context["cl"].queryset) == [own]
        # Another organisation's indicator is not there to open, nor to change.
        other_url = reverse("admin:plans_indicator_change", args=[theirs.pk])
        assert client.get(other_url).status_code == 302
        client.post(other_url, _admin_form(name="Taken over"))
        theirs.refresh_from_db()
        assert theirs.name == "Paid work elsewhere"
        response = client.post(
            reverse("admin:plans_indicator_change", args=[own.pk]),
            _admin_form(domain=OutcomeDomain.ECONOMIC, name="Paid work", active=""),
        )
        assert response.status_code == 302
        own.refresh_from_db()
        assert (own.domain, own.active, own.organisation) == (
            OutcomeDomain.ECONOMIC,
            False,
            world.org,
        )

    def test_a_duplicate_is_a_message_not_an_error_page(self, client: Any, world: World) -> None:
        make_indicator(world.org, "Lives in a safe home", domain=OutcomeDomain.ACCOMMODATION)
        client.force_login(world.administrator)
        response = client.post(reverse("admin:plans_indicator_add"), _admin_form())
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["name"] == [
            "Your organisation already has this indicator in this domain."
        ]
        assert Indicator.objects.count() == 1

    def test_an_administrator_of_no_organisation_says_whose(
        self, client: Any, world: World
    ) -> None:
        installation = UserFactory(
            username="root",
            organisation=None,
            role=Role.ADMINISTRATOR,
            is_staff=True,
            is_superuser=True,
        )
        make_indicator(world.org, "Paid work")
        make_indicator(world.other_org, "Paid work")
        client.force_login(installation)
        listing = client.get(reverse("admin:plans_indicator_changelist"))
        assert listing.context["cl"].queryset.count() == 2
        response = client.post(
            reverse("admin:plans_indicator_add"),
            _admin_form(organisation=str(world.other_org.pk)),
        )
        assert response.status_code == 302
        assert Indicator.objects.filter(organisation=world.other_org).count() == 2


class TestLanguages:
    def test_each_language_falls_back_to_english(self, world: World) -> None:
        indicator = make_indicator(
            world.org,
            "Paid work",
            name_sq="Punë me pagë",
            verification_id="Kontrak kerja",
        )
        with translation.override("sq"):
            assert (indicator.localised_name, indicator.localised_verification) == (
                "Punë me pagë",
                "Work contract seen",
            )
            assert str(indicator) == "Punë me pagë"
        with translation.override("id"):
            assert (indicator.localised_name, indicator.localised_verification) == (
                "Paid work",
                "Kontrak kerja",
            )
        with translation.override("en-gb"):
            assert indicator.localised_name == "Paid work"
        assert indicator.text("name", "sq") == "Punë me pagë"

    def test_every_language_of_the_product_has_its_fields(self) -> None:
        others = {code for code, _name in settings.LANGUAGES} - {"en-gb"}
        assert others == set(INDICATOR_LANGUAGES)
        for code in INDICATOR_LANGUAGES:
            Indicator._meta.get_field(f"name_{code}")
            Indicator._meta.get_field(f"verification_{code}")


def _goal_url(world: World, version: PlanVersion, name: str = "goal_add", *more: Any) -> str:
    return reverse(f"plans:{name}", args=[world.case.public_id, version.public_id, *more])


def _goal_form(**fields: Any) -> dict[str, Any]:
    data = goal_data(indicator="")
    data["target_date"] = data["target_date"].isoformat()
    return {**data, "matrix_indicator": "", "document": "", "own_view": "", **fields}


class TestGoalForm:
    def test_it_offers_the_organisations_indicators_in_use_by_domain(
        self, client: Any, world: World, plan: PlanVersion
    ) -> None:
        make_indicator(world.org, "Paid work")
        make_indicator(world.org, "Safe home", domain=OutcomeDomain.ACCOMMODATION)
        make_indicator(world.org, "Retired indicator", active=False)
        make_indicator(world.other_org, "Their indicator")
        client.force_login(world.case_manager)
        page = client.get(_goal_url(world, plan)).content.decode()
        economic = f'<optgroup label="{OutcomeDomain.ECONOMIC.label}">'
        accommodation = f'<optgroup label="{OutcomeDomain.ACCOMMODATION.label}">'
        # Grouped under their domain, in the domains' order.
        assert page.index(accommodation) < page.index("Safe home") < page.index(economic)
        assert page.index(economic) < page.index("Paid work")
        assert "Retired indicator" not in page and "Their indicator" not in page

    def test_a_chosen_indicator_fills_an_empty_indicator_of_success(
        self, client: Any, world: World, plan: PlanVersion
    ) -> None:
        indicator = make_indicator(world.org, "Paid work")
        client.force_login(world.case_manager)
        response = client.post(_goal_url(world, plan), _goal_form(matrix_indicator=indicator.pk))
        assert response.status_code == 302
        goal = Goal.objects.get()
        assert (goal.matrix_indicator, goal.indicator) == (indicator, "Paid work")
        # What is written stays as written.
        client.post(
            _goal_url(world, plan, "goal_edit", goal.public_id),
            {
                **_goal_form(matrix_indicator=indicator.pk, indicator="Signs a contract"),
                **opened(goal),
            },
        )
        goal.refresh_from_db()
        assert goal.indicator == "Signs a contract"
        # The printed plan shows it; the version page names the indicator counted under.
        assert "Signs a contract" in "".join(
            p.extract_text() for p in PdfReader(io.BytesIO(plan_pdf(plan))).pages
        )
        page = client.get(_goal_url(world, plan, "version")).content.decode()
        assert "Counted under the indicator: Paid work" in page

    def test_another_organisations_indicator_is_refused_next_to_the_field(
        self, client: Any, world: World, plan: PlanVersion
    ) -> None:
        theirs = make_indicator(world.other_org, "Their indicator")
        client.force_login(world.case_manager)
        response = client.post(_goal_url(world, plan), _goal_form(matrix_indicator=theirs.pk))
        assert response.status_code == 200
        assert response.context["form"].errors["matrix_indicator"] == [
            "Choose one of your organisation's indicators in use."
        ]
        assert not Goal.objects.exists()

    def test_without_either_the_goal_is_refused(
        self, client: Any, world: World, plan: PlanVersion
    ) -> None:
        client.force_login(world.case_manager)
        response = client.post(_goal_url(world, plan), _goal_form())
        assert response.context["form"].errors["indicator"] == [
            "Say how everyone will know the goal is reached, or choose an indicator."
        ]

    def test_the_service_refuses_another_organisations_or_a_retired_indicator(
        self, world: World, plan: PlanVersion
    ) -> None:
        theirs = make_indicator(world.other_org, "Their indicator")
        retired = make_indicator(world.org, "Retired", active=False)
        for chosen, message in (
            (theirs, "Choose one of your organisation's indicators."),
            (retired, "This indicator is no longer in use."),
        ):
            with pytest.raises(ValidationError) as refused:
                services.goal_save(
                    version=plan,
                    actor=world.case_manager,
                    data=goal_data(matrix_indicator=chosen),
                )
            assert refused.value.message_dict == {"matrix_indicator": [message]}

    def test_a_goal_keeps_an_indicator_retired_since(
        self, client: Any, world: World, plan: PlanVersion
    ) -> None:
        indicator = make_indicator(world.org, "Paid work")
        goal = services.goal_save(
            version=plan,
            actor=world.case_manager,
            data=goal_data(matrix_indicator=indicator),
        )
        Indicator.objects.filter(pk=indicator.pk).update(active=False)
        client.force_login(world.case_manager)
        response = client.post(
            _goal_url(world, plan, "goal_edit", goal.public_id),
            {
                **_goal_form(matrix_indicator=indicator.pk, description="Find work nearby"),
                **opened(goal),
            },
        )
        assert response.status_code == 302
        goal.refresh_from_db()
        assert (goal.description, goal.matrix_indicator) == ("Find work nearby", indicator)

    def test_the_indicator_is_not_in_the_fingerprint_so_renaming_it_changes_no_signed_plan(
        self, world: World, plan: PlanVersion
    ) -> None:
        indicator = make_indicator(world.org, "Paid work")
        services.goal_save(
            version=plan, actor=world.case_manager, data=goal_data(matrix_indicator=indicator)
        )
        sign_all(world, plan)
        printed = _printed_text(plan_pdf(plan))
        Indicator.objects.filter(pk=indicator.pk).update(name="Renamed")
        assert services.fingerprint(plan) == plan.fingerprint
        # Compared as printed: the embedded fonts carry the second they were made.
        assert _printed_text(plan_pdf(PlanVersion.objects.get(pk=plan.pk))) == printed
        # And a signed version's goals cannot change their indicator.
        goal = plan.goals.get()
        with pytest.raises(ValidationError):
            services.goal_save(
                version=plan,
                actor=world.case_manager,
                data={"matrix_indicator": None, "indicator": "Other"},
                goal=goal,
            )


def _printed_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _rows(organisation: Organisation, start: date, end: date) -> dict[str, list[Any]]:
    return {str(row[0]): row[1:] for row in goals_by_indicator(organisation.pk, start, end).rows}


def _progress(world: World, goal: Goal, status: str) -> None:
    services.goal_progress(
        goal=goal,
        actor=world.case_manager,
        status=status,
        note="Reason",
        opened_at=version_of(goal),
    )


@pytest.fixture
def counted(world: World, plan: PlanVersion) -> dict[str, Any]:
    """A plan signed 10 days ago with two goals under "Paid work" (one achieved, one
    dropped), one under "Safe home", one with its own indicator only; then carried into a
    second version signed today. Plus a draft of another case, never signed."""
    work = make_indicator(world.org, "Paid work")
    home = make_indicator(world.org, "Safe home", domain=OutcomeDomain.ACCOMMODATION)
    make_indicator(world.org, "Unused", domain=OutcomeDomain.ACCOMMODATION)
    goals = [
        services.goal_save(
            version=plan,
            actor=world.case_manager,
            data=goal_data(description=f"Goal {n}", matrix_indicator=indicator),
        )
        for n, indicator in enumerate([work, work, home, None])
    ]
    sign_all_on(world, plan, TODAY() - timedelta(days=10))
    _progress(world, goals[0], GoalStatus.ACHIEVED)
    _progress(world, goals[1], GoalStatus.DROPPED)
    second = services.plan_new_version(version=plan, actor=world.case_manager, reason="Review")
    sign_all_on(world, second, TODAY())
    other_case = make_case(case_manager=world.case_manager)
    draft = services.plan_start(beneficiary=other_case, actor=world.case_manager)
    services.goal_save(
        version=draft, actor=world.case_manager, data=goal_data(matrix_indicator=work)
    )
    return {"work": work, "home": home, "second": second}


def sign_all_on(world: World, version: PlanVersion, on: date) -> None:
    for role in ("beneficiary", "case_manager"):
        services.signature_record(
            version=version, actor=world.case_manager, data=signature_data(role, signed_on=on)
        )


class TestCounts:
    def test_goals_count_once_however_many_versions_carry_them(
        self, world: World, counted: dict[str, Any]
    ) -> None:
        assert Goal.objects.filter(version__beneficiary=world.case).count() == 8
        rows = _rows(world.org, TODAY() - timedelta(days=30), TODAY())
        assert rows[str(OutcomeDomain.ECONOMIC.label)] == ["", 2, 1, 1]
        assert rows["… Paid work"] == ["Increase", 2, 1, 1]
        assert rows[str(OutcomeDomain.ACCOMMODATION.label)] == ["", 1, 0, 0]
        assert rows["… Safe home"] == ["Increase", 1, 0, 0]
        assert rows["… Unused"] == ["Increase", 0, 0, 0]
        assert rows["Goals with their own indicator only"] == ["", 1, 0, 0]
        assert rows["Total"] == ["", 4, 1, 1]
        assert rows[str(OutcomeDomain.JUSTICE.label)] == ["", 0, 0, 0]

    def test_the_period_decides(self, world: World, counted: dict[str, Any]) -> None:
        # Agreed before the period, achieved and dropped in it (today).
        assert _rows(world.org, TODAY() - timedelta(days=5), TODAY())["Total"] == ["", 0, 1, 1]
        # A period that ended before the plan was signed: nothing agreed yet.
        before = _rows(world.org, TODAY() - timedelta(days=60), TODAY() - timedelta(days=11))
        assert before["Total"] == ["", 0, 0, 0]
        # Set in the period, achieved after it.
        earlier = _rows(world.org, TODAY() - timedelta(days=30), TODAY() - timedelta(days=1))
        assert earlier["Total"] == ["", 4, 0, 0]

    def test_other_organisations_goals_do_not_count(
        self, world: World, counted: dict[str, Any]
    ) -> None:
        assert _rows(world.other_org, TODAY() - timedelta(days=30), TODAY())["Total"] == [
            "",
            0,
            0,
            0,
        ]

    def test_a_retired_indicator_still_shows_what_it_counted(
        self, world: World, counted: dict[str, Any]
    ) -> None:
        Indicator.objects.filter(name__in=["Paid work", "Unused"]).update(active=False)
        rows = _rows(world.org, TODAY() - timedelta(days=30), TODAY())
        assert rows["… Paid work"] == ["Increase", 2, 1, 1]
        assert "… Unused" not in rows

    def test_the_page_shows_it_and_the_csv_hides_small_counts(
        self, client: Any, world: World, counted: dict[str, Any]
    ) -> None:
        client.force_login(world.supervisor)
        page = client.get(reverse("reports:report"))
        assert "indicators" in [t.key for t in page.context["tables"]]
        assert "Plan goals by indicator" in page.content.decode()
        export = client.get(reverse("reports:report_export", args=["indicators"]))
        rows = list(csv.reader(io.StringIO(export.content.decode())))
        assert ["… Paid work", "Increase", "<5", "<5", "<5"] in rows

    def test_the_lineage_is_filled_in_for_goals_saved_before_it_was_kept(
        self, world: World, counted: dict[str, Any]
    ) -> None:
        expected = dict(Goal.objects.values_list("pk", "origin_id"))
        changed_on = dict(Goal.objects.values_list("pk", "status_changed_on"))
        assert sum(1 for origin in expected.values() if origin) == 4
        Goal.objects.update(origin=None, status_changed_on=None)
        importlib.import_module("plans.migrations.0007_goal_lineage_backfill").backfill(
            django_apps, None
        )
        assert dict(Goal.objects.values_list("pk", "origin_id")) == expected
        assert dict(Goal.objects.values_list("pk", "status_changed_on")) == changed_on

    def test_query_counts_do_not_grow_with_the_goals(self, world: World) -> None:
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                goals_by_indicator(world.org.pk, TODAY() - timedelta(days=30), TODAY())
            return len(captured)

        def add_plan(indicators: list[Indicator]) -> None:
            case = make_case(case_manager=world.case_manager)
            version = services.plan_start(beneficiary=case, actor=world.case_manager)
            for indicator in indicators:
                services.goal_save(
                    version=version,
                    actor=world.case_manager,
                    data=goal_data(matrix_indicator=indicator),
                )
            sign_all(world, version)
            services.plan_new_version(version=version, actor=world.case_manager, reason="R")

        first = make_indicator(world.org, "Paid work")
        add_plan([first])
        small = queries()
        more = [make_indicator(world.org, f"Indicator {n}") for n in range(4)]
        for _ in range(3):
            add_plan([first, *more, None])
        assert queries() == small


class TestPageQueries:
    def test_the_goal_form_and_the_plan_page_do_not_grow_with_indicators(
        self, client: Any, world: World, plan: PlanVersion
    ) -> None:
        client.force_login(world.case_manager)

        def queries(url: str) -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        indicator = make_indicator(world.org, "Paid work")
        services.goal_save(
            version=plan, actor=world.case_manager, data=goal_data(matrix_indicator=indicator)
        )
        small = (queries(_goal_url(world, plan)), queries(_goal_url(world, plan, "version")))
        for n in range(6):
            more = make_indicator(world.org, f"Indicator {n}", domain=OutcomeDomain.values[n])
            services.goal_save(
                version=plan, actor=world.case_manager, data=goal_data(matrix_indicator=more)
            )
        assert (
            queries(_goal_url(world, plan)),
            queries(_goal_url(world, plan, "version")),
        ) == small
