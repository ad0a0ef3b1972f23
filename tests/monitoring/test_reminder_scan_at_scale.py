"""The reminder scan at national scale (issue 20): set-based, a fixed number of queries, and
the same reminders as the rules worked out case by case in Python.

Speed figures come from `manage.py benchmark_reminders`, never from a test.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from cases.models import Beneficiary, TeamMembership
from monitoring import reminders, services
from monitoring.models import ContactInterval
from monitoring.selectors import attach_follow_ups, with_follow_up_facts
from monitoring.timeline import attach_timelines
from notifications.models import Notification
from notifications.selectors import (
    keys_not_used,
    keys_not_used_batched,
    keys_used,
    keys_used_batched,
    with_keys,
    with_keys_batched,
)
from tests.conftest import World
from tests.factories import make_case

# Keys as the scan makes them, and some a driver or a JSON array could get wrong.
ODD_KEYS = ["it's:1", 'a "quoted" key', "back\\slash", "per%cent", "ünïcode:ë", "x" * 200, ""]


def _notify(user: User, case: Beneficiary, keys: list[str]) -> None:
    Notification.objects.bulk_create(
        Notification(
            key=key,
            recipient=user,
            beneficiary=case,
            kind="contact_overdue",
            due_on=timezone.localdate(),
        )
        for key in keys
    )


class TestKeyLookups:
    """The hand-written lookups return what the ORM's `key__in` returns, on both databases."""

    def test_unused_keys_are_those_the_orm_does_not_find(self, world: World) -> None:
        used = [f"contact_overdue:{n}:contact:2026-01-01:1:" for n in range(30)] + ODD_KEYS[:4]
        _notify(world.case_manager, world.case, used)
        asked = [*used[::2], *ODD_KEYS, "contact_overdue:99:contact:2026-01-01:1:", used[0]]
        assert keys_not_used(asked) == keys_not_used_batched(asked)
        assert keys_not_used(asked) == set(ODD_KEYS[4:]) | {
            "contact_overdue:99:contact:2026-01-01:1:"
        }
        assert keys_not_used([]) == keys_not_used_batched([]) == set()

    def test_used_keys_are_those_the_orm_finds(self, world: World) -> None:
        used = [f"contact_due_soon:{n}:contact:2026-01-01:1:soon1" for n in range(30)]
        _notify(world.case_manager, world.case, [*used, *ODD_KEYS[:4]])
        asked = [*used[::3], *ODD_KEYS, "contact_due_soon:99:contact:2026-01-01:1:soon0"]
        assert keys_used(asked) == keys_used_batched(asked) == {*used[::3], *ODD_KEYS[:4]}
        assert keys_used([]) == keys_used_batched([]) == set()

    def test_notifications_with_keys_are_those_the_orm_finds(self, world: World) -> None:
        used = [f"plan_overdue:{n}:plan:2026-01-01:1:" for n in range(30)] + ODD_KEYS
        _notify(world.case_manager, world.case, used)
        for asked in [used[3:17], [*ODD_KEYS, "missing"], used, []]:
            assert set(with_keys(asked).values_list("pk", flat=True)) == set(
                with_keys_batched(asked).values_list("pk", flat=True)
            )
        assert with_keys(ODD_KEYS).count() == len(ODD_KEYS)


FIELDS = ["recipient_id", "beneficiary_id", "kind", "subject", "due_on", "escalated"]
NULL_FIELDS = ["read_at", "emailed_at", "sending_since"]


