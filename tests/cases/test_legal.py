"""Legal proceedings and hearings (issue 17, part): proceedings the person takes part in,
with their hearings; read and written only by the case manager, a lawyer on the team and
supervisors; a hearing within the week in My follow-ups and as a reminder; outcomes counted
in the reports; erased with the rest of the file."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Discipline, Role, User
from cases import emergency, selectors, services
from cases.models import Hearing, LegalProceeding
from core.records import VERSION_FIELD, EditConflict, version_of
from monitoring import reminders
from monitoring.selectors import hearings_soon_for
from notifications.models import Notification, NotificationKind
from reports import tables
from supervision import erasure
from tests.conftest import World
from tests.factories import UserFactory, add_mdt, close_case, make_case
from tests.html_forms import form_values

TODAY = timezone.localdate
SOON = NotificationKind.HEARING_SOON
AUTHORITY = "District Court of Testville"
MEASURES = "Testimony by video link from a separate room."


def _lawyer(world: World, username: str = "lawyer") -> User:
    lawyer = UserFactory(
        username=username,
        organisation=world.org,
        role=Role.MDT_MEMBER,
        discipline=Discipline.LAWYER,
    )
    add_mdt(world.case, lawyer, actor=world.case_manager)
    return lawyer


def _proceeding(world: World, case: Any = None, **fields: Any) -> LegalProceeding:
    data: dict[str, Any] = {
        "kind": "criminal",
        "authority": AUTHORITY,
        "reference": "K-1/2026",
        "stage": "trial",
        "role": "injured_party_witness",
        "started_on": TODAY() - timedelta(days=400),
        "lawyer": "Ada Lex, Legal Aid",
        "protection_measures": MEASURES,
        **fields,
    }
    return services.proceeding_record(
        beneficiary=case or world.case, actor=world.case_manager, **data
    )


def _hearing(proceeding: LegalProceeding, actor: User, days: int, **fields: Any) -> Hearing:
    return services.hearing_add(
        proceeding=proceeding,
        actor=actor,
        held_on=TODAY() + timedelta(days=days),
        **{"purpose": "Her testimony", **fields},
    )


def _errors(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


class TestProceedingRules:
    def test_recorded_with_its_history(self, world: World) -> None:
        proceeding = _proceeding(world)
        assert proceeding.recorded_by == world.case_manager
        assert proceeding.history.count() == 1
        assert proceeding.outcome == "pending" and proceeding.is_open

    def test_it_may_start_before_admission_but_not_in_the_future(self, world: World) -> None:
        before = _proceeding(world, started_on=world.case.admitted_on - timedelta(days=700))
        assert before.started_on < world.case.admitted_on
        with pytest.raises(ValidationError) as error:
            _proceeding(world, started_on=TODAY() + timedelta(days=1))
        assert _errors(error) == {"started_on"}

    def test_not_before_the_person_was_born(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            _proceeding(world, started_on=date(1990, 1, 1))  # born 1998 (tests.factories)
        assert _errors(error) == {"started_on"}

    def test_an_outcome_needs_its_date(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            _proceeding(world, outcome="conviction")
        assert _errors(error) == {"outcome_on"}

    @pytest.mark.parametrize("days", [-401, 1])  # before the start; tomorrow
    def test_the_outcome_date_is_after_the_start_and_not_ahead(
        self, world: World, days: int
    ) -> None:
        with pytest.raises(ValidationError) as error:
            _proceeding(world, outcome="acquittal", outcome_on=TODAY() + timedelta(days=days))
        assert _errors(error) == {"outcome_on"}

    def test_no_outcome_yet_clears_an_outcome_date(self, world: World) -> None:
        proceeding = _proceeding(world, outcome="pending", outcome_on=TODAY())
        assert proceeding.outcome_on is None

    def test_ended_proceedings_have_an_outcome(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            _proceeding(world, stage="ended")
        assert _errors(error) == {"outcome"}
        ended = _proceeding(world, stage="ended", outcome="dismissed", outcome_on=TODAY())
        assert not ended.is_open

    def test_compensation_received_without_a_claim_is_fine(self, world: World) -> None:
        proceeding = _proceeding(world, compensation_received=Decimal("300"), currency="eur")
        assert proceeding.currency == "EUR"  # put in capitals

    @pytest.mark.parametrize("field", ["compensation_claimed", "compensation_received"])
    def test_negative_amounts_are_refused(self, world: World, field: str) -> None:
        with pytest.raises(ValidationError) as error:
            _proceeding(world, **{field: Decimal("-1"), "currency": "EUR"})
        assert _errors(error) == {field}

    @pytest.mark.parametrize("currency", ["", "EU", "EURO", "E1R", "€"])
    def test_an_amount_needs_a_three_letter_currency(self, world: World, currency: str) -> None:
        with pytest.raises(ValidationError) as error:
            _proceeding(world, compensation_claimed=Decimal("5000"), currency=currency)
        assert _errors(error) == {"currency"}

    def test_an_authority_is_named(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            _proceeding(world, authority="   ")
        assert _errors(error) == {"authority"}

    def test_an_update_over_an_unseen_change_is_refused(self, world: World) -> None:
        lawyer = _lawyer(world)
        proceeding = _proceeding(world)
        opened = version_of(proceeding)
        services.proceeding_update(
            proceeding=LegalProceeding.objects.get(pk=proceeding.pk),
            actor=lawyer,
            opened_at=opened,
            stage="appeal",
        )
        with pytest.raises(EditConflict):
            services.proceeding_update(
                proceeding=LegalProceeding.objects.get(pk=proceeding.pk),
                actor=world.case_manager,
                opened_at=opened,
                stage="enforcement",
            )

    def test_the_outcome_recorded_later(self, world: World) -> None:
        proceeding = _proceeding(world)
        services.proceeding_update(
            proceeding=proceeding,
            actor=world.case_manager,
            opened_at=version_of(proceeding),
            stage="ended",
            outcome="conviction",
            outcome_on=TODAY(),
            compensation_claimed=Decimal("5000"),
            compensation_received=Decimal("3000"),
            currency="EUR",
        )
        proceeding.refresh_from_db()
        assert (proceeding.outcome, proceeding.compensation_received) == (
            "conviction",
            Decimal("3000"),
        )
        assert proceeding.history.count() == 2


class TestHearingRules:
    def test_ahead_or_past(self, world: World) -> None:
        proceeding = _proceeding(world)
        ahead = _hearing(proceeding, world.case_manager, 30, starts_at=time(10))
        past = _hearing(proceeding, world.case_manager, -30, result="Adjourned.")
        assert ahead.history.count() == past.history.count() == 1

    def test_not_before_the_proceedings_started(self, world: World) -> None:
        proceeding = _proceeding(world)
        with pytest.raises(ValidationError) as error:
            _hearing(proceeding, world.case_manager, -401)
        assert _errors(error) == {"held_on"}

    def test_not_absurdly_far_ahead(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            services.hearing_add(
                proceeding=_proceeding(world), actor=world.case_manager, held_on=date(9999, 12, 31)
            )
        assert _errors(error) == {"held_on"}

    def test_what_happened_only_once_it_has(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            _hearing(_proceeding(world), world.case_manager, 3, result="She testified.")
        assert _errors(error) == {"result"}

    def test_an_update_over_an_unseen_change_is_refused(self, world: World) -> None:
        hearing = _hearing(_proceeding(world), world.case_manager, 3)
        opened = version_of(hearing)
        services.hearing_update(
            hearing=Hearing.objects.get(pk=hearing.pk),
            actor=world.supervisor,
            opened_at=opened,
            place="Room 5",
        )
        with pytest.raises(EditConflict):
            services.hearing_update(
                hearing=Hearing.objects.get(pk=hearing.pk),
                actor=world.case_manager,
                opened_at=opened,
                place="Room 6",
            )


# --- Who reads them --------------------------------------------------------------------


@pytest.fixture
def legal_world(world: World) -> World:
    """The world's case with proceedings and a hearing, and a lawyer on its team."""
    _lawyer(world)
    proceeding = _proceeding(world)
    _hearing(proceeding, world.case_manager, 3, place="Room 4")
    services.proceeding_update(
        proceeding=proceeding,
        actor=world.supervisor,
        opened_at=version_of(proceeding),
        stage="appeal",
    )
    return world


