"""A fair "longer than typical": the organisation's extra months for a child and for complex
factors stretch the expected stages (issue 17), and a child is contacted more closely."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.choices import Stage
from cases.models import Beneficiary, expected_stage_after
from monitoring import reminders, services
from monitoring.models import ContactInterval, TimelineExtension
from monitoring.selectors import (
    attach_follow_ups,
    default_interval_days,
    follow_up_for,
    my_follow_ups,
    with_follow_up_facts,
)
from monitoring.timeline import attach_timelines, timeline_for
from notifications.models import Notification
from reports.exports import deidentified_cases_csv
from supervision import review
from tests.conftest import World
from tests.factories import OrganisationFactory, UserFactory, close_case, make_case

TODAY = timezone.localdate
EIGHT_MONTHS = 250  # days: crisis is typically over after six months


def _extend(organisation: Any, **months: int) -> None:
    for cause, n in months.items():
        TimelineExtension.objects.create(organisation=organisation, cause=cause, months=n)


def _late_crisis(world: World, **profile: Any) -> Beneficiary:
    """A case of the world's case manager still in crisis about eight months after admission."""
    return make_case(
        case_manager=world.case_manager,
        first_name=profile.pop("first_name", "Slow"),
        admitted_on=TODAY() - timedelta(days=EIGHT_MONTHS),
        **profile,
    )


class TestTheRule:
    @pytest.mark.parametrize(
        ("months", "extra", "expected"),
        [
            (5, 0, Stage.CRISIS),
            (6, 0, Stage.TRANSITION),
            (12, 0, Stage.INCLUSION),
            (8, 3, Stage.CRISIS),
            (9, 3, Stage.TRANSITION),
            (17, 3, Stage.TRANSITION),
            (18, 3, Stage.INCLUSION),
            (23, 6, Stage.TRANSITION),
            (24, 6, Stage.INCLUSION),
        ],
    )
    def test_each_stage_is_stretched_by_the_extra_months(
        self, months: int, extra: int, expected: str
    ) -> None:
        assert expected_stage_after(months, extra) == expected

    def test_without_extensions_a_late_crisis_is_longer_than_typical(self, world: World) -> None:
        case = _late_crisis(world, complex_factors=["disability"])
        timeline = timeline_for(case)
        assert (timeline.months, timeline.extra_months, timeline.causes) == (8, 0, ())
        assert (timeline.expected, timeline.comparison) == (Stage.TRANSITION, "longer")

    def test_the_factors_months_add_up_and_make_it_typical(self, world: World) -> None:
        _extend(world.org, disability=2, no_documents=1, security=4)
        _extend(world.other_org, mental_health=12)  # another organisation's: not ours
        case = _late_crisis(world, complex_factors=["disability", "no_documents", "mental_health"])
        timeline = timeline_for(case)
        assert timeline.extra_months == 3
        assert timeline.causes == (("disability", 2), ("no_documents", 1))
        assert (timeline.expected, timeline.comparison) == (Stage.CRISIS, "typical")
        assert [str(label) for label in timeline.cause_labels] == [
            "Physical or mental disability",
            "No documents or legal status",
        ]

    def test_a_child_at_admission_gets_the_child_months_even_after_turning_18(
        self, world: World
    ) -> None:
        _extend(world.org, child=3)
        admitted = TODAY() - timedelta(days=EIGHT_MONTHS)
        child = _late_crisis(world, date_of_birth=admitted - relativedelta(years=17, months=9))
        adult = _late_crisis(world, first_name="Adult")
        assert timeline_for(child).causes == (("child", 3),)
        assert timeline_for(child).comparison == "typical"
        assert not child.is_minor  # 18 now: the months still count, the stage began as a child
        assert timeline_for(adult).comparison == "longer"

    def test_lists_read_the_extensions_once(self, world: World) -> None:
        _extend(world.org, disability=3)
        _extend(world.other_org, disability=1)
        for n in range(6):
            _late_crisis(world, first_name=f"P{n}", complex_factors=["disability"])
        cases = list(Beneficiary.objects.all())
        with CaptureQueriesContext(connection) as captured:
            attach_timelines(cases)
        assert len(captured) == 1
        assert {c.timeline.comparison for c in cases if c.complex_factors} == {"typical"}


