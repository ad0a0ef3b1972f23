"""Two people save the same record: nobody's change is lost (issue 15, part 1).

Every edit form is walked with two clients, as two browsers would use it: both open the form;
the first saves a change; the second saves the form they opened earlier with a change of
their own. The second save is refused, names who saved and when, shows what they saved, and
keeps what was typed; saved again from there, it goes through.
"""

from __future__ import annotations

import html
import importlib
import inspect
import os
import threading
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments import services as assessment_services
from assessments.choices import OutcomeDomain
from cases import services as case_services
from casework.forms import IntakeForm
from core.forms import EditForm
from core.records import VERSION_FIELD, EditConflict, version_of
from directory.models import Provider
from monitoring import services as monitoring_services
from monitoring.models import CadenceOverride, Contact
from tests.cases.test_access_matrix import every_record_id, named_urls
from tests.conftest import World
from tests.html_forms import form_values


@dataclass(frozen=True)
class Edit:
    """An edit form, who races on it, and the field each of them changes."""

    url_name: str
    first: str  # persona saving first
    second: str  # persona saving the form they opened before that
    first_field: str
    first_value: str
    second_field: str
    second_value: str


EDITS = [
    Edit("cases:profile_edit", "case_manager", "supervisor", "alias", "Mira", "who_may_answer", "Her aunt"),
    Edit("cases:family_edit", "case_manager", "supervisor", "risk_notes", "Calls often", "own_needs", "Work"),
    Edit("cases:child_edit", "case_manager", "supervisor", "current_carer", "Grandmother", "needs", "School"),
    Edit("cases:threat_edit", "case_manager", "supervisor", "level", "high", "details", "Seen twice"),
    Edit("cases:safety_plan_edit", "case_manager", "supervisor", "code_word", "Blue", "safe_people", "Her aunt"),
    # Who knows is the whole team's: edited by the MDT member and by the case manager.
    Edit("cases:disclosure_edit", "mdt", "case_manager", "knows", "part", "wishes", "Say nothing"),
    # Documents are the whole team's too.
    Edit("cases:document_edit", "mdt", "case_manager", "status", "missing", "responsible", "Her aunt"),
    # Legal proceedings: the case manager, the lawyer on the team and supervisors.
    Edit("cases:proceeding_edit", "case_manager", "supervisor", "stage", "appeal", "lawyer", "Ada Lex"),
    Edit("cases:hearing_edit", "case_manager", "supervisor", "place", "Room 5", "purpose", "Her testimony"),
    # A child's guardians and best-interests decisions: the case manager's and supervisors'.
    Edit("cases:guardian_edit", "case_manager", "supervisor", "contact", "+000 555 0101", "notes", "Works nights"),
    Edit("cases:best_interests_edit", "case_manager", "supervisor", "decision", "Stays for now", "participants", "The child, her aunt"),
    # A held case review is the team's: recorded by the MDT member, corrected by the case manager.
    Edit("cases:case_review_record", "mdt", "case_manager", "participants", "Psychologist, doctor", "decisions", "See her monthly"),
    # A contact note edited by its author (the MDT member) and by the case manager.
    Edit("monitoring:contact_edit", "mdt", "case_manager", "summary", "Talked at length.", "follow_up", "Call back"),
    Edit("monitoring:cadence", "case_manager", "supervisor", "days", "4", "reason", "Weekly calls planned"),
    Edit("assessments:section_edit", "case_manager", "supervisor", "needs", "Sleep", "strengths", "Her sister"),
    Edit("assessments:scores", "case_manager", "supervisor", "score_physical_health", "2", "note_accommodation", "Shared flat"),
    Edit("plans:version_edit", "case_manager", "supervisor", "own_goals", "A job", "participants", "Her, me"),
    Edit("plans:goal_edit", "case_manager", "supervisor", "description", "A flat", "indicator", "A lease"),
    Edit("plans:goal_progress", "case_manager", "supervisor", "status", "in_progress", "note", "Viewing flats"),
    Edit("plans:task_edit", "case_manager", "supervisor", "description", "Call the agency", "external_organisation", "Agency"),
    Edit("plans:task_progress", "case_manager", "supervisor", "status", "done", "status", "cancelled"),
    Edit("referrals:edit", "case_manager", "supervisor", "reason", "Needs a bed tonight", "urgency", "urgent"),
    Edit("referrals:follow_through", "case_manager", "supervisor", "feedback", "Kind staff", "treatment", "mixed"),
    Edit("directory:provider_edit", "supervisor", "administrator", "phone", "+355 4 000 111", "address", "Rruga 1"),
    Edit("directory:service_edit", "supervisor", "administrator", "opening_hours", "Mon-Fri", "cost_details", "Free"),
]  # fmt: skip