def _persona(world: World, persona: str) -> User:
    if persona == "lawyer":
        return User.objects.get(username="lawyer")
    return world.personas()[persona]


READERS = [("case_manager", True), ("lawyer", True), ("supervisor", True), ("mdt", False)]


@pytest.mark.parametrize(("persona", "reads"), READERS)
def test_who_reads_them_on_the_case_file(
    client: Any, legal_world: World, persona: str, reads: bool
) -> None:
    client.force_login(_persona(legal_world, persona))
    body = client.get(reverse("casework:detail", args=[legal_world.case.public_id])).content
    section = body.decode().split('id="legal"')[1].split("</section>")[0]
    for detail in (AUTHORITY, MEASURES, "Criminal proceedings", "Room 4", "in 3 days"):
        assert (detail in section) is reads, detail
    add = reverse("cases:proceeding_add", args=[legal_world.case.public_id])
    assert (add in section) is reads
    if not reads:
        # That there are proceedings, and nothing of them.
        assert "Legal proceedings are recorded" in section
        assert "20" not in section  # no date of any kind


@pytest.mark.parametrize(("persona", "reads"), READERS)
def test_who_reads_them_in_the_history(
    client: Any, legal_world: World, persona: str, reads: bool
) -> None:
    client.force_login(_persona(legal_world, persona))
    body = client.get(reverse("cases:history", args=[legal_world.case.public_id])).content
    assert (AUTHORITY in body.decode()) is reads
    assert ("Hearing" in body.decode()) is reads