class TestInsert:
    def test_it_makes_the_rows_bulk_create_makes(self, world: World) -> None:
        rows = [
            reminders.NewRow(
                f"{prefix}:{n}",
                world.case_manager.pk if n % 2 else world.supervisor.pk,
                world.case.pk,
                "contact_overdue" if n % 3 else "stage_review",
                f'Subject {n}: l\'été, "quoted"',
                date(2026, 1, 1) + timedelta(days=n),
                n % 2 == 0,
            )
            for prefix in ["raw", "orm"]
            for n in range(5)
        ]
        before = timezone.now()
        reminders.insert_ignoring_conflicts([row for row in rows if row.key.startswith("raw")])
        Notification.objects.bulk_create(
            [
                Notification(
                    key=row.key,
                    **{field: value for field, value in row._asdict().items() if field != "key"},
                )
                for row in rows
                if row.key.startswith("orm")
            ],
            ignore_conflicts=True,
        )

        def made(prefix: str) -> list[tuple[object, ...]]:
            return [
                (key.split(":")[1], *values)
                for key, *values in Notification.objects.filter(key__startswith=prefix)
                .order_by("key")
                .values_list("key", *FIELDS, *NULL_FIELDS)
            ]

        assert made("raw:") == made("orm:") and len(made("raw:")) == 5
        raw = Notification.objects.filter(key__startswith="raw:")
        assert all(
            before <= created <= timezone.now()
            for created in raw.values_list("created_at", flat=True)
        )

    def test_a_key_already_used_is_left_as_it_is(self, world: World) -> None:
        _notify(world.case_manager, world.case, ["taken"])
        row = reminders.NewRow(
            "taken",
            world.supervisor.pk,
            world.case.pk,
            "plan_overdue",
            "New",
            timezone.localdate(),
            True,
        )
        reminders.insert_ignoring_conflicts([row, row._replace(key="free")])
        taken = Notification.objects.get(key="taken")
        assert (taken.recipient, taken.kind, taken.escalated) == (
            world.case_manager,
            "contact_overdue",
            False,
        )
        assert Notification.objects.filter(key="free", recipient=world.supervisor).exists()


def _more_cases(world: World, count: int) -> None:
    today = timezone.localdate()
    for n in range(count):
        # Overdue contact, plan and stage review, one due soon: every branch of the scan.
        make_case(
            case_manager=world.case_manager,
            first_name=f"Case{n}",
            admitted_on=today - timedelta(days=250 + n),
        )
        make_case(case_manager=world.case_manager, admitted_on=today - timedelta(days=6))


def _queries() -> int:
    with CaptureQueriesContext(connection) as captured:
        reminders.scan()
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_cases(world: World) -> None:
    _more_cases(world, 2)
    first_small = _queries()
    repeat_small = _queries()
    Notification.objects.all().delete()
    _more_cases(world, 6)
    assert Notification.objects.count() == 0
    first_large = _queries()
    assert Notification.objects.count() > 24
    assert _queries() == repeat_small
    assert first_large == first_small


def test_a_repeat_scan_asks_for_the_keys_once_and_inserts_nothing(world: World) -> None:
    _more_cases(world, 3)
    reminders.scan()
    count = Notification.objects.count()
    with CaptureQueriesContext(connection) as captured:
        reminders.scan()
    sql = [query["sql"] for query in captured]
    assert not [q for q in sql if "INSERT" in q or q.startswith("UPDATE")]
    assert len([q for q in sql if q.startswith("SELECT listed.k")]) == 1  # the keys, once
    assert Notification.objects.count() == count


def _contacts_by_the_python_rule(today: date) -> set[tuple[object, ...]]:
    """The rule case by case, as the scan applied it before issue 20."""
    cases = attach_follow_ups(list(with_follow_up_facts(Beneficiary.objects.all())))
    due: set[tuple[object, ...]] = set()
    for case in cases:
        due_on = case.follow_up.due_on
        if due_on and (which := reminders._soon_or_overdue("contact_overdue", due_on, today)):
            due.add((case.pk, which[0], due_on, which[1]))
    return due


def test_contacts_due_are_those_of_the_python_rule(world: World) -> None:
    today = timezone.localdate()
    ContactInterval.objects.create(organisation=world.org, phase="crisis", days=10)
    # Due the day after tomorrow, tomorrow, today, yesterday and long ago.
    for days in [8, 9, 10, 11, 60, 400]:
        make_case(case_manager=world.case_manager, admitted_on=today - timedelta(days=days))
    child = make_case(
        case_manager=world.case_manager,
        admitted_on=today - timedelta(days=8),
        date_of_birth=today - timedelta(days=365 * 15),
    )
    contacted = make_case(case_manager=world.case_manager, admitted_on=today - timedelta(days=90))
    services.contact_log(
        beneficiary=contacted,
        actor=world.case_manager,
        data={
            "occurred_at": timezone.now() - timedelta(days=9),
            "kind": "office_visit",
            "summary": "Met.",
        },
    )
    Beneficiary.objects.filter(pk=child.pk).update(stage="transition")
    Beneficiary.objects.filter(admitted_on=today - timedelta(days=400)).update(status="closed")
    expected = _contacts_by_the_python_rule(today)
    found = {
        (d.beneficiary_id, d.kind, d.due_on, d.days_ahead) for d in reminders._contacts_due(today)
    }
    assert found == expected
    assert {kind for _pk, kind, _on, _ahead in found} == {"contact_overdue", "contact_due_soon"}


