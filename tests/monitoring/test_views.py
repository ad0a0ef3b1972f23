from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from core.records import version_of
from monitoring import services
from monitoring.models import Contact
from tests.conftest import World
from tests.factories import make_case

VISIT = {
    "kind": "home_visit",
    "made": "on",
    "safety_checked": "on",
    "summary": "Visited at home; all well.",
}


def _now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class TestLogging:
    def test_the_form_shows_the_safe_contact_instructions(self, client: Any, world: World) -> None:
        case_services.beneficiary_update(
            beneficiary=world.case,
            actor=world.case_manager,
            profile={"safe_contact_notes": "Mother does not know."},
            opened_at=version_of(world.case),
        )
        client.force_login(world.case_manager)
        body = client.get(
            reverse("monitoring:contact_add", args=[world.case.public_id])
        ).content.decode()
        assert "Mother does not know." in body

    def test_logging_a_visit_clears_the_overdue_flag(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        detail = reverse("casework:detail", args=[world.case.public_id])
        assert client.get(detail).context["follow_up"].state == "overdue"
        response = client.post(
            reverse("monitoring:contact_add", args=[world.case.public_id]),
            {**VISIT, "occurred_at": _now()},
        )
        assert response.status_code == 302
        assert client.get(detail).context["follow_up"].state == "week"

    def test_a_visit_without_the_safety_check_is_refused_next_to_the_field(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.case_manager)
        data = {**VISIT, "occurred_at": _now(), "safety_checked": ""}
        response = client.post(reverse("monitoring:contact_add", args=[world.case.public_id]), data)
        assert response.status_code == 200
        assert "safety_checked" in response.context["form"].errors
        assert not Contact.objects.exists()

    def test_a_future_contact_is_refused(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        response = client.post(
            reverse("monitoring:contact_add", args=[world.case.public_id]),
            {**VISIT, "occurred_at": future},
        )
        assert response.context["form"].errors["occurred_at"] == [
            "A contact cannot be in the future."
        ]


class TestRestrictedNotes:
    def test_only_the_authors_discipline_and_managers_read_them(
        self, client: Any, world: World
    ) -> None:
        services.contact_log(
            beneficiary=world.case,
            actor=world.case_manager,
            data={
                "occurred_at": timezone.now(),
                "kind": "office_visit",
                "summary": "Talked about the court case.",
                "restricted": True,
            },
        )
        client.force_login(world.mdt)  # a psychologist: another discipline
        body = client.get(
            reverse("monitoring:contacts", args=[world.case.public_id])
        ).content.decode()
        assert "Talked about the court case." not in body
        assert "Restricted: only the author" in body
        client.force_login(world.supervisor)
        assert (
            "Talked about the court case."
            in client.get(
                reverse("monitoring:contacts", args=[world.case.public_id])
            ).content.decode()
        )

    def test_someone_else_may_not_open_a_contact_to_correct_it(
        self, client: Any, world: World
    ) -> None:
        contact = services.contact_log(
            beneficiary=world.case,
            actor=world.case_manager,
            data={"occurred_at": timezone.now(), "kind": "office_visit", "summary": "x"},
        )
        client.force_login(world.mdt)
        assert (
            client.get(
                reverse("monitoring:contact_edit", args=[world.case.public_id, contact.public_id])
            ).status_code
            == 403
        )


class TestCadencePage:
    def test_less_often_needs_a_reason(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        url = reverse("monitoring:cadence", args=[world.case.public_id])
        response = client.post(url, {"days": "21", "reason": ""})
        assert (
            "Say why this person is contacted less often than usual." in response.content.decode()
        )
        assert client.post(url, {"days": "21", "reason": "Works abroad"}).status_code == 302


class TestMyFollowUps:
    def test_it_lists_my_cases_overdue_first(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        response = client.get(reverse("monitoring:my_follow_ups"))
        assert [c.pk for c in response.context["cases"]] == [world.case.pk]
        assert "overdue" in response.content.decode()

    def test_it_runs_a_fixed_number_of_queries(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        url = reverse("monitoring:my_follow_ups")

        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            return len(captured)

        few = count()
        for n in range(10):
            case = make_case(case_manager=world.case_manager, first_name=f"C{n}")
            services.contact_log(
                beneficiary=case,
                actor=world.case_manager,
                data={"occurred_at": timezone.now(), "kind": "office_visit", "summary": "x"},
            )
        assert count() == few
