"""Each case keeps when its last contact was made (`Beneficiary.last_contact_at`): the due
dates of thousands of cases are worked out from it. Whatever the contact services do, it is
the latest contact made; nothing else writes it."""

from __future__ import annotations

import importlib
import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from cases import services as case_services
from cases.models import Beneficiary
from core.records import version_of
from monitoring import services
from monitoring.models import Contact
from tests.conftest import World
from tests.factories import make_case

fill_migration = importlib.import_module("cases.migrations.0017_last_contact_at")


def _stored(case: Beneficiary) -> datetime | None:
    return Beneficiary.objects.values_list("last_contact_at", flat=True).get(pk=case.pk)


def _latest_made(case: Beneficiary) -> datetime | None:
    made = Contact.objects.filter(beneficiary=case, made=True)
    return made.aggregate(last=Max("occurred_at"))["last"]


def _log(world: World, case: Beneficiary, at: datetime, made: bool = True) -> Contact:
    data = {"occurred_at": at, "kind": "office_visit", "summary": "Talked.", "made": made}
    return services.contact_log(beneficiary=case, actor=world.case_manager, data=data)


# One moment for the whole module: times worked out a second apart would not compare equal.
_NOW = timezone.now().replace(microsecond=0)


def _hours_ago(hours: int) -> datetime:
    return _NOW - timedelta(hours=hours)


def test_logging_keeps_the_latest_contact_made(world: World) -> None:
    case = world.case
    assert _stored(case) is None
    _log(world, case, _hours_ago(5))
    assert _stored(case) == _hours_ago(5)
    _log(world, case, _hours_ago(9))  # an earlier visit, written up late
    assert _stored(case) == _hours_ago(5)
    _log(world, case, _hours_ago(1), made=False)  # an attempt does not count
    assert _stored(case) == _hours_ago(5)
    _log(world, case, _hours_ago(2))
    assert _stored(case) == _hours_ago(2) == case.last_contact_at


def test_correcting_a_contact_works_it_out_again(world: World) -> None:
    case = world.case
    earlier = _log(world, case, _hours_ago(30))
    latest = _log(world, case, _hours_ago(3))

    def correct(contact: Contact, **data: Any) -> None:
        contact = Contact.objects.get(pk=contact.pk)
        services.contact_update(
            contact=contact, actor=world.case_manager, data=data, opened_at=version_of(contact)
        )

    correct(latest, occurred_at=_hours_ago(40))  # the time was wrong: it came first
    assert _stored(case) == _hours_ago(30)
    correct(earlier, made=False)  # it was only an attempt
    assert _stored(case) == _hours_ago(40)
    correct(latest, made=False)
    assert _stored(case) is None
    assert _stored(case) == _latest_made(case)


def test_saving_the_case_never_writes_back_an_older_last_contact(world: World) -> None:
    """A profile form opened before a contact was logged must not undo it."""
    opened = Beneficiary.objects.get(pk=world.case.pk)
    opened_at = version_of(opened)
    _log(world, Beneficiary.objects.get(pk=world.case.pk), _hours_ago(1))
    assert opened.last_contact_at is None  # what the form's copy still says
    case_services.beneficiary_update(
        beneficiary=opened, actor=world.case_manager, profile={"alias": "Ana"}, opened_at=opened_at
    )
    case = Beneficiary.objects.get(pk=world.case.pk)
    assert (case.alias, case.last_contact_at) == ("Ana", _hours_ago(1))


def test_the_migration_fills_it_from_the_contacts(world: World) -> None:
    never_met = make_case(case_manager=world.case_manager)
    _log(world, world.case, _hours_ago(4))
    _log(world, world.case, _hours_ago(2), made=False)
    Beneficiary.objects.update(last_contact_at=None)
    fill_migration.fill_last_contact_at(apps, connection.schema_editor())
    assert _stored(world.case) == _hours_ago(4)
    assert _stored(never_met) is None


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="two writers at the same moment, each on its own connection: a PostgreSQL test",
)
@pytest.mark.django_db(transaction=True)
def test_a_new_contact_and_a_correction_at_once_keep_the_latest(world: World) -> None:
    """One writer logs a newer contact while another moves the latest one back: the second
    waits for the first's lock on the case, then sees its contact, so the stored time is the
    newest (without the lock it would see only its own change, and store that)."""
    latest = _log(world, world.case, _hours_ago(3))
    newest = _hours_ago(1)
    logged, may_commit = threading.Event(), threading.Event()

    def new_contact() -> None:
        try:
            with transaction.atomic():
                _log(world, Beneficiary.objects.get(pk=world.case.pk), newest)
                logged.set()
                may_commit.wait(10)
        finally:
            connection.close()

    def correction() -> None:
        try:
            logged.wait(10)
            contact = Contact.objects.get(pk=latest.pk)
            services.contact_update(
                contact=contact,
                actor=world.case_manager,
                data={"occurred_at": _hours_ago(50)},
                opened_at=version_of(contact),
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=new_contact), threading.Thread(target=correction)]
    for thread in threads:
        thread.start()
    threads[1].join(timeout=1)
    assert threads[1].is_alive(), "the correction waits for the case the new contact holds"
    may_commit.set()
    for thread in threads:
        thread.join(timeout=10)
    assert _stored(world.case) == newest == _latest_made(world.case)
