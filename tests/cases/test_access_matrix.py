"""Every case-scoped URL against every persona, with the exact status each must get.

The URLs are found by walking the URLconf, so a case URL added later is tested without
anyone listing it here; a case URL whose view is not wrapped in `case_view` fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases import emergency, services
from cases.access import Access
from cases.choices import ConsentGiver, ConsentMethod, ConsentScope
from cases.models import CaseAccess
from core.records import version_of
from tests.conftest import World

# Legal proceedings (views marked `legal_only`): of the personas holding the level a view
# needs, only these read and write them; the MDT persona (a psychologist) is refused. A
# lawyer on the team is tested in tests/cases/test_legal.py.
READS_LEGAL = {"case_manager", "supervisor"}
# Which access levels each persona holds on the world's case.
GRANTED = {
    "case_manager": {Access.VIEW, Access.CONTACT, Access.EDIT, Access.MANAGE},
    "mdt": {Access.VIEW, Access.CONTACT, Access.EDIT},
    "supervisor": {Access.VIEW, Access.CONTACT, Access.EDIT, Access.MANAGE, Access.SUPERVISE},
    "colleague": set(),
    "outsider": set(),
    "administrator": set(),
    # The colleague again, with emergency ("break-glass") access open: reading, and logging
    # the contact that made them open the file.
    "emergency": {Access.VIEW, Access.CONTACT},
}


def _walk(
    patterns: list[Any], prefix: str = "", converters: tuple[str, ...] = ()
) -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        # Parameters of an include()'s prefix count too: "cases/<uuid:case_id>/" + include(...).
        inherited = converters + tuple(entry.pattern.converters)
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry.url_patterns, namespace, inherited)
        elif isinstance(entry, URLPattern) and entry.name:
            entry.all_converters = inherited  # type: ignore[attr-defined]
            yield f"{prefix}{entry.name}", entry


def named_urls() -> dict[str, URLPattern]:
    """Every named URL pattern, with the parameters it takes as `all_converters`."""
    return dict(_walk(get_resolver().url_patterns))


def case_scoped_urls() -> list[tuple[str, URLPattern]]:
    return [
        (name, p) for name, p in _walk(get_resolver().url_patterns) if "case_id" in p.all_converters
    ]


def _url_kwargs(world: World, pattern: URLPattern) -> dict[str, Any]:
    """Ids for every parameter a case URL takes, all belonging to the world's case."""
    case = world.case
    records = {
        "case_id": case.public_id,
        "membership_id": lambda: case.team.get(user=world.mdt).public_id,
        "member_id": lambda: (
            services.family_member_save(
                beneficiary=case,
                actor=world.case_manager,
                data={"name": "Relative", "relationship": "mother"},
            ).public_id
        ),
        "child_id": lambda: (
            services.child_save(
                beneficiary=case,
                actor=world.case_manager,
                data={"first_name": "Kid", "situation": "left_behind"},
            ).public_id
        ),
        "consent_id": lambda: (
            services.consent_record(
                beneficiary=case,
                actor=world.case_manager,
                data={
                    "scope": ConsentScope.ASSISTANCE,
                    "given_by": ConsentGiver.BENEFICIARY,
                    "given_on": case.admitted_on,
                    "method": ConsentMethod.WRITTEN,
                },
            ).public_id
        ),
    }
    records["assessment_id"] = lambda: case.assessments.get().public_id
    # A section of the MDT persona's own discipline (psychologist): theirs to open.
    records["section_id"] = lambda: (
        case.assessments.get().sections.get(domain="psychological").public_id
    )
    records.update(_plan_records(world))
    records["contact_id"] = lambda: _contact(world).public_id
    records["alarm_id"] = lambda: _crisis_alarm(world).public_id
    records["flag_id"] = lambda: (
        services.risk_flag_raise(
            beneficiary=world.case,
            actor=world.case_manager,
            indicators=["debts"],
            reason="A lender calls her every day.",
            raised_on=world.case.admitted_on,
        ).public_id
    )
    records.update(_safety_records(world))
    records["document_id"] = lambda: (
        services.document_record(
            beneficiary=case,
            actor=world.case_manager,
            data={"kind": "passport", "status": "applied", "responsible": "Our lawyer"},
        ).public_id
    )
    # A held case review (its form then saves as it stands), with the next one pending.
    records["review_id"] = lambda: _held_case_review(world).public_id
    records.update(_child_safeguard_records(world))
    records.update(_legal_records(world))
    records["milestone_id"] = lambda: _marked_milestone(world)
    records.update(_referral_records(world))
    unknown = set(pattern.all_converters) - set(records)
    assert not unknown, f"Teach the access matrix how to make a {unknown} for {pattern.pattern}"
    return {
        name: value() if callable(value) else value
        for name, value in records.items()
        if name in pattern.all_converters
    }


@dataclass
class _EveryParameter:
    """Stands in for a URL pattern that takes every parameter any case URL takes."""

    all_converters: set[str]