def test_the_lawyer_reads_the_legal_history_but_not_the_threats(legal_world: World) -> None:
    records = {
        e.record for e in selectors.case_history_for(legal_world.case, restricted=True, legal=True)
    }
    assert {"Legal proceedings", "Hearing"} <= records
    restricted = {e.record for e in selectors.case_history_for(legal_world.case, restricted=True)}
    assert not {"Legal proceedings", "Hearing"} & restricted
    everything = {e.record for e in selectors.case_history_for(legal_world.case)}
    assert {"Legal proceedings", "Hearing"} <= everything


@pytest.mark.parametrize("persona", ["colleague", "outsider", "administrator"])
def test_off_the_case_nobody_learns_of_them(client: Any, legal_world: World, persona: str) -> None:
    client.force_login(legal_world.personas()[persona])
    proceeding = LegalProceeding.objects.get()
    for url in (
        reverse("casework:detail", args=[legal_world.case.public_id]),
        reverse("cases:proceeding_edit", args=[legal_world.case.public_id, proceeding.public_id]),
    ):
        assert client.get(url).status_code == 404


def test_a_writer_who_does_not_read_them_is_refused(client: Any, legal_world: World) -> None:
    client.force_login(legal_world.mdt)
    case = legal_world.case
    proceeding = LegalProceeding.objects.get()
    hearing = Hearing.objects.get()
    for url in (
        reverse("cases:proceeding_add", args=[case.public_id]),
        reverse("cases:proceeding_edit", args=[case.public_id, proceeding.public_id]),
        reverse("cases:hearing_add", args=[case.public_id, proceeding.public_id]),
        reverse("cases:hearing_edit", args=[case.public_id, hearing.public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert AUTHORITY not in response.content.decode()
    assert client.post(reverse("cases:proceeding_add", args=[case.public_id])).status_code == 403


def test_emergency_access_does_not_open_them(client: Any, legal_world: World) -> None:
    emergency.emergency_access_open(
        user=legal_world.colleague, case_code=legal_world.case.case_code, reason="Crisis call."
    )
    client.force_login(legal_world.colleague)
    body = client.get(reverse("casework:detail", args=[legal_world.case.public_id])).content
    assert AUTHORITY not in body.decode()


def test_a_lawyer_off_the_team_no_longer_reads_them(client: Any, legal_world: World) -> None:
    lawyer = User.objects.get(username="lawyer")
    membership = legal_world.case.team.get(user=lawyer)
    services.team_member_end(
        membership=membership,
        actor=legal_world.case_manager,
        ended_on=membership.started_on,
        reason="Moved on",
    )
    client.force_login(lawyer)
    url = reverse("cases:proceeding_add", args=[legal_world.case.public_id])
    assert client.get(url).status_code == 404


def test_a_lawyer_records_and_edits_them_through_the_pages(client: Any, world: World) -> None:
    lawyer = _lawyer(world)
    client.force_login(lawyer)
    case = world.case
    add = reverse("cases:proceeding_add", args=[case.public_id])
    data = {
        "kind": "labour",
        "authority": "Labour Inspectorate",
        "role": "claimant",
        "stage": "reported",
        "started_on": (TODAY() - timedelta(days=10)).isoformat(),
        "outcome": "pending",
        "compensation_claimed": "1200",
        "currency": "",
    }
    refused = client.post(add, data)
    assert refused.status_code == 200
    assert "currency" in refused.context["form"].errors
    data["currency"] = "all"
    response = client.post(add, data)
    assert response.status_code == 302 and response["Location"].endswith("#legal")
    proceeding = LegalProceeding.objects.get(beneficiary=case)
    assert (proceeding.currency, proceeding.recorded_by) == ("ALL", lawyer)

    edit = reverse("cases:proceeding_edit", args=[case.public_id, proceeding.public_id])
    form = form_values(client.get(edit).content.decode(), VERSION_FIELD)
    form.update(outcome=["settled"], stage=["ended"])
    refused = client.post(edit, form)
    assert "outcome_on" in refused.context["form"].errors
    form["outcome_on"] = [TODAY().isoformat()]
    assert client.post(edit, form).status_code == 302

    hearing_add = reverse("cases:hearing_add", args=[case.public_id, proceeding.public_id])
    response = client.post(
        hearing_add,
        {
            "held_on": (TODAY() - timedelta(days=1)).isoformat(),
            "starts_at": "09:30",
            "purpose": "Settlement hearing",
            "result": "Settled: paid in two instalments.",
        },
    )
    assert response.status_code == 302
    hearing = Hearing.objects.get(proceeding=proceeding)
    hearing_edit = reverse("cases:hearing_edit", args=[case.public_id, hearing.public_id])
    form = form_values(client.get(hearing_edit).content.decode(), VERSION_FIELD)
    form["held_on"] = [(TODAY() - timedelta(days=30)).isoformat()]  # before the start
    assert "held_on" in client.post(hearing_edit, form).context["form"].errors


def test_a_hearing_of_another_case_is_not_reachable(client: Any, world: World) -> None:
    other = make_case(case_manager=world.case_manager, first_name="Other")
    hearing = _hearing(_proceeding(world, case=other), world.case_manager, 3)
    client.force_login(world.case_manager)
    url = reverse("cases:hearing_edit", args=[world.case.public_id, hearing.public_id])
    assert client.get(url).status_code == 404


HOSTILE = [
    ({"authority": "x" * 5000}, "authority"),
    ({"started_on": "2026-02-30"}, "started_on"),
    ({"started_on": "9999-12-31"}, "started_on"),
    ({"compensation_claimed": "-5", "currency": "EUR"}, "compensation_claimed"),
    ({"compensation_received": "9" * 30, "currency": "EUR"}, "compensation_received"),
    ({"compensation_claimed": "12", "currency": "1€x"}, "currency"),
    ({"outcome": "made_up"}, "outcome"),
    ({"outcome": "conviction", "outcome_on": "0001-01-01"}, "outcome_on"),
]


@pytest.mark.parametrize(("bad", "field"), HOSTILE)
def test_hostile_input_gets_field_errors(
    client: Any, world: World, bad: dict[str, str], field: str
) -> None:
    client.force_login(world.case_manager)
    data = {
        "kind": "criminal",
        "authority": AUTHORITY,
        "role": "witness",
        "stage": "trial",
        "started_on": (TODAY() - timedelta(days=10)).isoformat(),
        "outcome": "pending",
        **bad,
    }
    response = client.post(reverse("cases:proceeding_add", args=[world.case.public_id]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not LegalProceeding.objects.exists()


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"held_on": "2026-13-01"}, "held_on"),
        ({"held_on": "0001-01-01"}, "held_on"),
        ({"held_on": "9999-12-31"}, "held_on"),
        ({"starts_at": "25:99"}, "starts_at"),
        ({"place": "x" * 5000}, "place"),
    ],
)
def test_hostile_hearing_input_gets_field_errors(
    client: Any, world: World, bad: dict[str, str], field: str
) -> None:
    proceeding = _proceeding(world)
    client.force_login(world.case_manager)
    url = reverse("cases:hearing_add", args=[world.case.public_id, proceeding.public_id])
    response = client.post(url, {"held_on": TODAY().isoformat(), **bad})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Hearing.objects.exists()


# --- The case file --------------------------------------------------------------------


def test_the_section_lists_hearings_ahead_first_and_past_ones_with_their_result(
    client: Any, world: World
) -> None:
    proceeding = _proceeding(
        world,
        compensation_claimed=Decimal("5000"),
        compensation_received=Decimal("1250.5"),
        currency="EUR",
    )
    _hearing(proceeding, world.case_manager, 30, purpose="Closing arguments")
    _hearing(proceeding, world.case_manager, 2, purpose="Her testimony", person_attends=True)
    _hearing(proceeding, world.case_manager, -20, purpose="First hearing", result="Adjourned.")
    _hearing(proceeding, world.case_manager, -5, purpose="Second hearing", result="Heard.")
    (entry,) = selectors.case_file_for(_fetched(world.case_manager, world)).proceedings or []
    assert [row.hearing.purpose for row in entry.upcoming] == ["Her testimony", "Closing arguments"]
    assert [row.soon for row in entry.upcoming] == [True, False]
    assert [h.purpose for h in entry.past] == ["Second hearing", "First hearing"]

    client.force_login(world.case_manager)
    body = client.get(reverse("casework:detail", args=[world.case.public_id])).content.decode()
    section = body.split('id="legal"')[1].split("</section>")[0]
    assert section.index("Her testimony") < section.index("Closing arguments")
    assert "in 2 days" in section and "the person attends" in section
    assert "Adjourned." in section and "Injured party and witness" in section
    assert "claimed 5,000 EUR" in section and "received 1,250.50 EUR" in section


def _fetched(user: User, world: World) -> Any:
    from cases.access import get_beneficiary_for

    return get_beneficiary_for(user, world.case.public_id)


def test_a_team_member_without_legal_reading_does_not_even_load_them(world: World) -> None:
    before = selectors.case_file_for(_fetched(world.mdt, world))
    assert before.proceedings is None and not before.has_proceedings
    _proceeding(world)
    after = selectors.case_file_for(_fetched(world.mdt, world))
    assert after.proceedings is None and after.has_proceedings
    # A case fetched without the viewer's place on it reads as nobody's.
    assert selectors.case_file_for(world.case).proceedings is None


def test_the_case_file_is_constant_in_the_number_of_proceedings(client: Any, world: World) -> None:
    url = reverse("casework:detail", args=[world.case.public_id])

    def queries(user: User) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def fill(n: int) -> None:
        for _ in range(n):
            proceeding = _proceeding(world)
            _hearing(proceeding, world.case_manager, 2)
            _hearing(proceeding, world.case_manager, -2, result="Heard.")

    fill(1)
    few = (queries(world.case_manager), queries(world.mdt))
    fill(6)
    assert (queries(world.case_manager), queries(world.mdt)) == few


# --- My follow-ups ----------------------------------------------------------------------


def test_my_follow_ups_lists_the_hearings_of_the_week(client: Any, legal_world: World) -> None:
    proceeding = LegalProceeding.objects.get()
    _hearing(proceeding, legal_world.case_manager, 0, purpose="Today's hearing")
    _hearing(proceeding, legal_world.case_manager, 8, purpose="Next week's")
    _hearing(proceeding, legal_world.case_manager, -1, purpose="Yesterday's")
    lawyer = User.objects.get(username="lawyer")
    for user in (legal_world.case_manager, lawyer):
        assert [h.purpose for h in hearings_soon_for(user)] == ["Today's hearing", "Her testimony"]
    for user in (legal_world.mdt, legal_world.supervisor, legal_world.colleague):
        assert hearings_soon_for(user) == []

    client.force_login(lawyer)
    body = client.get(reverse("monitoring:my_follow_ups")).content.decode()
    section = body.split('id="hearings"')[1]
    assert "Hearings in the next 7 days" in section
    detail = reverse("casework:detail", args=[legal_world.case.public_id]) + "#legal"
    assert detail in section and legal_world.case.case_code in section
    assert "Her testimony" in section and "10:" not in section


@pytest.mark.parametrize("ends", ["proceedings", "case"])
def test_not_for_ended_proceedings_or_closed_cases(legal_world: World, ends: str) -> None:
    proceeding = LegalProceeding.objects.get()
    if ends == "proceedings":
        services.proceeding_update(
            proceeding=proceeding,
            actor=legal_world.case_manager,
            opened_at=version_of(proceeding),
            stage="ended",
            outcome="withdrawn",
            outcome_on=TODAY(),
        )
    else:
        close_case(legal_world.case, legal_world.case_manager)
    assert hearings_soon_for(legal_world.case_manager) == []
    reminders.scan()
    assert not Notification.objects.filter(kind=SOON).exists()


def test_my_follow_ups_is_constant_in_the_number_of_hearings(
    client: Any, legal_world: World
) -> None:
    client.force_login(legal_world.case_manager)
    url = reverse("monitoring:my_follow_ups")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for n in range(5):
        case = make_case(case_manager=legal_world.case_manager, first_name=f"More{n}")
        _hearing(_proceeding(legal_world, case=case), legal_world.case_manager, n)
    assert queries() == few


# --- The reminder ---------------------------------------------------------------------


def _on(day: date) -> Any:
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(12))), tick=False)