@pytest.mark.parametrize("offset", [-2, -1, 0, 1, 2])
def test_stage_reviews_around_six_months_are_those_of_the_timeline(
    world: World, offset: int
) -> None:
    today = timezone.localdate()
    six_months_ago = today - relativedelta(months=6)
    case = make_case(
        case_manager=world.case_manager, admitted_on=six_months_ago + timedelta(days=offset)
    )
    Beneficiary.objects.filter(pk=case.pk).update(complex_factors=[])
    timeline = attach_timelines([Beneficiary.objects.get(pk=case.pk)], today)[0].timeline
    due = {d.beneficiary_id for d in reminders._stage_reviews_due(today)}
    assert (case.pk in due) == timeline.longer
    assert timeline.longer == (offset <= 0)


class TestWhatIsAlreadyNotified:
    """The database leaves out the cases whose plan or stage reminder everyone has."""

    def _late(self, world: World) -> Beneficiary:
        # Plan overdue past the grace period, contact overdue, longer than typical in crisis.
        return make_case(
            case_manager=world.case_manager,
            first_name="Late",
            admitted_on=timezone.localdate() - timedelta(days=250),
        )

    def test_a_repeat_scan_reads_none_of_them(self, world: World) -> None:
        late = self._late(world)
        today = timezone.localdate()
        assert {d.beneficiary_id for d in reminders._plans_due(today)} == {late.pk}
        assert {d.beneficiary_id for d in reminders._stage_reviews_due(today)} == {late.pk}
        reminders.scan()
        assert reminders._plans_due(today) == [] and reminders._stage_reviews_due(today) == []

    def test_a_new_supervisor_brings_the_escalated_plan_back(self, world: World) -> None:
        late = self._late(world)
        reminders.scan()
        newcomer = User.objects.create(
            username="new-supervisor", organisation=world.org, role="supervisor"
        )
        today = timezone.localdate()
        assert {d.beneficiary_id for d in reminders._plans_due(today)} == {late.pk}
        assert reminders._stage_reviews_due(today) == []  # not escalated: the manager's alone
        reminders.scan()
        assert Notification.objects.filter(
            recipient=newcomer, beneficiary=late, kind="plan_overdue", escalated=True
        ).exists()
        assert reminders._plans_due(today) == []

    def test_a_case_without_a_case_manager_stays_for_the_supervisors(self, world: World) -> None:
        late = self._late(world)
        reminders.scan()
        TeamMembership.objects.filter(beneficiary=late, role="case_manager").update(
            ended_on=timezone.localdate()
        )
        today = timezone.localdate()
        assert {d.beneficiary_id for d in reminders._stage_reviews_due(today)} == {late.pk}
        count = Notification.objects.count()
        reminders.scan()
        escalated_review = Notification.objects.filter(
            beneficiary=late, kind="stage_review", recipient=world.supervisor, escalated=True
        )
        assert escalated_review.exists()
        assert Notification.objects.count() == count + 1


def _what(due: reminders.Due) -> tuple[object, ...]:
    return (due.beneficiary_id, due.kind, due.due_on, due.days_ahead)