def every_record_id(world: World) -> dict[str, Any]:
    """One record of each kind a case URL can point at, made once, by parameter name."""
    converters = {c for _name, p in case_scoped_urls() for c in p.all_converters}  # type: ignore[attr-defined]
    return _url_kwargs(world, _EveryParameter(converters))  # type: ignore[arg-type]


def _held_case_review(world: World) -> Any:
    review = services.case_review_plan(
        beneficiary=world.case,
        actor=world.case_manager,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    return services.case_review_record(
        review=review,
        actor=world.mdt,
        held_on=timezone.localdate(),
        participants="Case manager, psychologist",
        decisions="Weekly sessions with the psychologist.",
        next_review_on=timezone.localdate() + timedelta(days=90),
        opened_at=version_of(review),
    )


def _plan_records(world: World) -> dict[str, Any]:
    """A plan version with a goal and a task, made only when a URL asks for one."""
    made: dict[str, Any] = {}

    def plan() -> Any:
        if "task" not in made:
            from tests.factories import make_plan_task

            task = make_plan_task(world.case, world.case_manager, assigned_to=world.mdt)
            made.update(version=task.goal.version, goal=task.goal, task=task)
        return made

    return {
        "version_id": lambda: plan()["version"].public_id,
        "goal_id": lambda: plan()["goal"].public_id,
        "task_id": lambda: plan()["task"].public_id,
    }


def _referral_records(world: World) -> dict[str, Any]:
    """A sendable referral (consent on file) with an override asked for, an unmet need, and
    a transfer request, made only when a URL asks for one."""
    from referrals import services as referral_services
    from referrals.models import CaseTransfer, ReferralOverride
    from tests.factories import make_referral, sharing_consent

    made: dict[str, Any] = {}

    def referral() -> Any:
        if "referral" not in made:
            made["referral"] = make_referral(world.case, world.case_manager)
            sharing_consent(world.case, world.case_manager, made["referral"].provider, ["identity"])
        return made["referral"]

    def override() -> Any:
        # Made directly: a sendable referral needs no override, but its decision page still shows.
        return ReferralOverride.objects.create(
            referral=referral(), kind="agreement", requested_by=world.case_manager, reason="Danger"
        ).public_id

    def need() -> Any:
        return referral_services.unmet_need_record(
            beneficiary=world.case,
            actor=world.case_manager,
            data={"domain": "housing", "barrier": "full", "recorded_on": world.case.admitted_on},
        ).public_id

    def transfer() -> Any:
        return CaseTransfer.objects.create(
            beneficiary=world.case,
            from_organisation=world.org,
            to_organisation=world.other_org,
            reason="Moving",
            requested_by=world.case_manager,
        ).public_id

    return {
        "referral_id": lambda: referral().public_id,
        "override_id": override,
        "need_id": need,
        "transfer_id": transfer,
    }


def _contact(world: World) -> Any:
    from monitoring import services as monitoring_services

    # Written by the MDT persona: the author may open it to correct it.
    return monitoring_services.contact_log(
        beneficiary=world.case,
        actor=world.mdt,
        data={"occurred_at": timezone.now(), "kind": "office_visit", "summary": "Talked."},
    )


def _crisis_alarm(world: World) -> Any:
    """A critical setback raises an alarm; the acknowledging page opens it."""
    services.setback_record(
        beneficiary=world.case,
        actor=world.case_manager,
        data={
            "category": "threats",
            "occurred_on": world.case.admitted_on,
            "severity": "critical",
            "description": "A call from an unknown number.",
        },
    )
    return world.case.crisis_alarms.get()


def _safety_records(world: World) -> dict[str, Any]:
    """A threat, the safety plan and an entry of who knows, recorded by the case manager."""
    case, actor = world.case, world.case_manager
    return {
        "threat_id": lambda: (
            services.threat_record(
                beneficiary=case,
                actor=actor,
                data={
                    "source": "former_exploiters",
                    "kind": "stalking",
                    "level": "medium",
                    "identified_on": case.admitted_on,
                    "details": "A car waits outside the shelter.",
                },
            ).public_id
        ),
        "safety_plan_id": lambda: (
            services.safety_plan_record(
                beneficiary=case,
                actor=actor,
                data={
                    "what_to_do": "Call the on-call worker.",
                    "agreed_on": case.admitted_on,
                    "review_on": case.admitted_on + timedelta(days=90),
                },
            ).public_id
        ),
        "disclosure_id": lambda: (
            services.disclosure_add(
                beneficiary=case,
                actor=actor,
                data={"who": "employer", "name_or_role": "The bakery owner", "knows": "nothing"},
            ).public_id
        ),
    }


def _child_safeguard_records(world: World) -> dict[str, Any]:
    """A guardian and a best-interests determination, recorded by the case manager."""
    case, actor = world.case, world.case_manager
    return {
        "guardian_id": lambda: (
            services.guardian_add(
                beneficiary=case,
                actor=actor,
                data={"kind": "parent", "name": "Mira Testova", "authority_from": case.admitted_on},
            ).public_id
        ),
        "determination_id": lambda: (
            services.best_interests_record(
                beneficiary=case,
                actor=actor,
                data={
                    "decided_on": case.admitted_on,
                    "question": "Return to the family",
                    "decision": "Stays in the shelter for now.",
                    "participants": "The child, the case manager, the psychologist.",
                    "child_view": "Wants to finish the school year here.",
                },
            ).public_id
        ),
    }


def _legal_records(world: World) -> dict[str, Any]:
    """Proceedings with a hearing, recorded by the case manager, made once when asked for."""
    made: dict[str, Any] = {}

    def proceeding() -> Any:
        if "proceeding" not in made:
            made["proceeding"] = services.proceeding_record(
                beneficiary=world.case,
                actor=world.case_manager,
                kind="criminal",
                authority="District Court of Testville",
                stage="trial",
                role="witness",
                started_on=world.case.admitted_on,
            )
        return made["proceeding"]

    def hearing() -> Any:
        return services.hearing_add(
            proceeding=proceeding(),
            actor=world.case_manager,
            held_on=timezone.localdate() + timedelta(days=3),
        ).public_id

    return {"proceeding_id": lambda: proceeding().public_id, "hearing_id": hearing}


def _marked_milestone(world: World) -> int:
    """A milestone the world's case has reached (reference data: an integer id)."""
    from monitoring import services as monitoring_services
    from monitoring.models import Milestone

    milestone = Milestone.objects.filter(stage="crisis").first()
    monitoring_services.milestone_mark(
        beneficiary=world.case,
        actor=world.case_manager,
        milestone=milestone,
        achieved_on=world.case.admitted_on,
        note="",
    )
    return milestone.pk


def _is_post_only(view: Any) -> bool:
    # require_POST keeps its wrapped view's attributes; its closure holds the allowed methods.
    closure = getattr(view, "__closure__", None) or ()
    return any(getattr(cell, "cell_contents", None) == ["POST"] for cell in closure)


def test_it_finds_the_case_urls() -> None:
    names = {name for name, _ in case_scoped_urls()}
    assert {
        "casework:detail",
        "cases:history",
        "cases:access_log",
        "cases:consent_withdraw",
    } <= names


@pytest.mark.parametrize("name", [name for name, _ in case_scoped_urls()])
def test_every_case_url_is_guarded(name: str) -> None:
    pattern = dict(case_scoped_urls())[name]
    assert isinstance(getattr(pattern.callback, "case_access", None), Access), (
        f"{name} takes a case id but its view is not wrapped in case_view"
    )


@pytest.mark.parametrize("persona", list(GRANTED))
@pytest.mark.parametrize("name", [name for name, _ in case_scoped_urls()])
def test_access_matrix(client: Any, world: World, name: str, persona: str) -> None:
    pattern = dict(case_scoped_urls())[name]
    need = pattern.callback.case_access
    url = reverse(name, kwargs=_url_kwargs(world, pattern))
    if persona == "emergency":
        user = world.colleague
        emergency.emergency_access_open(
            user=user, case_code=world.case.case_code, reason="Crisis call at night."
        )
    else:
        user = world.personas()[persona]
    client.force_login(user)
    logged_before = CaseAccess.objects.filter(user=user).count()

    post_only = _is_post_only(pattern.callback)
    response = client.post(url, {}) if post_only else client.get(url)

    if not GRANTED[persona]:
        assert response.status_code == 404, f"{persona} must not learn that the case exists"
    elif need not in GRANTED[persona] or (
        getattr(pattern.callback, "legal_only", False) and persona not in READS_LEGAL
    ):
        assert response.status_code == 403
    else:
        # Pages show; an empty submission is refused with the form shown again, or
        # accepted where every field is optional (starting a plan).
        assert response.status_code in ((200, 302) if post_only else (200,))
        assert CaseAccess.objects.filter(user=user).count() == logged_before + 1
    if response.status_code in (403, 404):
        assert world.case.full_name not in response.content.decode()


@pytest.mark.parametrize("name", [name for name, _ in case_scoped_urls()])
def test_anonymous_users_are_sent_to_login(client: Any, world: World, name: str) -> None:
    pattern = dict(case_scoped_urls())[name]
    url = reverse(name, kwargs=_url_kwargs(world, pattern))
    response = client.post(url, {}) if _is_post_only(pattern.callback) else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_ended_membership_loses_access(client: Any, world: World) -> None:
    membership = world.case.team.get(user=world.mdt)
    services.team_member_end(
        membership=membership,
        actor=world.case_manager,
        ended_on=membership.started_on,
        reason="Left",
    )
    client.force_login(world.mdt)
    assert client.get(reverse("casework:detail", args=[world.case.public_id])).status_code == 404


def test_records_of_another_case_are_not_reachable_through_this_one(
    client: Any, world: World
) -> None:
    from tests.factories import make_case

    other_case = make_case(case_manager=world.colleague, first_name="Other", last_name="Person")
    other_member = services.family_member_save(
        beneficiary=other_case,
        actor=world.colleague,
        data={"name": "Hidden", "relationship": "father"},
    )
    client.force_login(world.case_manager)
    url = reverse("cases:family_edit", args=[world.case.public_id, other_member.public_id])
    assert client.get(url).status_code == 404