def _told() -> list[tuple[str, date, bool]]:
    return sorted(
        Notification.objects.filter(kind=SOON).values_list(
            "recipient__username", "due_on", "escalated"
        )
    )


class TestReminder:
    def test_the_case_manager_and_the_lawyer_are_told_the_week_before(
        self, legal_world: World
    ) -> None:
        held_on = Hearing.objects.get().held_on
        with _on(held_on - timedelta(days=settings.HEARING_NOTICE_DAYS + 1)):
            reminders.scan()
        assert _told() == []
        with _on(held_on - timedelta(days=settings.HEARING_NOTICE_DAYS)):
            reminders.scan()
            reminders.scan()  # idempotent
        assert _told() == [("cm", held_on, False), ("lawyer", held_on, False)]
        # Not escalated to the supervisors, even on the day.
        with _on(held_on):
            reminders.scan()
        assert len(_told()) == 2

    def test_neutral_wording_and_a_link_to_the_section(self, legal_world: World) -> None:
        reminders.scan()
        notification = Notification.objects.filter(kind=SOON).first()
        assert notification is not None
        text = notification.text
        assert legal_world.case.case_code in text and "hearing" in text
        for word in ("court", "trafficking", "Criminal", AUTHORITY, "testimony"):
            assert word.lower() not in text.lower()
        assert notification.url.endswith("#legal")
        assert str(Hearing.objects.get().pk) in notification.key

    def test_a_moved_hearing_is_told_again(self, legal_world: World) -> None:
        reminders.scan()
        hearing = Hearing.objects.get()
        services.hearing_update(
            hearing=hearing,
            actor=legal_world.case_manager,
            opened_at=version_of(hearing),
            held_on=hearing.held_on + timedelta(days=2),
        )
        reminders.scan()
        assert len(_told()) == 4

    def test_not_past_hearings_nor_other_team_members(self, legal_world: World) -> None:
        proceeding = LegalProceeding.objects.get()
        _hearing(proceeding, legal_world.case_manager, -1)
        reminders.scan()
        assert {name for name, _on_day, _esc in _told()} == {"cm", "lawyer"}
        assert len(_told()) == 2
        assert not Notification.objects.filter(recipient=legal_world.mdt, kind=SOON).exists()

    def test_the_query_count_does_not_grow_with_the_hearings(self, legal_world: World) -> None:
        with CaptureQueriesContext(connection) as few:
            reminders._hearings_soon(TODAY())
        for n in range(5):
            case = make_case(case_manager=legal_world.case_manager, first_name=f"More{n}")
            add_mdt(case, User.objects.get(username="lawyer"), legal_world.case_manager)
            _hearing(_proceeding(legal_world, case=case), legal_world.case_manager, 1)
        with CaptureQueriesContext(connection) as many:
            due = reminders._hearings_soon(TODAY())
        assert len(many) == len(few)
        assert len(due) == 12  # six hearings, each to the case manager and the lawyer