class TestContactsAlreadyNotified:
    """The database leaves out the cases whose contact reminder everyone has: what it leaves
    out is only ever what the scan would find already sent (the hand-written query against
    the rule applied in Python to every case due)."""

    def _cases(self, world: World) -> list[Beneficiary]:
        today = timezone.localdate()
        # Crisis: a contact every 7 days. Due tomorrow, today, yesterday (within the grace
        # period), five and thirteen days ago (escalated to the supervisors).
        return [
            make_case(case_manager=world.case_manager, admitted_on=today - timedelta(days=days))
            for days in [6, 7, 8, 12, 20]
        ]

    def _assert_leaves_out_only_what_is_sent(self, world: World, today: date) -> set[int]:
        every = {
            _what(due): due for due in reminders._contacts_due(today, leave_out_notified=False)
        }
        kept = {_what(due): due for due in reminders._contacts_due(today)}
        assert kept.keys() <= every.keys()
        managers = dict(
            TeamMembership.objects.filter(role="case_manager", ended_on__isnull=True).values_list(
                "beneficiary_id", "user_id"
            )
        )
        supervisors = list(
            User.objects.filter(
                role="supervisor", is_active=True, organisation=world.org
            ).values_list("pk", flat=True)
        )
        for what in every.keys() - kept.keys():
            due = every[what]
            manager = managers[due.beneficiary_id]  # a case without one is never left out
            keys = [reminders._key(due, manager, False)]
            if due.days_ahead is None and (today - due.due_on).days > 3:
                keys += [reminders._key(due, pk, True) for pk in supervisors]
            assert keys_not_used_batched(keys) == set(), due
        return {due.beneficiary_id for due in kept.values()}

    def test_a_repeat_scan_reads_none_of_them(self, world: World) -> None:
        cases = self._cases(world)
        today = timezone.localdate()
        due = {d.beneficiary_id for d in reminders._contacts_due(today)}
        assert {case.pk for case in cases} <= due
        assert self._assert_leaves_out_only_what_is_sent(world, today) == due
        reminders.scan()
        assert self._assert_leaves_out_only_what_is_sent(world, today) == set()
        # The next day the keys are new: due soon becomes due on the day, then overdue.
        tomorrow = today + timedelta(days=1)
        assert self._assert_leaves_out_only_what_is_sent(world, tomorrow) >= {
            cases[0].pk,
            cases[1].pk,
        }

    def test_a_new_supervisor_brings_back_only_the_escalated_ones(self, world: World) -> None:
        cases = self._cases(world)
        reminders.scan()
        newcomer = User.objects.create(
            username="new-supervisor", organisation=world.org, role="supervisor"
        )
        today = timezone.localdate()
        back = self._assert_leaves_out_only_what_is_sent(world, today)
        assert {cases[3].pk, cases[4].pk} <= back and not back & {c.pk for c in cases[:3]}
        reminders.scan()
        assert Notification.objects.filter(
            recipient=newcomer, beneficiary=cases[3], kind="contact_overdue", escalated=True
        ).exists()
        assert self._assert_leaves_out_only_what_is_sent(world, today) == set()
        User.objects.filter(pk=newcomer.pk).update(is_active=False)
        world.outsider.role = "supervisor"  # of the other organisation: not theirs to hear
        world.outsider.save()
        assert self._assert_leaves_out_only_what_is_sent(world, today) == set()

    def test_a_case_without_a_case_manager_stays_for_the_supervisors(self, world: World) -> None:
        cases = self._cases(world)
        reminders.scan()
        TeamMembership.objects.filter(beneficiary=cases[2], role="case_manager").update(
            ended_on=timezone.localdate()
        )
        today = timezone.localdate()
        assert cases[2].pk in {d.beneficiary_id for d in reminders._contacts_due(today)}
        reminders.scan()
        assert Notification.objects.filter(
            beneficiary=cases[2], kind="contact_overdue", recipient=world.supervisor, escalated=True
        ).exists()

    def test_the_superseded_keys_are_those_of_the_earlier_reminders(self) -> None:
        due = reminders.Due("contact_overdue", 7, 1, date(2026, 1, 5), None, "contact")
        assert reminders._superseded(due, 3) == [
            "contact_due_soon:7:contact:2026-01-05:3:soon1",
            "contact_due_soon:7:contact:2026-01-05:3:soon0",
        ]
        on_the_day = reminders.Due(
            "plan_due_soon", 7, 1, date(2026, 1, 5), None, "plan", days_ahead=0
        )
        assert reminders._key(on_the_day, 3, False) == "plan_due_soon:7:plan:2026-01-05:3:soon0"
        assert reminders._superseded(on_the_day, 3) == ["plan_due_soon:7:plan:2026-01-05:3:soon1"]
