"""The re-trafficking risk flag: raised with its signs, reviewed at each contact, cleared."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import RiskFlag
from monitoring import services as monitoring_services
from notifications.models import Notification
from reports import tables
from tests.conftest import World


def _raise(world: World, **overrides: Any) -> RiskFlag:
    data: dict[str, Any] = {
        "indicators": ["exploiter_contact", "debts"],
        "reason": "A man from the old workplace waits outside her flat.",
        "raised_on": timezone.localdate(),
        **overrides,
    }
    return services.risk_flag_raise(beneficiary=world.case, actor=world.mdt, **data)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestRaisingAndClearing:
    def test_raised_with_signs_and_a_reason_the_supervisors_are_told(self, world: World) -> None:
        flag = _raise(world)
        assert flag.is_open and flag.raised_by == world.mdt
        told = Notification.objects.get(kind="risk_raised")
        assert told.recipient == world.supervisor

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"indicators": []}, "indicators"),
            ({"reason": " "}, "reason"),
            ({"raised_on": timezone.localdate() + timedelta(days=1)}, "raised_on"),
            ({"raised_on": timezone.localdate() - timedelta(days=4000)}, "raised_on"),
        ],
    )
    def test_what_it_needs(self, world: World, overrides: dict[str, Any], field: str) -> None:
        with pytest.raises(ValidationError) as refused:
            _raise(world, **overrides)
        assert field in refused.value.message_dict
        assert not RiskFlag.objects.exists()

    def test_one_open_flag_at_a_time(self, world: World) -> None:
        _raise(world)
        with pytest.raises(ValidationError, match="already raised"):
            _raise(world)
        with pytest.raises(IntegrityError):  # the database holds the rule too
            RiskFlag.objects.create(
                beneficiary=world.case, raised_on=timezone.localdate(), raised_by=world.mdt
            )

    def test_cleared_with_a_reason_once_then_raised_again(self, world: World) -> None:
        flag = _raise(world)
        with pytest.raises(ValidationError) as no_reason:
            services.risk_flag_clear(
                flag=flag, actor=world.case_manager, reason="", cleared_on=timezone.localdate()
            )
        assert "reason" in no_reason.value.message_dict
        services.risk_flag_clear(
            flag=flag,
            actor=world.case_manager,
            reason="He was arrested; she moved.",
            cleared_on=timezone.localdate(),
        )
        with pytest.raises(ValidationError, match="already cleared"):
            services.risk_flag_clear(
                flag=flag, actor=world.case_manager, reason="x", cleared_on=timezone.localdate()
            )
        assert _raise(world).is_open


class TestEveryContactReviewsIt:
    def _contact(self, world: World, **data: Any) -> Any:
        return monitoring_services.contact_log(
            beneficiary=world.case,
            actor=world.case_manager,
            data={"occurred_at": timezone.now(), "kind": "office_visit", "summary": "Met.", **data},
        )

    def test_a_contact_made_says_how_the_risk_looks(self, world: World) -> None:
        self._contact(world)  # no risk raised: nothing asked
        _raise(world)
        with pytest.raises(ValidationError) as refused:
            self._contact(world)
        assert "risk_review" in refused.value.message_dict
        self._contact(world, made=False)  # an attempt that reached nobody cannot say
        assert self._contact(world, risk_review="lower").risk_review == "lower"

    def test_the_contact_form_asks_only_while_it_is_raised(self, world: World) -> None:
        url = reverse("monitoring:contact_add", args=[world.case.public_id])
        client = _client(world.case_manager)
        assert 'name="risk_review"' not in client.get(url).content.decode()
        _raise(world)
        assert 'name="risk_review"' in client.get(url).content.decode()


class TestWhereItShows:
    def test_case_file_caseload_follow_ups_and_review(self, world: World) -> None:
        _raise(world)
        manager = _client(world.case_manager)
        for url in (
            reverse("casework:detail", args=[world.case.public_id]),
            reverse("casework:caseload") + "?mine=1",
            reverse("monitoring:my_follow_ups"),
        ):
            page = manager.get(url).content.decode().lower()
            assert "re-trafficking risk" in page, url
        review = _client(world.supervisor).get(reverse("supervision:review")).content.decode()
        assert "Re-trafficking risk raised" in review
        assert f"{world.case.public_id}/#risk" in review

    def test_the_team_raises_it_and_the_case_manager_clears_it(self, world: World) -> None:
        raise_url = reverse("cases:risk_raise", args=[world.case.public_id])
        mdt = _client(world.mdt)
        response = mdt.post(
            raise_url,
            {
                "indicators": ["job_offer"],
                "reason": "An offer of work abroad.",
                "raised_on": timezone.localdate().isoformat(),
            },
        )
        assert response.status_code == 302
        flag = RiskFlag.objects.get()
        clear_url = reverse("cases:risk_clear", args=[world.case.public_id, flag.public_id])
        assert mdt.get(clear_url).status_code == 403
        response = _client(world.case_manager).post(
            clear_url,
            {"reason": "She turned it down.", "cleared_on": timezone.localdate().isoformat()},
        )
        assert response.status_code == 302
        flag.refresh_from_db()
        assert not flag.is_open

    def test_the_reports_count_them(self, world: World) -> None:
        flag = _raise(world)
        services.risk_flag_clear(
            flag=flag, actor=world.case_manager, reason="Passed.", cleared_on=timezone.localdate()
        )
        _raise(world, indicators=["debts"])
        today = timezone.localdate()
        table = tables.risk_flags(world.org.pk, today - timedelta(days=30), today)
        rows = {str(row[0]): row[1] for row in table.rows}
        assert rows["Raised in the period"] == 2
        assert rows["… with the sign: Debts, or pressure to repay them"] == 2
        assert rows["… with the sign: Contact from former exploiters or their associates"] == 1
        assert rows["Cleared in the period"] == 1
        assert rows[f"Still raised on {today:%d %b %Y}"] == 1