# --- Reports and retention ------------------------------------------------------------


def test_the_report_counts_outcomes_by_kind(client: Any, world: World) -> None:
    start, end = TODAY() - timedelta(days=365), TODAY()
    _proceeding(world)  # pending
    _proceeding(
        world,
        stage="ended",
        outcome="conviction",
        outcome_on=TODAY() - timedelta(days=10),
        compensation_received=Decimal("3000"),
        currency="EUR",
    )
    _proceeding(world, kind="administrative", role="claimant")
    # An outcome before the period: not under way in it.
    _proceeding(world, stage="ended", outcome="acquittal", outcome_on=TODAY() - timedelta(days=390))
    # Elsewhere: not counted.
    other = make_case(case_manager=UserFactory(organisation=world.other_org), first_name="X")
    _proceeding(world, case=other)

    table = tables.legal_outcomes(world.org.pk, start, end)
    headers = [str(h) for h in table.headers]
    rows = {str(row[0]): row[1:] for row in table.rows}
    column = {name: headers.index(name) - 1 for name in headers[1:]}
    criminal = rows["Criminal proceedings"]
    assert criminal[column["No outcome yet"]] == 1
    assert criminal[column["Conviction"]] == 1
    assert criminal[column["Acquittal"]] == 0
    assert criminal[column["Total"]] == 2
    assert criminal[column["Compensation received"]] == 1
    assert rows["Administrative (residence, asylum, status)"][column["Total"]] == 1
    assert rows["Total"][column["Total"]] == 3
    # As it stood at the end of an earlier period: the conviction was still to come.
    earlier = tables.legal_outcomes(world.org.pk, start, TODAY() - timedelta(days=20))
    earlier_criminal = {str(row[0]): row[1:] for row in earlier.rows}["Criminal proceedings"]
    assert earlier_criminal[column["No outcome yet"]] == 2
    # Small counts suppressed in the exports; shown on the reports page.
    assert table.suppressed(3)[0][column["Conviction"] + 1] == "<3"
    assert "legal_outcomes" in {t.key for t in tables.build(world.org.pk, start, end)}
    client.force_login(world.supervisor)
    page = client.get(reverse("reports:report")).content.decode()
    assert 'id="t-legal_outcomes"' in page


