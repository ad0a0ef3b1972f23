"""Safe-contact rules that hold: a visit or call the instructions rule out needs a reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Beneficiary
from core.records import version_of
from monitoring import services
from monitoring.models import Contact
from notifications import services as notification_services
from notifications.models import Notification, NotificationKind
from tests.conftest import World

NOTES = "Her brother must not know. Say you are from the training centre."


def _instructions(world: World, **profile: str) -> Beneficiary:
    return case_services.beneficiary_update(
        beneficiary=world.case,
        actor=world.case_manager,
        profile=profile,
        opened_at=version_of(world.case),
    )


def _log(world: World, **data: Any) -> Contact:
    return services.contact_log(
        beneficiary=world.case,
        actor=world.case_manager,
        data={
            "occurred_at": timezone.now(),
            "kind": "home_visit",
            "safety_checked": True,
            "summary": "Visited.",
            **data,
        },
    )


def _flags() -> list[int]:
    return list(
        Notification.objects.filter(kind=NotificationKind.UNSAFE_CONTACT).values_list(
            "recipient_id", flat=True
        )
    )


class TestTheRule:
    def test_a_home_visit_against_the_instructions_needs_a_reason(self, world: World) -> None:
        _instructions(world, home_visits_allowed="no")
        with pytest.raises(ValidationError) as refused:
            _log(world)
        assert "Home visits are not allowed" in refused.value.message_dict["exception_reason"][0]
        assert not Contact.objects.exists()

    def test_a_reason_needs_details(self, world: World) -> None:
        _instructions(world, home_visits_allowed="no")
        with pytest.raises(ValidationError) as refused:
            _log(world, exception_reason="emergency", exception_details="  ")
        assert set(refused.value.message_dict) == {"exception_details"}

    def test_with_both_it_is_saved_flagged_and_the_supervisors_are_told(self, world: World) -> None:
        _instructions(world, home_visits_allowed="no")
        contact = _log(
            world, exception_reason="emergency", exception_details="She called for help."
        )
        assert contact.against_instructions
        assert _flags() == [world.supervisor.pk]

    def test_a_call_attempt_is_held_to_the_rule_too(self, world: World) -> None:
        _instructions(world, safe_to_call="no")
        for kind in ("phone_call", "video_call"):
            with pytest.raises(ValidationError) as refused:
                _log(world, kind=kind, made=False)
            assert "not safe to call" in refused.value.message_dict["exception_reason"][0]

    def test_a_contact_the_instructions_allow_carries_no_exception(self, world: World) -> None:
        _instructions(world, safe_to_call="yes", home_visits_allowed="no")
        contact = _log(
            world, kind="phone_call", exception_reason="other", exception_details="Just in case."
        )
        contact.refresh_from_db()
        assert (contact.exception_reason, contact.exception_details) == ("", "")
        assert not contact.against_instructions
        assert _flags() == []

    def test_unknown_instructions_rule_nothing_out(self, world: World) -> None:
        assert not _log(world, kind="home_visit").against_instructions
        assert not _log(world, kind="phone_call").against_instructions

    def test_a_correction_into_a_home_visit_needs_a_reason(self, world: World) -> None:
        _instructions(world, home_visits_allowed="no")
        contact = _log(world, kind="office_visit")
        with pytest.raises(ValidationError) as refused:
            services.contact_update(
                contact=contact,
                actor=world.case_manager,
                data={"kind": "home_visit"},
                opened_at=version_of(contact),
            )
        assert "exception_reason" in refused.value.message_dict
        contact = Contact.objects.get(pk=contact.pk)
        services.contact_update(
            contact=contact,
            actor=world.case_manager,
            data={
                "kind": "home_visit",
                "exception_reason": "person_asked",
                "exception_details": "She asked us to come; her brother was away.",
            },
            opened_at=version_of(contact),
        )
        assert Contact.objects.get(pk=contact.pk).against_instructions

    def test_a_correction_does_not_drop_a_recorded_exception(self, world: World) -> None:
        _instructions(world, home_visits_allowed="no")
        contact = _log(world, exception_reason="emergency", exception_details="Crisis.")
        with pytest.raises(ValidationError):
            services.contact_update(
                contact=contact,
                actor=world.case_manager,
                data={"exception_reason": "", "exception_details": ""},
                opened_at=version_of(contact),
            )

    def test_instructions_changed_later_do_not_block_corrections(self, world: World) -> None:
        """A visit made when visits were allowed stays correctable after they are ruled out."""
        contact = _log(world)
        _instructions(world, home_visits_allowed="no")
        contact = Contact.objects.get(pk=contact.pk)
        services.contact_update(
            contact=contact,
            actor=world.case_manager,
            data={"summary": "Visited; typo fixed."},
            opened_at=version_of(contact),
        )
        # ...and an exception recorded then is kept though visits are allowed again.
        flagged = _log(world, exception_reason="emergency", exception_details="Crisis.")
        _instructions(world, home_visits_allowed="yes")
        flagged = Contact.objects.get(pk=flagged.pk)
        services.contact_update(
            contact=flagged,
            actor=world.case_manager,
            data={"summary": "Crisis visit."},
            opened_at=version_of(flagged),
        )
        assert Contact.objects.get(pk=flagged.pk).exception_reason == "emergency"

    def test_the_e_mail_to_supervisors_holds_no_instructions(self, world: World) -> None:
        _instructions(world, home_visits_allowed="no", safe_contact_notes=NOTES)
        world.supervisor.email = "sup@example.org"
        world.supervisor.save()
        _log(world, exception_reason="emergency", exception_details="Crisis.")
        notification = Notification.objects.get(kind=NotificationKind.UNSAFE_CONTACT)
        assert notification_services.deliver(notification.pk)
        (sent,) = mail.outbox
        text = f"{sent.subject}\n{sent.body}"
        assert "brother" not in text
        assert "Crisis" not in text


def _now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


VISIT = {"kind": "home_visit", "made": "on", "safety_checked": "on", "summary": "Visited."}


class TestPages:
    def test_the_form_shows_the_fields_and_says_plainly_what_is_not_allowed(
        self, client: Any, world: World
    ) -> None:
        _instructions(world, home_visits_allowed="no", safe_to_call="no")
        client.force_login(world.case_manager)
        response = client.get(reverse("monitoring:contact_add", args=[world.case.public_id]))
        body = response.content.decode()
        assert {"exception_reason", "exception_details"} <= set(response.context["form"].fields)
        assert 'name="exception_reason"' in body and 'name="exception_details"' in body
        assert "Home visits are not allowed: a home visit needs a reason below." in body
        assert "Calls are not safe" in body

    def test_the_form_warns_of_nothing_when_nothing_is_ruled_out(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.case_manager)
        body = client.get(
            reverse("monitoring:contact_add", args=[world.case.public_id])
        ).content.decode()
        assert "Home visits are not allowed" not in body
        assert "Calls are not safe" not in body

    def test_a_home_visit_without_a_reason_is_refused_next_to_the_field(
        self, client: Any, world: World
    ) -> None:
        _instructions(world, home_visits_allowed="no")
        client.force_login(world.case_manager)
        url = reverse("monitoring:contact_add", args=[world.case.public_id])
        response = client.post(url, {**VISIT, "occurred_at": _now()})
        assert response.status_code == 200
        assert "exception_reason" in response.context["form"].errors
        assert not Contact.objects.exists()
        response = client.post(
            url, {**VISIT, "occurred_at": _now(), "exception_reason": "emergency"}
        )
        assert "exception_details" in response.context["form"].errors
        assert not Contact.objects.exists()

    def test_a_flagged_contact_shows_its_badge_and_reason(self, client: Any, world: World) -> None:
        _instructions(world, home_visits_allowed="no")
        client.force_login(world.case_manager)
        response = client.post(
            reverse("monitoring:contact_add", args=[world.case.public_id]),
            {
                **VISIT,
                "occurred_at": _now(),
                "exception_reason": "person_asked",
                "exception_details": "She asked us to come while her brother was away.",
            },
        )
        assert response.status_code == 302
        client.force_login(world.supervisor)
        body = client.get(
            reverse("monitoring:contacts", args=[world.case.public_id])
        ).content.decode()
        assert "Against the safe-contact instructions: The person asked for it" in body
        assert "She asked us to come while her brother was away." in body
        assert _flags() == [world.supervisor.pk]

    def test_my_follow_ups_shows_each_persons_instructions(self, client: Any, world: World) -> None:
        _instructions(
            world,
            safe_to_call="yes",
            home_visits_allowed="no",
            who_may_answer="Only herself",
            safe_times="Weekdays after 17:00",
            safe_contact_notes=NOTES,
        )
        client.force_login(world.case_manager)
        body = client.get(reverse("monitoring:my_follow_ups")).content.decode()
        for shown in ("Only herself", "Weekdays after 17:00", NOTES, "home visits:"):
            assert shown in body
