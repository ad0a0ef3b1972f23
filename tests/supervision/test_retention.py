"""After the retention period, a supervisor erases the personal details of a closed case."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import retention, services
from cases.choices import AccessAction, CaseStatus
from cases.models import Beneficiary, CaseAccess, Child, FamilyMember
from supervision import erasure
from tests.conftest import World, ensure_reference_data
from tests.factories import close_case, make_case

CASE_APPS = [
    "cases",
    "notifications",
    "assessments",
    "plans",
    "monitoring",
    "referrals",
    "supervision",
]
YEARS = 10


def _later(years: int = YEARS, days: int = 1) -> Any:
    return time_machine.travel(timezone.now() + relativedelta(years=years, days=days), tick=False)


def _links_to_case(model: type[models.Model], depth: int = 0) -> bool:
    if model is Beneficiary:
        return True
    if depth == 3:
        return False
    return any(
        f.many_to_one and f.related_model is not None and _links_to_case(f.related_model, depth + 1)
        for f in model._meta.concrete_fields
    )


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices
    ]


def test_every_free_text_field_of_a_case_record_is_either_erased_or_kept_for_a_reason() -> None:
    erased = {(model, field) for model, _, fields in erasure.ERASED for field in fields}
    unclassified = []
    for app in CASE_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or not _links_to_case(model):
                continue
            for field in _text_fields(model):
                label = f"{model._meta.label}.{field}"
                if (model, field) not in erased and label not in erasure.KEPT:
                    unclassified.append(label)
    assert unclassified == []
    # And nothing is listed twice or in neither by mistake.
    for label in erasure.KEPT:
        app_model, field = label.rsplit(".", 1)
        assert field in _text_fields(apps.get_model(app_model))
        assert (apps.get_model(app_model), field) not in erased


@pytest.mark.django_db
class TestWhatIsDue:
    def test_closed_cases_are_due_once_the_retention_period_is_over(self, world: World) -> None:
        close_case(world.case, world.case_manager)
        with _later(days=-1):
            assert not retention.due_for_erasure(world.org.pk).exists()
        with _later():
            assert list(retention.due_for_erasure(world.org.pk)) == [world.case]
            assert not retention.due_for_erasure(world.other_org.pk).exists()

    def test_open_cases_never(self, world: World) -> None:
        with _later(years=30):
            assert not retention.due_for_erasure(world.org.pk).exists()

    def test_a_reopened_case_counts_from_its_last_closure(self, world: World) -> None:
        close_case(world.case, world.case_manager)
        with _later(years=5):
            services.case_reopen(
                beneficiary=world.case,
                actor=world.case_manager,
                reopened_on=timezone.localdate(),
                reason="Asked for help again.",
            )
            close_case(world.case, world.case_manager)
        with _later(years=12):
            assert not retention.due_for_erasure(world.org.pk).exists()
        with _later(years=16):
            assert retention.due_for_erasure(world.org.pk).exists()


@pytest.mark.django_db
class TestErasing:
    def test_names_notes_and_their_history_go_codes_dates_and_categories_stay(
        self, world: World
    ) -> None:
        case = world.case
        services.family_member_save(
            beneficiary=case,
            actor=world.case_manager,
            data={"name": "Zephyrine Kowal", "relationship": "mother", "risk_notes": "Zephyrine"},
        )
        services.child_save(
            beneficiary=case,
            actor=world.case_manager,
            data={
                "first_name": "Zephyrin",
                "situation": "left_behind",
                "date_of_birth": date(2019, 8, 14),
            },
        )
        close_case(case, world.case_manager)
        Beneficiary.objects.filter(pk=case.pk).update(complex_factors=["health"])
        code, admitted = case.case_code, case.admitted_on
        born = Beneficiary.objects.get(pk=case.pk).date_of_birth
        with _later():
            erasure.case_anonymise(beneficiary=case, actor=world.supervisor)

        case.refresh_from_db()
        assert case.full_name.strip() == "(details erased)"
        assert (case.case_code, case.admitted_on, case.status) == (
            code,
            admitted,
            CaseStatus.CLOSED,
        )
        assert case.date_of_birth == date(born.year, 1, 1)
        assert case.complex_factors == ["health"]
        assert (case.phone, case.address, case.safe_contact_notes) == ("", "", "")
        assert case.anonymised_on and case.anonymised_by == world.supervisor
        member = FamilyMember.objects.get(beneficiary=case)
        assert (member.name, member.risk_notes, member.relationship) == ("(erased)", "", "mother")
        child = Child.objects.get(beneficiary=case)
        assert (child.first_name, child.date_of_birth) == ("(erased)", date(2019, 1, 1))
        for model, path, _ in erasure.ERASED:
            if history := erasure._history_of(model):
                assert not history.filter(**{erasure._history_path(path): case.pk}).exists()
        assert CaseAccess.objects.filter(beneficiary=case, action=AccessAction.ANONYMISE).exists()
        # Nothing of the person is left in any text of any record, history included.
        for app in [*CASE_APPS, "accounts"]:
            for model in apps.get_app_config(app).get_models():
                for field in _text_fields(model):
                    found = model.objects.filter(**{f"{field}__icontains": "Zephyrin"})
                    assert not found.exists(), f"{model._meta.label}.{field}"

    def test_a_child_at_admission_stays_a_child_in_the_figures(self, world: World) -> None:
        admitted = timezone.localdate() - timedelta(days=30)
        born = admitted - relativedelta(years=18) + timedelta(days=3)  # 17 at admission
        case = make_case(case_manager=world.case_manager, date_of_birth=born, admitted_on=admitted)
        close_case(case, world.case_manager)
        with _later():
            erasure.case_anonymise(beneficiary=case, actor=world.supervisor)
        case.refresh_from_db()
        assert case.date_of_birth.year == born.year
        assert case.date_of_birth > admitted - relativedelta(years=18)

    def test_only_due_cases_and_only_once(self, world: World) -> None:
        with pytest.raises(ValidationError, match="not due"):
            erasure.case_anonymise(beneficiary=world.case, actor=world.supervisor)
        close_case(world.case, world.case_manager)
        with pytest.raises(ValidationError, match="not due"):
            erasure.case_anonymise(beneficiary=world.case, actor=world.supervisor)
        with _later():
            erasure.case_anonymise(beneficiary=world.case, actor=world.supervisor)
            with pytest.raises(ValidationError, match="not due"):
                erasure.case_anonymise(beneficiary=world.case, actor=world.supervisor)

    def test_what_is_left_is_read_only_even_for_its_team(self, client: Any, world: World) -> None:
        close_case(world.case, world.case_manager)
        with _later():
            erasure.case_anonymise(beneficiary=world.case, actor=world.supervisor)
            client.force_login(world.case_manager)
            page = client.get(reverse("casework:detail", args=[world.case.public_id]))
            assert page.status_code == 200
            assert "Anonymised on" in page.content.decode()
            reopen = reverse("cases:reopen", args=[world.case.public_id])
            assert (
                client.post(reopen, {"reopened_on": "2030-01-01", "reason": "x"}).status_code == 403
            )
            client.force_login(world.supervisor)
            access_log = reverse("cases:access_log", args=[world.case.public_id])
            assert client.get(access_log).status_code == 200


def test_the_demo_s_closed_cases_leave_no_personal_detail_anywhere(db: None) -> None:
    """Every closed demo file (made through the services, with its change history)."""
    ensure_reference_data()
    call_command("seed_demo", verbosity=0)
    closed = list(Beneficiary.objects.filter(status=CaseStatus.CLOSED))
    assert closed
    erased = {case.pk: _erased_values(case.pk) for case in closed}
    elsewhere = set().union(
        *(
            _erased_values(pk)
            for pk in Beneficiary.objects.exclude(status=CaseStatus.CLOSED).values_list(
                "pk", flat=True
            )
        )
    )
    supervisor = closed[0].organisation.staff.filter(role="supervisor").first()
    with _later(years=YEARS + 1):
        erasure.cases_anonymise(cases=closed, actor=supervisor)
    personal = set().union(*erased.values()) - elsewhere
    assert len(personal) >= 10  # names, telephone numbers, notes of these people only
    for app in [*CASE_APPS, "accounts"]:
        for model in apps.get_app_config(app).get_models():
            for field in _text_fields(model):
                if isinstance(model._meta.get_field(field), models.JSONField):
                    continue
                values = set(model.objects.values_list(field, flat=True))
                assert not values & personal, f"{model._meta.label}.{field}"


def _erased_values(case_pk: int) -> set[str]:
    """What the erased fields of one case hold now, in its records and their history."""
    found: set[str] = set()
    for model, path, fields in erasure.ERASED:
        sources = [model.objects.filter(**{path: case_pk})]
        if history := erasure._history_of(model):
            sources.append(history.filter(**{erasure._history_path(path): case_pk}))
        for rows in sources:
            for row in rows.values_list(*fields):
                found.update(v for v in row if isinstance(v, str) and len(v) >= 8)
    return found


@pytest.mark.django_db
class TestThePage:
    def test_a_supervisor_sees_what_is_due_and_erases_it(self, client: Any, world: World) -> None:
        close_case(world.case, world.case_manager)
        client.force_login(world.supervisor)
        assert (
            "No closed case has reached" in client.get("/supervision/retention/").content.decode()
        )
        with _later():
            client.force_login(world.supervisor)  # ten years on: a new login
            page = client.get("/supervision/retention/")
            assert world.case.case_code in page.content.decode()
            refused = client.post("/supervision/retention/", {"cases": [world.case.public_id]})
            assert refused.status_code == 200
            assert refused.context["form"].errors["confirm"]
            world.case.refresh_from_db()
            assert world.case.anonymised_on is None
            done = client.post(
                "/supervision/retention/",
                {"cases": [world.case.public_id], "confirm": "on"},
                follow=True,
            )
            assert "Personal details erased from 1 case(s)." in done.content.decode()
            world.case.refresh_from_db()
            assert world.case.anonymised_on == timezone.localdate()

    def test_a_case_not_due_cannot_be_slipped_in(self, client: Any, world: World) -> None:
        client.force_login(world.supervisor)
        response = client.post(
            "/supervision/retention/", {"cases": [world.case.public_id], "confirm": "on"}
        )
        assert response.status_code == 200 and response.context["form"].errors["cases"]
        world.case.refresh_from_db()
        assert world.case.anonymised_on is None

    @pytest.mark.parametrize("persona", ["case_manager", "mdt", "administrator", "outsider"])
    def test_it_is_for_supervisors_of_the_organisation(
        self, client: Any, world: World, persona: str
    ) -> None:
        client.force_login(world.personas()[persona])
        expected = 200 if persona == "outsider" else 403  # another organisation's supervisor
        response = client.get("/supervision/retention/")
        assert response.status_code == expected
        if expected == 200:
            assert world.case.case_code not in response.content.decode()


def test_the_page_costs_the_same_queries_however_many_cases_are_due(
    client: Any, world: World
) -> None:
    def due_cases(count: int) -> None:
        for _ in range(count):
            close_case(make_case(case_manager=world.case_manager), world.case_manager)

    counts = []
    for more in (2, 6):
        due_cases(more)
        with _later():
            client.force_login(world.supervisor)
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/supervision/retention/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
class TestTheReminder:
    def test_supervisors_are_told_when_a_file_is_due_and_only_they(
        self, client: Any, world: World
    ) -> None:
        from monitoring import reminders
        from notifications.models import Notification, NotificationKind

        close_case(world.case, world.case_manager)
        reminders.scan(timezone.localdate() + relativedelta(years=YEARS, days=-1))
        assert not Notification.objects.filter(kind=NotificationKind.RETENTION_DUE).exists()
        with _later():
            for _ in range(2):  # a repeat scan adds nothing
                reminders.scan()
            due = Notification.objects.filter(kind=NotificationKind.RETENTION_DUE)
            assert [n.recipient for n in due] == [world.supervisor]
            reminder = due.get()
            assert reminder.url == reverse("supervision:retention")
            assert "Retention period over" in reminder.text
            assert world.case.case_code in reminder.text
            erasure.case_anonymise(beneficiary=world.case, actor=world.supervisor)
            reminder.refresh_from_db()
            assert reminder.read_at is not None
            reminders.scan()
            assert due.count() == 1