class TestWhereItIsUsed:
    def test_the_case_file_says_why_and_judges_fairly(self, client: Any, world: World) -> None:
        _extend(world.org, child=3, severe_trauma=3)
        admitted = TODAY() - timedelta(days=EIGHT_MONTHS)
        case = _late_crisis(
            world,
            date_of_birth=admitted - relativedelta(years=16),
            complex_factors=["severe_trauma"],
        )
        client.force_login(world.case_manager)
        page = client.get(reverse("casework:detail", args=[case.public_id])).content.decode()
        assert "(+6 months for A child (under 18), Severe trauma)" in page
        assert "as typical" in page and "longer than typical" not in page
        plain = _late_crisis(world, first_name="Plain")
        page = client.get(reverse("casework:detail", args=[plain.public_id])).content.decode()
        assert "longer than typical" in page and "months for" not in page

    def test_the_caseload_badges_only_the_unfair_ones(self, client: Any, world: World) -> None:
        _extend(world.org, disability=3)
        _late_crisis(world, first_name="Extended", complex_factors=["disability"])
        client.force_login(world.case_manager)
        rows = client.get(reverse("casework:caseload")).context["cases"]
        longer = {c.first_name for c in rows if c.timeline.longer}
        assert longer == set()
        _late_crisis(world, first_name="Plain")
        rows = client.get(reverse("casework:caseload")).context["cases"]
        assert {c.first_name for c in rows if c.timeline.longer} == {"Plain"}
        assert "longer than typical" in client.get(reverse("casework:caseload")).content.decode()

    def test_the_stage_review_reminder(self, world: World) -> None:
        _extend(world.org, disability=3)
        extended = _late_crisis(world, first_name="Extended", complex_factors=["disability"])
        plain = _late_crisis(world, first_name="Plain")
        reminders.scan()
        reviewed = set(
            Notification.objects.filter(kind="stage_review").values_list("beneficiary", flat=True)
        )
        assert plain.pk in reviewed and extended.pk not in reviewed
        # Once the extended stage too is over, it is reminded.
        with time_machine.travel(TODAY() + timedelta(days=120), tick=False):
            reminders.scan()
        assert Notification.objects.filter(kind="stage_review", beneficiary=extended).exists()

    def test_the_supervisors_review(self, world: World) -> None:
        _extend(world.org, disability=3)
        extended = _late_crisis(world, first_name="Extended", complex_factors=["disability"])
        plain = _late_crisis(world, first_name="Plain")
        cases = {c.pk: c for c in review.active_cases(world.org.pk)}
        assert (cases[extended.pk].expected, cases[extended.pk].extra_months) == (Stage.CRISIS, 3)
        assert not cases[extended.pk].longer
        assert cases[plain.pk].longer and cases[plain.pk].expected == Stage.TRANSITION
        behind = review.cases_behind("longer", list(cases.values()))
        assert [c.pk for c in behind] == [plain.pk]

    def test_the_deidentified_export(self, world: World, settings: Any) -> None:
        # Two cases cannot make a group of k (tests/reports/test_deidentified_export.py):
        # k = 1 releases both, to see their expected stage.
        settings.EXPORT_MIN_GROUP = 1
        _extend(world.org, disability=3)
        _late_crisis(world, first_name="Extended", complex_factors=["disability"])
        rows = list(csv.reader(io.StringIO(deidentified_cases_csv(actor=world.supervisor))))
        column = rows[0].index("expected_stage")
        # The world's fresh case and the extended one: both in crisis as expected.
        released = rows[1 : rows.index([])]  # the notes follow a blank line
        assert [row[column] for row in released] == ["Crisis intervention"] * 2


class TestQueryCounts:
    def test_the_caseload_stays_constant_with_extensions(self, client: Any, world: World) -> None:
        _extend(world.org, disability=3, child=2)
        client.force_login(world.supervisor)
        url = reverse("casework:caseload")

        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        _late_crisis(world, complex_factors=["disability"])
        few = count()
        for n in range(8):
            _late_crisis(
                world,
                first_name=f"P{n}",
                complex_factors=["disability"] if n % 2 else [],
                date_of_birth=TODAY() - relativedelta(years=16) if n % 3 else date(1990, 1, 1),
            )
        assert count() == few


