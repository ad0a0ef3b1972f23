"""Emergency ("break-glass") access: a colleague off the team reads a file for a few hours,
with a reason, and a supervisor reviews it."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases import emergency
from cases.models import Beneficiary, CaseAccess, EmergencyAccess
from cases.selectors import beneficiaries_visible_to
from monitoring.models import Contact
from notifications.models import Notification, NotificationKind
from supervision import erasure
from tests.conftest import World
from tests.factories import UserFactory, close_case

REASON = "The person called the night line in crisis; her case manager is on leave."
PAGE = "/cases/emergency-access/"
REVIEWS = "/supervision/emergency-access/"


def _review(access_id: Any) -> str:
    return f"{REVIEWS}{access_id}/review/"


def open_access(world: World, user: Any = None, code: str | None = None) -> EmergencyAccess:
    return emergency.emergency_access_open(
        user=user or world.colleague, case_code=code or world.case.case_code, reason=REASON
    )


@pytest.mark.django_db
class TestOpening:
    def test_a_colleague_reads_the_file_for_a_few_hours_only(
        self, client: Any, world: World, settings: Any
    ) -> None:
        settings.EMERGENCY_ACCESS_HOURS = 12
        detail = reverse("casework:detail", args=[world.case.public_id])
        client.force_login(world.colleague)
        assert client.get(detail).status_code == 404
        open_access(world, code=world.case.case_code.lower())  # the code in any case
        page = client.get(detail)
        assert page.status_code == 200
        assert "you may read this file and log a contact, nothing else" in page.content.decode()
        assert CaseAccess.objects.filter(user=world.colleague, beneficiary=world.case).exists()
        with time_machine.travel(timezone.now() + timedelta(hours=12, minutes=1)):
            client.force_login(world.colleague)
            assert client.get(detail).status_code == 404
            assert world.case not in beneficiaries_visible_to(world.colleague)

    def test_it_reads_and_logs_the_contact_only_and_keeps_the_restricted_details_back(
        self, client: Any, world: World
    ) -> None:
        Beneficiary.objects.filter(pk=world.case.pk).update(
            address="12 Hidden Lane", security_notes="Trafficker still in town"
        )
        open_access(world)
        client.force_login(world.colleague)
        html = client.get(reverse("casework:detail", args=[world.case.public_id])).content.decode()
        assert "12 Hidden Lane" not in html and "Trafficker still in town" not in html
        for name in ("family_add", "setback_add", "close", "profile_edit"):
            response = client.post(reverse(f"cases:{name}", args=[world.case.public_id]), {})
            assert response.status_code == 403, name
        # The crisis call that made them open the file goes on record.
        contact_add = reverse("monitoring:contact_add", args=[world.case.public_id])
        call = {
            "kind": "phone_call",
            "made": "on",
            "safety_checked": "on",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "summary": "Night call: calmed down, safe at a friend's.",
        }
        assert client.post(contact_add, call).status_code == 302
        contact = Contact.objects.get(beneficiary=world.case)
        assert contact.author == world.colleague
        assert (
            "Log a contact"
            in client.get(reverse("casework:detail", args=[world.case.public_id])).content.decode()
        )

    def test_the_supervisors_are_told_at_once(self, world: World) -> None:
        open_access(world)
        told = Notification.objects.filter(kind=NotificationKind.EMERGENCY_ACCESS)
        assert [n.recipient for n in told] == [world.supervisor]
        assert told.get().url == REVIEWS
        assert world.case.case_code in told.get().text

    def test_through_the_page(self, client: Any, world: World) -> None:
        client.force_login(world.colleague)
        refused = client.post(PAGE, {"case_code": world.case.case_code, "reason": REASON})
        assert refused.status_code == 200 and refused.context["form"].errors["confirm"]
        assert not EmergencyAccess.objects.exists()
        response = client.post(
            PAGE, {"case_code": world.case.case_code, "reason": REASON, "confirm": "on"}
        )
        assert response["Location"] == reverse("casework:detail", args=[world.case.public_id])

    @pytest.mark.parametrize(
        ("code", "reason", "field", "message"),
        [
            ("OS-2026-0001", REASON, "case_code", "No case of your organisation has this code."),
            ("nonsense", REASON, "case_code", "No case of your organisation has this code."),
            (None, "help", "reason", "Write down what the emergency is."),
        ],
    )
    def test_bad_requests_are_refused_next_to_the_field(
        self, client: Any, world: World, code: str | None, reason: str, field: str, message: str
    ) -> None:
        client.force_login(world.colleague)
        data = {"case_code": code or world.case.case_code, "reason": reason, "confirm": "on"}
        response = client.post(PAGE, data)
        assert response.status_code == 200
        assert response.context["form"].errors[field] == [message]
        assert not EmergencyAccess.objects.exists()

    def test_another_organisation_s_case_is_not_found(self, world: World) -> None:
        elsewhere = UserFactory(organisation=world.other_org, role=Role.CASE_WORKER)
        with pytest.raises(ValidationError, match="No case of your organisation"):
            open_access(world, user=elsewhere)

    def test_the_team_does_not_need_it(self, world: World) -> None:
        with pytest.raises(ValidationError, match="on this case's team"):
            open_access(world, user=world.mdt)

    @pytest.mark.parametrize("persona", ["supervisor", "administrator"])
    def test_only_case_workers_and_mdt_members_ask(
        self, client: Any, world: World, persona: str
    ) -> None:
        client.force_login(world.personas()[persona])
        assert client.get(PAGE).status_code == 403
        with pytest.raises(ValidationError):
            open_access(world, user=world.personas()[persona])

    def test_an_anonymised_file_cannot_be_opened(self, world: World) -> None:
        Beneficiary.objects.filter(pk=world.case.pk).update(anonymised_on=timezone.localdate())
        with pytest.raises(ValidationError, match="anonymised"):
            open_access(world)


@pytest.mark.django_db
class TestReview:
    def test_a_supervisor_reviews_each_access(self, client: Any, world: World) -> None:
        access = open_access(world)
        client.force_login(world.supervisor)
        html = client.get(REVIEWS).content.decode()
        assert "to review" in html and REASON.split(";")[0] in html
        refused = client.post(_review(access.public_id), {"note": " "}, follow=True)
        assert "Review: This field is required." in refused.content.decode()
        access.refresh_from_db()
        assert access.reviewed_at is None
        done = client.post(
            _review(access.public_id), {"note": "Needed: she was safe by morning."}, follow=True
        )
        assert f"Emergency access to {world.case.case_code} reviewed." in done.content.decode()
        access.refresh_from_db()
        assert access.reviewed_by == world.supervisor and access.reviewed_at

    @pytest.mark.parametrize("chosen", [uuid.uuid4(), "999999", "x", "²", ""])
    def test_an_unknown_access_is_not_found(self, client: Any, world: World, chosen: str) -> None:
        client.force_login(world.supervisor)
        assert client.post(_review(chosen), {"note": "ok"}).status_code == 404

    def test_another_organisation_s_supervisor_cannot(self, client: Any, world: World) -> None:
        access = open_access(world)
        client.force_login(world.outsider)  # a supervisor elsewhere
        assert world.case.case_code not in client.get(REVIEWS).content.decode()
        assert client.post(_review(access.public_id), {"note": "ok"}).status_code == 404

    @pytest.mark.parametrize("persona", ["case_manager", "colleague", "administrator"])
    def test_the_review_is_for_supervisors(self, client: Any, world: World, persona: str) -> None:
        client.force_login(world.personas()[persona])
        assert client.get(REVIEWS).status_code == 403


def test_erasing_a_file_erases_the_reasons_too(world: World) -> None:
    access = open_access(world)
    close_case(world.case, world.case_manager)
    with time_machine.travel(timezone.now() + timedelta(days=366 * 11)):
        erasure.case_anonymise(beneficiary=world.case, actor=world.supervisor)
    access.refresh_from_db()
    assert (access.reason, access.user) == ("", world.colleague)
