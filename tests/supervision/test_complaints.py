"""Complaints and feedback: recorded by staff, named or anonymous, seen and answered by
supervisors only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification, NotificationKind
from supervision.models import Complaint, ComplaintStatus
from tests.conftest import World

LIST = "/supervision/complaints/"
ANONYMOUS = "/complaints/new/"
DETAILS = "The case manager cancelled three visits without telling me."


def _data(**overrides: Any) -> dict[str, Any]:
    return {
        "received_on": timezone.localdate().isoformat(),
        "channel": "in_person",
        "subject": "staff",
        "details": DETAILS,
        **overrides,
    }


def _add_url(world: World) -> str:
    return reverse("supervision:complaint_add", args=[world.case.public_id])


pytestmark = pytest.mark.django_db


class TestRecording:
    def test_the_team_records_one_and_only_the_supervisors_hear_of_it(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.mdt)
        response = client.post(_add_url(world), _data())
        assert response["Location"] == reverse("casework:detail", args=[world.case.public_id])
        complaint = Complaint.objects.get()
        assert (complaint.beneficiary, complaint.recorded_by) == (world.case, world.mdt)
        told = Notification.objects.filter(kind=NotificationKind.COMPLAINT_RECEIVED)
        assert [n.recipient for n in told] == [world.supervisor]
        assert told.get().url == LIST
        client.force_login(world.case_manager)
        file = client.get(reverse("casework:detail", args=[world.case.public_id]))
        assert DETAILS not in file.content.decode()
        assert client.get(LIST).status_code == 403

    def test_anonymously(self, client: Any, world: World) -> None:
        client.force_login(world.colleague)
        assert client.post(ANONYMOUS, _data(channel="box"))["Location"] == reverse("home")
        complaint = Complaint.objects.get()
        assert complaint.beneficiary is None and complaint.organisation == world.org
        assert not Notification.objects.exists()  # it waits on the review instead

    def test_bad_input_is_refused_next_to_the_field(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        for field, data in (
            ("received_on", _data(received_on=tomorrow)),
            ("details", _data(details="")),
        ):
            response = client.post(_add_url(world), data)
            assert response.status_code == 200
            assert list(response.context["form"].errors) == [field]
        assert not Complaint.objects.exists()

    def test_administrators_do_not_record_them(self, client: Any, world: World) -> None:
        client.force_login(world.administrator)
        assert client.get(ANONYMOUS).status_code == 403


class TestAnswering:
    def _complaint(self, world: World, **data: Any) -> Complaint:
        from supervision import services as supervision_services

        return supervision_services.complaint_record(
            actor=world.case_manager,
            beneficiary=world.case,
            data={
                "received_on": timezone.localdate(),
                "channel": "phone",
                "subject": "plan",
                "details": DETAILS,
                **data,
            },
        )

    def test_supervisors_see_open_ones_first_and_answer_them(
        self, client: Any, world: World
    ) -> None:
        older = self._complaint(world, received_on=timezone.localdate() - timedelta(days=9))
        newer = self._complaint(world)
        client.force_login(world.supervisor)
        answer = reverse("supervision:complaint_resolve", args=[newer.public_id])
        refused = client.post(answer, {"response": "", "resolved_on": "2026-01-01"}, follow=True)
        assert "What was done, and what the person was told: This field is required." in (
            refused.content.decode()
        )
        today = timezone.localdate().isoformat()
        done = client.post(
            answer, {"response": "Met her; visits rescheduled.", "resolved_on": today}, follow=True
        )
        assert "Complaint answered and closed." in done.content.decode()
        newer.refresh_from_db()
        assert newer.status == ComplaintStatus.RESOLVED and newer.resolved_by == world.supervisor
        listed = list(client.get(LIST).context["page"])
        assert listed == [older, newer]  # the open one first
        again = client.post(answer, {"response": "Again", "resolved_on": today}, follow=True)
        assert "already been answered" in again.content.decode()

    def test_it_cannot_be_closed_before_it_was_received(self, client: Any, world: World) -> None:
        complaint = self._complaint(world)
        client.force_login(world.supervisor)
        yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
        answer = reverse("supervision:complaint_resolve", args=[complaint.public_id])
        response = client.post(answer, {"response": "Done", "resolved_on": yesterday}, follow=True)
        assert "cannot be closed before it was received" in response.content.decode()
        complaint.refresh_from_db()
        assert complaint.status == ComplaintStatus.OPEN

    def test_another_organisation_s_supervisor_cannot_see_or_answer(
        self, client: Any, world: World
    ) -> None:
        complaint = self._complaint(world)
        client.force_login(world.outsider)
        assert DETAILS not in client.get(LIST).content.decode()
        answer = reverse("supervision:complaint_resolve", args=[complaint.public_id])
        assert (
            client.post(answer, {"response": "x", "resolved_on": "2026-01-01"}).status_code == 404
        )

    def test_the_review_counts_what_waits(self, client: Any, world: World) -> None:
        self._complaint(world)
        client.force_login(world.supervisor)
        html = client.get("/supervision/?refresh=1", follow=True).content.decode()
        assert "1 complaint or feedback to answer" in html
        assert "0 emergency accesses to review" in html
