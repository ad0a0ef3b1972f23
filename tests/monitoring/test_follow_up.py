from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases import services as case_services
from cases.choices import Stage
from cases.models import Beneficiary
from core.records import version_of
from monitoring import services
from monitoring.models import CadenceOverride, ContactInterval
from monitoring.selectors import follow_up_for, my_follow_ups
from tests.conftest import World
from tests.factories import close_case, make_case

TODAY = timezone.localdate


def _at(day: Any) -> datetime:
    """Mid-morning of that day, or now if that is still to come today."""
    return min(
        datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone()), timezone.now()
    )


def _contact(world: World, case: Beneficiary, day: Any, **overrides: Any) -> Any:
    data = {
        "occurred_at": _at(day),
        "kind": "office_visit",
        "summary": "Talked about work.",
        **overrides,
    }
    return services.contact_log(beneficiary=case, actor=world.case_manager, data=data)


class TestLogging:
    def test_a_contact_records_its_author_and_discipline(self, world: World) -> None:
        contact = services.contact_log(
            beneficiary=world.case,
            actor=world.mdt,
            data={"occurred_at": timezone.now(), "kind": "office_visit", "summary": "ok"},
        )
        assert (contact.author, contact.author_discipline) == (world.mdt, "psychologist")
        assert contact.history.get().history_user == world.mdt

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"occurred_at": timezone.now() + timedelta(hours=2)}, "occurred_at"),
            ({"kind": "home_visit", "safety_checked": False}, "safety_checked"),
            ({"kind": "phone_call"}, "safety_checked"),
            ({"observations": ["made-up"]}, "observations"),
        ],
    )
    def test_it_refuses_bad_contacts(self, world: World, overrides: dict, field: str) -> None:
        data = {"occurred_at": timezone.now(), "kind": "office_visit", "summary": "x", **overrides}
        with pytest.raises(ValidationError) as error:
            services.contact_log(beneficiary=world.case, actor=world.case_manager, data=data)
        assert field in error.value.message_dict
        assert not world.case.contacts.exists()

    def test_none_before_admission(self, world: World) -> None:
        with pytest.raises(ValidationError):
            _contact(world, world.case, world.case.admitted_on - timedelta(days=1))

    def test_only_the_author_the_case_manager_or_a_supervisor_corrects(self, world: World) -> None:
        contact = _contact(world, world.case, TODAY())
        with pytest.raises(PermissionDenied):
            services.contact_update(
                contact=contact,
                actor=world.mdt,
                data={"summary": "changed"},
                opened_at=version_of(contact),
            )
        services.contact_update(
            contact=contact,
            actor=world.supervisor,
            data={"summary": "Corrected."},
            opened_at=version_of(contact),
        )
        assert [h.summary for h in contact.history.order_by("history_date")] == [
            "Talked about work.",
            "Corrected.",
        ]


class TestCadence:
    @pytest.mark.parametrize(
        ("stage", "days"), [(Stage.CRISIS, 7), (Stage.TRANSITION, 7), (Stage.INCLUSION, 30)]
    )
    def test_each_stage_has_its_default_interval(self, world: World, stage: str, days: int) -> None:
        if stage != Stage.CRISIS:
            case_services.stage_change(
                beneficiary=world.case,
                actor=world.case_manager,
                to_stage=stage,
                changed_on=TODAY(),
                reason="x",
            )
        last = TODAY() - timedelta(days=2)
        _contact(world, world.case, last)
        follow_up = follow_up_for(world.case)
        assert (follow_up.interval_days, follow_up.due_on) == (days, last + timedelta(days=days))

    def test_without_any_contact_it_counts_from_admission(self, world: World) -> None:
        assert follow_up_for(world.case).due_on == world.case.admitted_on + timedelta(days=7)

    def test_an_attempt_does_not_reset_it(self, world: World) -> None:
        _contact(world, world.case, TODAY() - timedelta(days=10))
        _contact(world, world.case, TODAY(), made=False, kind="phone_call", safety_checked=True)
        follow_up = follow_up_for(world.case)
        assert follow_up.state == "overdue" and follow_up.days_overdue == 3

    def test_overdue_today_and_this_week_across_time(self, world: World) -> None:
        last = TODAY() - timedelta(days=1)
        _contact(world, world.case, last)
        for offset, state in [(0, "week"), (6, "today"), (7, "overdue"), (-1, "week")]:
            with time_machine.travel(last + timedelta(days=1 + offset), tick=False):
                assert follow_up_for(world.case).state == state, offset
        with time_machine.travel(last + timedelta(days=30), tick=False):
            assert follow_up_for(world.case).days_overdue == 23

    def test_the_organisation_setting_and_the_case_override(self, world: World) -> None:
        ContactInterval.objects.create(organisation=world.org, phase="crisis", days=3)
        assert follow_up_for(world.case).interval_days == 3
        with pytest.raises(ValidationError) as error:
            services.cadence_override_set(
                beneficiary=world.case, actor=world.case_manager, days=14, reason="", opened_at=""
            )
        assert "reason" in error.value.message_dict
        services.cadence_override_set(
            beneficiary=world.case,
            actor=world.case_manager,
            days=14,
            reason="Works away all week",
            opened_at="",
        )
        assert follow_up_for(world.case).interval_days == 14
        services.cadence_override_set(
            beneficiary=world.case,
            actor=world.case_manager,
            days=None,
            reason="",
            opened_at=version_of(CadenceOverride.objects.get(beneficiary=world.case)),
        )
        assert follow_up_for(world.case).interval_days == 3

    def test_after_closure_monitoring_goes_on_quarterly_for_five_years(self, world: World) -> None:
        close_case(world.case, world.case_manager)
        assert follow_up_for(world.case).interval_days == 90
        with time_machine.travel(world.case.admitted_on + timedelta(days=5 * 366), tick=False):
            assert follow_up_for(world.case).state == "none"


class TestMyFollowUps:
    def test_overdue_first_then_by_due_date(self, world: World) -> None:
        fresh = make_case(case_manager=world.case_manager, first_name="Fresh", admitted_on=TODAY())
        _contact(world, world.case, TODAY() - timedelta(days=3))  # due in 4 days
        make_case(
            case_manager=world.case_manager,
            first_name="Late",
            admitted_on=TODAY() - timedelta(days=40),
        )
        rows = my_follow_ups(world.case_manager)
        assert [c.first_name for c in rows] == ["Late", "Ana", "Fresh"]
        assert rows[0].follow_up.state == "overdue"
        assert my_follow_ups(world.mdt) == []  # MDT members do not manage cases
        assert fresh.pk in {c.pk for c in rows}