def test_erasure_empties_the_free_text_and_keeps_the_figures(world: World) -> None:
    proceeding = _proceeding(
        world,
        stage="ended",
        outcome="conviction",
        outcome_on=TODAY(),
        compensation_received=Decimal("3000"),
        currency="EUR",
        notes="Zephyrine's statement",
    )
    _hearing(proceeding, world.case_manager, -1, place="Room 4", result="Zephyrine testified.")
    close_case(world.case, world.case_manager)
    later = timezone.now() + relativedelta(years=10, days=1)
    with time_machine.travel(later, tick=False):
        erasure.case_anonymise(beneficiary=world.case, actor=world.supervisor)
    proceeding.refresh_from_db()
    assert (proceeding.authority, proceeding.reference, proceeding.lawyer) == ("", "", "")
    assert (proceeding.protection_measures, proceeding.notes) == ("", "")
    assert (proceeding.kind, proceeding.outcome, proceeding.currency) == (
        "criminal",
        "conviction",
        "EUR",
    )
    assert proceeding.compensation_received == Decimal("3000")
    hearing = Hearing.objects.get()
    assert (hearing.place, hearing.purpose, hearing.result) == ("", "", "")
    assert not LegalProceeding.history.filter(id=proceeding.pk).exists()
    assert not Hearing.history.filter(id=hearing.pk).exists()
