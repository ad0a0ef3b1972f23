"""A setback that signals danger raises an alarm at once, and it stays until answered."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import CrisisAlarm, Setback
from notifications.models import Notification
from tests.conftest import World


def _setback(world: World, **data: Any) -> Setback:
    return services.setback_record(
        beneficiary=world.case,
        actor=world.mdt,
        data={
            "category": "illness",
            "occurred_on": timezone.localdate(),
            "severity": "moderate",
            "description": "A call from an unknown number asking for her.",
            **data,
        },
    )


class TestRaising:
    @pytest.mark.parametrize(
        ("category", "severity", "raised"),
        [
            ("illness", "critical", True),  # critical: always
            ("threats", "low", True),  # a danger sign whatever its severity
            ("violence", "moderate", True),
            ("disappearance", "severe", True),
            ("illness", "severe", False),
            ("job_loss", "moderate", False),
        ],
    )
    def test_critical_or_a_danger_sign_raises_it(
        self, world: World, category: str, severity: str, raised: bool
    ) -> None:
        setback = _setback(world, category=category, severity=severity)
        assert CrisisAlarm.objects.filter(setback=setback).exists() is raised

    def test_the_danger_signs_are_a_setting(self, world: World, settings: Any) -> None:
        settings.CRISIS_ALARM_CATEGORIES = ["job_loss"]
        assert CrisisAlarm.objects.filter(setback=_setback(world, category="job_loss")).exists()
        assert not CrisisAlarm.objects.filter(setback=_setback(world, category="threats")).exists()

    def test_it_is_saved_with_the_setback_or_not_at_all(self, world: World) -> None:
        """The case is already in crisis: moving it there fails, and so does everything."""
        with pytest.raises(ValidationError):
            services.setback_record(
                beneficiary=world.case,
                actor=world.case_manager,
                data={
                    "category": "threats",
                    "occurred_on": timezone.localdate(),
                    "severity": "critical",
                    "description": "Threats.",
                },
                move_to_stage=world.case.stage,
            )
        assert not Setback.objects.exists()
        assert not CrisisAlarm.objects.exists()
        assert not Notification.objects.exists()

    def test_the_case_manager_and_supervisors_hear_at_once_in_neutral_words(
        self, world: World, django_capture_on_commit_callbacks: Any
    ) -> None:
        for user in (world.case_manager, world.supervisor):
            user.email = f"{user.username}@example.org"
            user.save()
        with django_capture_on_commit_callbacks(execute=True):
            _setback(world, severity="critical")
        told = Notification.objects.filter(kind="crisis_alarm")
        assert {n.recipient for n in told} == {world.case_manager, world.supervisor}
        # E-mailed when the setback was saved, not at the next scan.
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            [world.case_manager.email, world.supervisor.email]
        )
        for message in mail.outbox:
            text = message.subject + message.body
            assert world.case.case_code in text
            for detail in (world.case.first_name, world.case.last_name, "unknown number"):
                assert detail not in text


class TestAcknowledging:
    def test_it_needs_what_was_done_and_happens_once(self, world: World) -> None:
        alarm = _setback(world, severity="critical").alarm
        with pytest.raises(ValidationError) as empty:
            services.crisis_alarm_acknowledge(alarm=alarm, actor=world.supervisor, action_taken=" ")
        assert "action_taken" in empty.value.message_dict
        services.crisis_alarm_acknowledge(
            alarm=alarm, actor=world.supervisor, action_taken="Moved her to the shelter tonight."
        )
        alarm.refresh_from_db()
        assert (alarm.acknowledged_by, alarm.is_open) == (world.supervisor, False)
        with pytest.raises(ValidationError, match="acknowledged this alarm"):
            services.crisis_alarm_acknowledge(
                alarm=alarm, actor=world.case_manager, action_taken="Again."
            )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestPages:
    def test_the_alarm_heads_the_case_file_and_the_review_until_acknowledged(
        self, world: World
    ) -> None:
        alarm = _setback(world, category="threats", severity="critical").alarm
        case_file = reverse("casework:detail", args=[world.case.public_id])
        acknowledge = reverse(
            "cases:crisis_acknowledge", args=[world.case.public_id, alarm.public_id]
        )
        supervisor = _client(world.supervisor)
        review = supervisor.get(reverse("supervision:review")).content.decode()
        assert "1 crisis alarm not acknowledged" in review and acknowledge in review
        page = _client(world.case_manager).get(case_file).content.decode()
        assert "Crisis alarm" in page and acknowledge in page

        refused = supervisor.post(acknowledge, {"action_taken": ""})
        assert refused.status_code == 200
        done = supervisor.post(acknowledge, {"action_taken": "Called her; she is safe."})
        assert done.status_code == 302
        review = supervisor.get(reverse("supervision:review")).content.decode()
        assert "crisis alarm not acknowledged" not in review
        page = supervisor.get(case_file).content.decode()
        assert acknowledge not in page
        assert "Called her; she is safe." in page

    def test_mdt_members_see_it_but_do_not_acknowledge_it(self, world: World) -> None:
        alarm = _setback(world, severity="critical").alarm
        mdt = _client(world.mdt)
        page = mdt.get(reverse("casework:detail", args=[world.case.public_id]))
        assert "Crisis alarm" in page.content.decode()
        acknowledge = reverse(
            "cases:crisis_acknowledge", args=[world.case.public_id, alarm.public_id]
        )
        assert mdt.post(acknowledge, {"action_taken": "Seen."}).status_code == 403
        assert CrisisAlarm.objects.get().is_open

    def test_recording_it_says_who_was_alarmed(self, world: World) -> None:
        response = _client(world.mdt).post(
            reverse("cases:setback_add", args=[world.case.public_id]),
            {
                "category": "violence",
                "occurred_on": timezone.localdate().isoformat(),
                "severity": "severe",
                "description": "Hit by her partner.",
            },
            follow=True,
        )
        assert "A crisis alarm went to the case manager and the supervisors." in (
            response.content.decode()
        )