class TestAChildsContactInterval:
    def _child(self, world: World, **profile: Any) -> Beneficiary:
        return make_case(
            case_manager=world.case_manager,
            first_name=profile.pop("first_name", "Young"),
            date_of_birth=TODAY() - relativedelta(years=15),
            **profile,
        )

    def _in_inclusion(self, case: Beneficiary, actor: Any) -> None:
        for stage in ("transition", "inclusion"):
            from cases import services as case_services

            case_services.stage_change(
                beneficiary=case,
                actor=actor,
                to_stage=stage,
                changed_on=TODAY(),
                reason="Moving on.",
            )

    def test_the_closer_of_the_stage_and_the_child_interval(self, world: World) -> None:
        child = self._child(world)
        adult = make_case(case_manager=world.case_manager, first_name="Grown")
        for case in (child, adult):
            self._in_inclusion(case, world.case_manager)
        # Inclusion: monthly for an adult, every 14 days (the default) for a child.
        assert follow_up_for(child).interval_days == 14
        assert follow_up_for(adult).interval_days == 30
        assert default_interval_days(child) == 14
        # In crisis the stage's weekly interval is already the closer one.
        crisis_child = self._child(world, first_name="Crisis")
        assert follow_up_for(crisis_child).interval_days == 7

    def test_the_organisation_s_child_interval_and_every_list(self, world: World) -> None:
        ContactInterval.objects.create(organisation=world.org, phase="child", days=5)
        ContactInterval.objects.create(organisation=world.org, phase="crisis", days=10)
        child = self._child(world)
        assert follow_up_for(child).interval_days == 5
        assert follow_up_for(world.case).interval_days == 10
        listed = {
            c.pk: c.follow_up.interval_days
            for c in attach_follow_ups(list(with_follow_up_facts(Beneficiary.objects.all())))
        }
        assert (listed[child.pk], listed[world.case.pk]) == (5, 10)
        assert {c.pk: c.follow_up.interval_days for c in my_follow_ups(world.case_manager)}[
            child.pk
        ] == 5
        reviewed = {c.pk: c.follow_up for c in review.active_cases(world.org.pk)}
        assert reviewed[child.pk].interval_days == 5
        assert reviewed[child.pk].due_on == child.admitted_on + timedelta(days=5)

    def test_the_case_s_own_interval_still_wins(self, world: World) -> None:
        child = self._child(world)
        services.cadence_override_set(
            beneficiary=child, actor=world.case_manager, days=21, reason="Boarding school.",
            opened_at="",
        )  # fmt: skip
        assert follow_up_for(child).interval_days == 21
        cases = attach_follow_ups(
            list(with_follow_up_facts(Beneficiary.objects.filter(pk=child.pk)))
        )
        assert cases[0].follow_up.interval_days == 21

    def test_the_closer_follow_up_after_an_alarm_still_applies(self, world: World) -> None:
        from cases import services as case_services

        child = self._child(world)
        case_services.setback_record(
            beneficiary=child,
            actor=world.case_manager,
            data={
                "category": "violence",
                "occurred_on": TODAY(),
                "severity": "critical",
                "description": "Hurt at school.",
            },
        )
        assert follow_up_for(child).interval_days == 2

    def test_after_closure_the_child_interval_no_longer_applies(self, world: World) -> None:
        child = self._child(world)
        close_case(child, world.case_manager)
        child.refresh_from_db()
        assert follow_up_for(child).interval_days == 90

    def test_the_reminder_uses_it(self, world: World) -> None:
        child = self._child(world, admitted_on=TODAY() - timedelta(days=20))
        self._in_inclusion(child, world.case_manager)
        adult = make_case(
            case_manager=world.case_manager,
            first_name="Grown",
            admitted_on=TODAY() - timedelta(days=20),
        )
        self._in_inclusion(adult, world.case_manager)
        reminders.scan()
        overdue = set(
            Notification.objects.filter(kind="contact_overdue").values_list(
                "beneficiary", flat=True
            )
        )
        assert child.pk in overdue and adult.pk not in overdue


def test_other_organisations_settings_never_count(db: None) -> None:
    organisation, other = OrganisationFactory(), OrganisationFactory()
    ContactInterval.objects.create(organisation=other, phase="child", days=1)
    TimelineExtension.objects.create(organisation=other, cause="child", months=12)
    manager = UserFactory(organisation=organisation)
    child = make_case(case_manager=manager, date_of_birth=TODAY() - relativedelta(years=15))
    assert follow_up_for(child).interval_days == 7
    assert timeline_for(child).extra_months == 0


def test_the_cadence_page_says_a_child_s_interval(client: Any, world: World) -> None:
    child = make_case(
        case_manager=world.case_manager, date_of_birth=TODAY() - relativedelta(years=15)
    )
    ContactInterval.objects.create(organisation=world.org, phase="child", days=5)
    client.force_login(world.case_manager)
    page = client.get(reverse("monitoring:cadence", args=[child.public_id])).content.decode()
    assert "interval for a child in this stage is every 5 days" in page