def _url_ids(world: World) -> dict[str, Any]:
    ids = every_record_id(world)
    assessment = world.case.assessments.get()
    assessment_services.scores_save(
        assessment=assessment,
        actor=world.case_manager,
        scores={domain: (3, "") for domain in OutcomeDomain.values},
        opened_at={},
    )
    # A case's own contact interval, set earlier: the settings page edits it.
    monitoring_services.cadence_override_set(
        beneficiary=world.case, actor=world.case_manager, days=5, reason="", opened_at=""
    )
    provider = Provider.objects.get(
        services__public_id__isnull=False, services__referrals__isnull=False
    )
    ids.update(provider_id=provider.public_id, service_id=provider.services.get().public_id)
    return ids


def _url(edit: Edit, ids: dict[str, Any]) -> str:
    takes = named_urls()[edit.url_name].all_converters  # type: ignore[attr-defined]
    return reverse(edit.url_name, kwargs={name: ids[name] for name in takes})


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _opened(client: Client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return form_values(response.content.decode(), VERSION_FIELD)


@pytest.mark.parametrize("edit", EDITS, ids=[e.url_name for e in EDITS])
def test_the_second_save_is_refused_and_keeps_what_was_typed(world: World, edit: Edit) -> None:
    url = _url(edit, _url_ids(world))
    people = world.personas()
    first, second = _client(people[edit.first]), _client(people[edit.second])
    first_form, second_form = _opened(first, url), _opened(second, url)
    untouched = second_form[edit.second_field]
    assert second_form[edit.first_field] != [edit.first_value], "the change must change something"

    first_form[edit.first_field] = [edit.first_value]
    saved_at = timezone.localtime()
    assert first.post(url, first_form).status_code == 302

    second_form[edit.second_field] = [edit.second_value]
    refused = second.post(url, second_form)
    assert refused.status_code == 200
    page = html.unescape(refused.content.decode())
    # Who saved, and when; what they saved, next to what was typed.
    assert f"{people[edit.first]} changed this record on {saved_at:%d} " in page
    assert "Saved since you opened this form" in page
    kept = form_values(refused.content.decode(), VERSION_FIELD)
    assert kept[edit.second_field] == [edit.second_value]
    # Nothing of the refused save was stored: the first person's change stands.
    stored = _opened(second, url)
    assert stored[edit.first_field] == [edit.first_value]
    if edit.second_field != edit.first_field:
        assert stored[edit.second_field] == untouched

    # Saved again from the refused page (taking the first person's value where it is another
    # field): the second person's change stands, and the first person's too.
    if edit.second_field != edit.first_field:
        kept[edit.first_field] = [edit.first_value]
    assert second.post(url, kept).status_code == 302
    both = _opened(first, url)
    assert both[edit.second_field] == [edit.second_value]
    if edit.second_field != edit.first_field:
        assert both[edit.first_field] == [edit.first_value]


def test_every_edit_form_is_walked(world: World) -> None:
    """A form that edits a saved row carries its version and is in the walk above; a model
    form that does not is one that only ever adds a row."""
    ids = _url_ids(world)
    walked = set()
    for edit in EDITS:
        client = _client(world.personas()[edit.first])
        walked.add(type(client.get(_url(edit, ids)).context["form"]))
    edit_forms = set(_subclasses(EditForm)) - {IntakeForm}  # intake adds a case
    assert edit_forms <= walked
    ours = [
        importlib.import_module(f"{app.name}.forms")
        for app in apps.get_app_configs()
        if "site-packages" not in app.path and os.path.exists(os.path.join(app.path, "forms.py"))
    ]
    assert len(ours) > 5
    for module in ours:
        for form in vars(module).values():
            if (
                inspect.isclass(form)
                and issubclass(form, forms.ModelForm)
                and form.__module__ == module.__name__
                and not issubclass(form, EditForm)
            ):
                assert form.__name__ in ADD_ONLY, f"{form.__name__} edits rows: make it an EditForm"


# Model forms that only ever add a row: a consent, a setback, a closure, a signature… are
# recorded, never edited (a mistake is corrected by a new record, kept in history).
ADD_ONLY = {
    "ConsentForm", "SetbackForm", "ClosureForm", "DeclineForm", "SignatureForm",
    "UnmetNeedForm", "SupervisionRecordForm", "ComplaintForm", "DocumentStepForm",
    "CaseReviewPlanForm",
}  # fmt: skip


def _subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]


