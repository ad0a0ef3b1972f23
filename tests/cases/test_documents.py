"""Documents and legal status (issue 17, part): each document of the person or of their
children, where it stands, who sees to it, the steps taken, and a reminder before it expires."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import selectors, services
from cases.models import Document, DocumentStep
from core.records import VERSION_FIELD, EditConflict, version_of
from monitoring import reminders
from notifications.models import Notification, NotificationKind
from plans.models import Goal
from supervision import erasure
from tests.conftest import World
from tests.factories import close_case, make_case, make_plan_task
from tests.html_forms import form_values

TODAY = timezone.localdate
EXPIRING = NotificationKind.DOCUMENT_EXPIRING


def _document(world: World, **data: Any) -> Document:
    return services.document_record(
        beneficiary=world.case,
        actor=world.case_manager,
        data={"kind": "passport", "status": "applied", "responsible": "Our lawyer", **data},
    )


def _issued(world: World, expires_in: int, **data: Any) -> Document:
    return _document(
        world,
        status="issued",
        issued_on=TODAY() - timedelta(days=400),
        expires_on=TODAY() + timedelta(days=expires_in),
        **data,
    )


def _child(world: World, case: Any = None) -> Any:
    return services.child_save(
        beneficiary=case or world.case,
        actor=world.case_manager,
        data={"first_name": "Ana", "situation": "left_behind"},
    )


def _errors(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


class TestDocuments:
    def test_a_document_is_recorded_with_its_history(self, world: World) -> None:
        document = _document(world, applied_on=TODAY())
        assert document.recorded_by == world.case_manager
        assert document.history.count() == 1
        assert str(document) == "Passport"

    def test_issued_needs_the_date_of_issue(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            _document(world, status="issued")
        assert _errors(error) == {"issued_on"}

    @pytest.mark.parametrize("expires_after_issue", [0, -5])
    def test_it_expires_after_it_was_issued(self, world: World, expires_after_issue: int) -> None:
        issued = TODAY() - timedelta(days=30)
        with pytest.raises(ValidationError) as error:
            _document(
                world,
                status="issued",
                issued_on=issued,
                expires_on=issued + timedelta(days=expires_after_issue),
            )
        assert _errors(error) == {"expires_on"}

    @pytest.mark.parametrize("field", ["applied_on", "issued_on"])
    def test_application_and_issue_are_not_in_the_future(self, world: World, field: str) -> None:
        with pytest.raises(ValidationError) as error:
            _document(world, **{field: TODAY() + timedelta(days=1)})
        assert _errors(error) == {field}

    def test_issued_before_admission_is_fine(self, world: World) -> None:
        # A passport issued years before the person came to the organisation.
        document = _issued(world, expires_in=1000)
        assert document.issued_on < world.case.admitted_on

    def test_a_childs_document(self, world: World) -> None:
        child = _child(world)
        document = _document(world, kind="birth_certificate", child=child)
        assert document.label() == "Birth certificate (Ana)"

    def test_the_child_must_be_of_this_person(self, world: World) -> None:
        other = make_case(case_manager=world.case_manager, first_name="Other")
        with pytest.raises(ValidationError) as error:
            _document(world, child=_child(world, other))
        assert _errors(error) == {"child"}

    def test_an_update_over_an_unseen_change_is_refused(self, world: World) -> None:
        document = _document(world)
        opened = version_of(document)
        services.document_update(
            document=Document.objects.get(pk=document.pk),
            actor=world.mdt,
            data={"responsible": "Her aunt"},
            opened_at=opened,
        )
        with pytest.raises(EditConflict):
            services.document_update(
                document=Document.objects.get(pk=document.pk),
                actor=world.case_manager,
                data={"responsible": "The person herself"},
                opened_at=opened,
            )

    def test_renewed(self, world: World) -> None:
        document = _issued(world, expires_in=10)
        services.document_update(
            document=document,
            actor=world.case_manager,
            data={"issued_on": TODAY(), "expires_on": TODAY() + timedelta(days=3650)},
            opened_at=version_of(document),
        )
        assert document.history.count() == 2


class TestSteps:
    def test_a_step_is_recorded(self, world: World) -> None:
        document = _document(world)
        step = services.document_step_add(
            document=document,
            actor=world.mdt,
            data={"taken_on": TODAY(), "step": "Application handed in."},
        )
        assert step.recorded_by == world.mdt and step.history.count() == 1

    @pytest.mark.parametrize("days", [1, -25])  # tomorrow; before admission (20 days ago)
    def test_the_date_is_within_the_file(self, world: World, days: int) -> None:
        with pytest.raises(ValidationError) as error:
            services.document_step_add(
                document=_document(world),
                actor=world.case_manager,
                data={"taken_on": TODAY() + timedelta(days=days), "step": "Called."},
            )
        assert _errors(error) == {"taken_on"}

    def test_it_says_what_was_done(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            services.document_step_add(
                document=_document(world),
                actor=world.case_manager,
                data={"taken_on": TODAY(), "step": "  "},
            )
        assert _errors(error) == {"step"}

    def test_the_case_file_lists_them_latest_first(self, world: World) -> None:
        document = _document(world)
        for days, text in [(10, "First"), (2, "Third"), (5, "Second")]:
            services.document_step_add(
                document=document,
                actor=world.case_manager,
                data={"taken_on": TODAY() - timedelta(days=days), "step": text},
            )
        (loaded,) = selectors.case_file_for(world.case).documents
        assert [s.step for s in loaded.step_list] == ["Third", "Second", "First"]

    def test_documents_and_steps_are_in_the_history(self, world: World) -> None:
        document = _document(world)
        services.document_step_add(
            document=document,
            actor=world.case_manager,
            data={"taken_on": TODAY(), "step": "Fee paid."},
        )
        records = {entry.record for entry in selectors.case_history_for(world.case)}
        assert {"Document", "Document step"} <= records


def _page(client: Any, user: Any, name: str, *args: Any) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


class TestPages:
    def test_the_section_on_the_case_file(self, client: Any, world: World) -> None:
        child = _child(world)
        soon = _issued(world, expires_in=20, kind="identity_card")
        _document(world, kind="school_records", child=child)
        services.document_step_add(
            document=soon,
            actor=world.case_manager,
            data={"taken_on": TODAY(), "step": "Photograph booked."},
        )
        body = _page(client, world.mdt, "casework:detail", world.case.public_id)
        section = body[body.index('id="documents"') : body.index('id="consent"')]
        assert "Identity card" in section and "School records" in section
        assert "for Ana" in section
        assert "Photograph booked." in section
        assert "text-bg-warning" in section  # expires within 30 days
        assert reverse("cases:document_add", args=[world.case.public_id]) in section
        assert (
            reverse("cases:document_edit", args=[world.case.public_id, soon.public_id]) in section
        )

    def test_a_past_expiry_is_highlighted(self, client: Any, world: World) -> None:
        _issued(world, expires_in=-3)
        body = _page(client, world.case_manager, "casework:detail", world.case.public_id)
        section = body[body.index('id="documents"') : body.index('id="consent"')]
        assert "text-bg-danger" in section and "expired" in section

    def test_a_colleague_outside_the_team_is_refused(self, client: Any, world: World) -> None:
        client.force_login(world.colleague)
        url = reverse("cases:document_add", args=[world.case.public_id])
        assert client.get(url).status_code == 404

    def test_added_edited_and_a_step_through_the_pages(self, client: Any, world: World) -> None:
        client.force_login(world.mdt)
        add = reverse("cases:document_add", args=[world.case.public_id])
        refused = client.post(add, {"kind": "passport", "status": "issued"})
        assert refused.status_code == 200
        assert "issued_on" in refused.context["form"].errors
        response = client.post(
            add, {"kind": "passport", "status": "applied", "applied_on": TODAY().isoformat()}
        )
        assert response.status_code == 302
        assert response["Location"].endswith("#documents")
        document = Document.objects.get(beneficiary=world.case)

        edit = reverse("cases:document_edit", args=[world.case.public_id, document.public_id])
        data = form_values(client.get(edit).content.decode(), VERSION_FIELD)
        data.update(
            status=["issued"],
            issued_on=[TODAY().isoformat()],
            expires_on=[TODAY().isoformat()],
        )
        refused = client.post(edit, data)
        assert "expires_on" in refused.context["form"].errors
        data["expires_on"] = [(TODAY() + timedelta(days=3650)).isoformat()]
        assert client.post(edit, data).status_code == 302
        document.refresh_from_db()
        assert document.status == "issued"

        step = reverse("cases:document_step_add", args=[world.case.public_id, document.public_id])
        response = client.post(step, {"taken_on": TODAY().isoformat(), "step": "Collected it."})
        assert response.status_code == 302
        assert DocumentStep.objects.get(document=document).step == "Collected it."

    def test_the_child_choice_lists_only_this_persons_children(
        self, client: Any, world: World
    ) -> None:
        _child(world)
        other = make_case(case_manager=world.case_manager, first_name="Other")
        _child(world, other)
        client.force_login(world.case_manager)
        form = client.get(reverse("cases:document_add", args=[world.case.public_id])).context[
            "form"
        ]
        assert list(form.fields["child"].queryset) == list(world.case.children.all())

    def test_no_child_choice_without_children(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        form = client.get(reverse("cases:document_add", args=[world.case.public_id])).context[
            "form"
        ]
        assert "child" not in form.fields

    def test_the_registration_place_is_a_profile_field(self, client: Any, world: World) -> None:
        services.beneficiary_update(
            beneficiary=world.case,
            actor=world.case_manager,
            profile={"registration_place": "Durrës, Unit 2"},
            opened_at=version_of(world.case),
        )
        body = _page(client, world.case_manager, "casework:detail", world.case.public_id)
        assert "Durrës, Unit 2" in body
        edit = _page(client, world.case_manager, "cases:profile_edit", world.case.public_id)
        assert 'name="registration_place"' in edit


class TestPlanGoals:
    def test_a_goal_links_to_one_of_the_cases_documents(self, client: Any, world: World) -> None:
        document = _document(world, kind="residence_permit")
        other = make_case(case_manager=world.case_manager, first_name="Other")
        services.document_record(
            beneficiary=other,
            actor=world.case_manager,
            data={"kind": "passport", "status": "missing"},
        )
        goal = make_plan_task(world.case, world.case_manager, assigned_to=world.mdt).goal
        version = goal.version
        client.force_login(world.case_manager)
        url = reverse(
            "plans:goal_edit", args=[world.case.public_id, version.public_id, goal.public_id]
        )
        form = client.get(url).context["form"]
        assert list(form.fields["document"].queryset) == [document]
        data = form_values(client.get(url).content.decode(), VERSION_FIELD)
        data["document"] = [str(document.pk)]
        assert client.post(url, data).status_code == 302
        assert Goal.objects.get(pk=goal.pk).document == document
        page = _page(
            client, world.case_manager, "plans:version", world.case.public_id, version.public_id
        )
        assert "Document: Residence permit (applied for)" in page


def _on(day: date) -> Any:
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(12))), tick=False)


def _warnings(user: Any) -> list[tuple[date, bool]]:
    return list(
        Notification.objects.filter(recipient=user, kind=EXPIRING).values_list(
            "due_on", "escalated"
        )
    )


class TestExpiryReminder:
    def test_the_case_manager_is_warned_30_days_ahead(self, world: World) -> None:
        document = _issued(world, expires_in=40)
        expires = document.expires_on
        assert expires is not None
        with _on(expires - timedelta(days=31)):
            reminders.scan()
        assert not Notification.objects.filter(kind=EXPIRING).exists()
        with _on(expires - timedelta(days=30)):
            reminders.scan()
            reminders.scan()  # idempotent
        assert _warnings(world.case_manager) == [(expires - timedelta(days=30), False)]
        # A warning ahead of time, not overdue work: not escalated to the supervisors.
        with _on(expires - timedelta(days=5)):
            reminders.scan()
        assert _warnings(world.supervisor) == []
        notification = Notification.objects.get(kind=EXPIRING)
        assert world.case.case_code in notification.text
        assert "Passport" not in notification.text
        assert notification.url.endswith("#documents")

    def test_a_renewed_document_warns_again(self, world: World) -> None:
        document = _issued(world, expires_in=10)
        reminders.scan()
        assert len(_warnings(world.case_manager)) == 1
        renewed = TODAY() + timedelta(days=365)
        services.document_update(
            document=document,
            actor=world.case_manager,
            data={"issued_on": TODAY(), "expires_on": renewed},
            opened_at=version_of(document),
        )
        with _on(renewed - timedelta(days=30)):
            reminders.scan()
        assert len(_warnings(world.case_manager)) == 2

    @pytest.mark.parametrize("status", ["applied", "expired", "refused"])
    def test_only_issued_documents(self, world: World, status: str) -> None:
        _document(
            world,
            status=status,
            issued_on=TODAY() - timedelta(days=400),
            expires_on=TODAY() + timedelta(days=5),
        )
        reminders.scan()
        assert not Notification.objects.filter(kind=EXPIRING).exists()

    def test_not_on_a_closed_case(self, world: World) -> None:
        _issued(world, expires_in=5)
        close_case(world.case, world.case_manager)
        reminders.scan()
        assert not Notification.objects.filter(kind=EXPIRING).exists()


def test_erasure_empties_the_free_text(world: World) -> None:
    fields = {(model, tuple(f)) for model, _path, f in erasure.ERASED}
    assert (Document, ("responsible", "notes")) in fields
    assert (DocumentStep, ("step",)) in fields
    assert any("registration_place" in f for _m, _p, f in erasure.ERASED)