def _profile_opened(world: World) -> tuple[str, Client, dict[str, list[str]]]:
    url = reverse("cases:profile_edit", args=[world.case.public_id])
    client = _client(world.case_manager)
    return url, client, _opened(client, url)


def test_a_change_to_a_field_not_on_the_form_is_no_conflict(world: World) -> None:
    """The stage moved while the profile form was open: the profile saves, the stage stays."""
    url, client, form = _profile_opened(world)
    case_services.stage_change(
        beneficiary=world.case,
        actor=world.supervisor,
        to_stage="transition",
        changed_on=timezone.localdate(),
        reason="Stable for months",
    )
    form["alias"] = ["Mira"]
    assert client.post(url, form).status_code == 302
    world.case.refresh_from_db()
    assert (world.case.alias, world.case.stage) == ("Mira", "transition")


@pytest.mark.parametrize("version", ["", "not-a-version", "999999999", "9" * 30, "١٢"])
def test_a_missing_or_forged_version_counts_as_unseen(world: World, version: str) -> None:
    url, client, form = _profile_opened(world)
    form.update(alias=["Mira"], **{VERSION_FIELD: [version]})
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "after you opened this form" in html.unescape(refused.content.decode())
    world.case.refresh_from_db()
    assert world.case.alias == ""


def test_deleting_what_someone_changed_meanwhile_is_refused(world: World) -> None:
    """Going back to the organisation's interval deletes the case's own: not unseen."""
    monitoring_services.cadence_override_set(
        beneficiary=world.case, actor=world.case_manager, days=5, reason="", opened_at=""
    )
    url = reverse("monitoring:cadence", args=[world.case.public_id])
    client = _client(world.case_manager)
    form = _opened(client, url)
    monitoring_services.cadence_override_set(
        beneficiary=world.case,
        actor=world.supervisor,
        days=4,
        reason="",
        opened_at=form[VERSION_FIELD][0],
    )
    form["days"] = [""]
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert CadenceOverride.objects.get(beneficiary=world.case).days == 4
    kept = form_values(refused.content.decode(), VERSION_FIELD)
    assert client.post(url, kept).status_code == 302  # seen now: deleted on purpose
    assert not CadenceOverride.objects.filter(beneficiary=world.case).exists()


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="two saves at the same moment, each on its own connection: a PostgreSQL test",
)
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_take_turns(world: World) -> None:
    """The second save waits for the first to commit, then sees its change and is refused:
    checking and saving are one step, not two that another save can slip between."""
    contact = monitoring_services.contact_log(
        beneficiary=world.case,
        actor=world.mdt,
        data={"occurred_at": timezone.now(), "kind": "office_visit", "summary": "Talked."},
    )
    opened_at = version_of(contact)
    first_saved, first_may_commit = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                monitoring_services.contact_update(
                    contact=Contact.objects.get(pk=contact.pk),
                    actor=world.mdt,
                    data={"summary": "Talked at length."},
                    opened_at=opened_at,
                )
                first_saved.set()
                first_may_commit.wait(10)
        finally:
            connection.close()

    def second() -> None:
        try:
            first_saved.wait(10)
            monitoring_services.contact_update(
                contact=Contact.objects.get(pk=contact.pk),  # read before the first commits
                actor=world.case_manager,
                data={"follow_up": "Call back"},
                opened_at=opened_at,
            )
            outcome["second"] = "saved"
        except EditConflict as conflict:
            outcome["second"] = conflict
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    threads[1].join(timeout=1)
    assert threads[1].is_alive(), "the second save waits for the row the first one holds"
    first_may_commit.set()
    for thread in threads:
        thread.join(timeout=10)
    assert isinstance(outcome["second"], EditConflict)
    contact.refresh_from_db()
    assert (contact.summary, contact.follow_up) == ("Talked at length.", "")
