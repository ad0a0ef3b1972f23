"""Safety first (issue 16): the threat register, the safety plan agreed with the person, and
the map of who knows about the person's past."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import selectors, services
from cases.models import Disclosure, SafetyPlan, Threat
from core.records import VERSION_FIELD, EditConflict, version_of
from tests.conftest import World
from tests.html_forms import form_values

TODAY = timezone.localdate


def _threat(world: World, **data: Any) -> Threat:
    return services.threat_record(
        beneficiary=world.case,
        actor=world.case_manager,
        data={
            "source": "former_exploiters",
            "kind": "threats_of_violence",
            "level": "high",
            "identified_on": world.case.admitted_on,
            "details": "Messages from the recruiter's brother.",
            **data,
        },
    )


def _plan(world: World, **data: Any) -> SafetyPlan:
    return services.safety_plan_record(
        beneficiary=world.case,
        actor=world.case_manager,
        data={
            "safe_places": "The shelter; her aunt's flat.",
            "code_word": "Sunflower",
            "what_to_do": "Call the on-call worker, then the police.",
            "agreed_on": world.case.admitted_on,
            "review_on": TODAY() + timedelta(days=30),
            **data,
        },
    )


def _disclosure(world: World, **data: Any) -> Disclosure:
    return services.disclosure_add(
        beneficiary=world.case,
        actor=world.mdt,
        data={
            "who": "employer",
            "name_or_role": "The bakery owner",
            "knows": "nothing",
            "wishes": "Must not learn of it: we are from the job centre.",
            **data,
        },
    )


def _errors(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


class TestThreats:
    def test_a_threat_is_recorded_open(self, world: World) -> None:
        threat = _threat(world)
        assert threat.is_open and threat.resolved_on is None
        assert threat.recorded_by == world.case_manager
        assert threat.history.count() == 1

    @pytest.mark.parametrize(
        "identified_on",
        [
            lambda case: TODAY() + timedelta(days=1),
            lambda case: case.admitted_on - timedelta(days=1),
        ],
        ids=["in the future", "before admission"],
    )
    def test_the_date_identified_is_checked(self, world: World, identified_on: Any) -> None:
        with pytest.raises(ValidationError) as error:
            _threat(world, identified_on=identified_on(world.case))
        assert _errors(error) == {"identified_on"}
        assert not Threat.objects.exists()

    def test_a_threat_always_has_an_assessed_level(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            _threat(world, level="unknown")
        assert "level" in _errors(error)

    def test_resolving_needs_a_date(self, world: World) -> None:
        threat = _threat(world)
        with pytest.raises(ValidationError) as error:
            services.threat_update(
                threat=threat,
                actor=world.case_manager,
                data={"status": "resolved", "resolved_on": None},
                opened_at=version_of(threat),
            )
        assert _errors(error) == {"resolved_on"}
        assert Threat.objects.get().is_open

    @pytest.mark.parametrize(
        "resolved_on",
        [
            lambda case: TODAY() + timedelta(days=1),
            lambda case: case.admitted_on - timedelta(days=1),
        ],
        ids=["in the future", "before it was identified"],
    )
    def test_the_resolution_date_is_checked(self, world: World, resolved_on: Any) -> None:
        threat = _threat(world)
        with pytest.raises(ValidationError) as error:
            services.threat_update(
                threat=threat,
                actor=world.case_manager,
                data={"status": "resolved", "resolved_on": resolved_on(world.case)},
                opened_at=version_of(threat),
            )
        assert _errors(error) == {"resolved_on"}

    def test_resolved_and_reopened(self, world: World) -> None:
        threat = _threat(world)
        services.threat_update(
            threat=threat,
            actor=world.supervisor,
            data={"status": "resolved", "resolved_on": TODAY()},
            opened_at=version_of(threat),
        )
        threat.refresh_from_db()
        assert (threat.status, threat.resolved_on) == ("resolved", TODAY())
        # Open again: the resolution date goes, or it would say the threat was over.
        services.threat_update(
            threat=threat,
            actor=world.case_manager,
            data={"status": "open", "resolved_on": TODAY()},
            opened_at=version_of(threat),
        )
        threat.refresh_from_db()
        assert threat.is_open and threat.resolved_on is None
        assert threat.history.count() == 3

    def test_an_edit_over_an_unseen_change_is_refused(self, world: World) -> None:
        threat = _threat(world)
        opened = version_of(threat)
        services.threat_update(
            threat=Threat.objects.get(),
            actor=world.supervisor,
            data={"level": "medium"},
            opened_at=opened,
        )
        with pytest.raises(EditConflict):
            services.threat_update(
                threat=Threat.objects.get(),
                actor=world.case_manager,
                data={"level": "low"},
                opened_at=opened,
            )
        assert Threat.objects.get().level == "medium"


class TestSafetyPlan:
    def test_agreed_with_a_review_date(self, world: World) -> None:
        plan = _plan(world)
        assert plan.recorded_by == world.case_manager and plan.updated_by is None
        assert not plan.review_is_due

    @pytest.mark.parametrize(
        ("dates", "field"),
        [
            (lambda case: {"review_on": case.admitted_on}, "review_on"),
            (lambda case: {"review_on": case.admitted_on - timedelta(days=1)}, "review_on"),
            (lambda case: {"agreed_on": TODAY() + timedelta(days=1)}, "agreed_on"),
            (lambda case: {"agreed_on": case.admitted_on - timedelta(days=1)}, "agreed_on"),
        ],
        ids=["review the day it was agreed", "review before", "agreed ahead", "before admission"],
    )
    def test_the_dates_are_checked(self, world: World, dates: Any, field: str) -> None:
        with pytest.raises(ValidationError) as error:
            _plan(world, **dates(world.case))
        assert _errors(error) == {field}
        assert not SafetyPlan.objects.exists()

    def test_a_case_has_one_plan(self, world: World) -> None:
        _plan(world)
        with pytest.raises(ValidationError, match="already has a safety plan"):
            _plan(world)
        assert SafetyPlan.objects.count() == 1

    def test_a_review_sets_the_next_date_after_it(self, world: World) -> None:
        plan = _plan(world, review_on=world.case.admitted_on + timedelta(days=7))
        assert plan.review_is_due
        with pytest.raises(ValidationError) as error:
            services.safety_plan_update(
                plan=plan,
                actor=world.supervisor,
                data={"reviewed_on": TODAY(), "review_on": TODAY()},
                opened_at=version_of(plan),
            )
        assert _errors(error) == {"review_on"}
        services.safety_plan_update(
            plan=SafetyPlan.objects.get(),
            actor=world.supervisor,
            data={"reviewed_on": TODAY(), "review_on": TODAY() + timedelta(days=60)},
            opened_at=version_of(plan),
        )
        plan.refresh_from_db()
        assert plan.updated_by == world.supervisor and not plan.review_is_due

    @pytest.mark.parametrize(
        "reviewed_on",
        [
            lambda case: TODAY() + timedelta(days=1),
            lambda case: case.admitted_on - timedelta(days=1),
        ],
        ids=["in the future", "before the plan was agreed"],
    )
    def test_the_review_date_is_checked(self, world: World, reviewed_on: Any) -> None:
        plan = _plan(world)
        with pytest.raises(ValidationError) as error:
            services.safety_plan_update(
                plan=plan,
                actor=world.case_manager,
                data={"reviewed_on": reviewed_on(world.case)},
                opened_at=version_of(plan),
            )
        assert _errors(error) == {"reviewed_on"}

    def test_an_edit_over_an_unseen_change_is_refused(self, world: World) -> None:
        plan = _plan(world)
        opened = version_of(plan)
        services.safety_plan_update(
            plan=SafetyPlan.objects.get(),
            actor=world.supervisor,
            data={"code_word": "Blue"},
            opened_at=opened,
        )
        with pytest.raises(EditConflict):
            services.safety_plan_update(
                plan=SafetyPlan.objects.get(),
                actor=world.case_manager,
                data={"code_word": "Green"},
                opened_at=opened,
            )
        assert SafetyPlan.objects.get().code_word == "Blue"


class TestWhoKnows:
    def test_added_by_anyone_on_the_team(self, world: World) -> None:
        assert _disclosure(world).recorded_by == world.mdt

    def test_other_needs_saying_who(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            _disclosure(world, who="other", name_or_role=" ")
        assert _errors(error) == {"name_or_role"}

    def test_an_edit_over_an_unseen_change_is_refused(self, world: World) -> None:
        disclosure = _disclosure(world)
        opened = version_of(disclosure)
        services.disclosure_update(
            disclosure=Disclosure.objects.get(),
            actor=world.case_manager,
            data={"knows": "part"},
            opened_at=opened,
        )
        with pytest.raises(EditConflict):
            services.disclosure_update(
                disclosure=Disclosure.objects.get(),
                actor=world.mdt,
                data={"knows": "everything"},
                opened_at=opened,
            )
        assert Disclosure.objects.get().knows == "part"


class TestRiskAgainstThreats:
    @pytest.mark.parametrize(
        ("levels", "highest"),
        [
            ([], None),
            (["low"], "low"),
            (["medium", "high", "low"], "high"),
            (["low", "medium"], "medium"),
        ],
    )
    def test_the_highest_open_level(self, world: World, levels: list[str], highest: str) -> None:
        for level in levels:
            _threat(world, level=level)
        assert selectors.highest_threat_level(list(world.case.threats.all())) == highest

    def test_resolved_threats_do_not_count(self, world: World) -> None:
        threat = _threat(world, level="high")
        _threat(world, level="low")
        services.threat_update(
            threat=threat,
            actor=world.case_manager,
            data={"status": "resolved", "resolved_on": TODAY()},
            opened_at=version_of(threat),
        )
        assert selectors.highest_threat_level(list(world.case.threats.all())) == "low"

    @pytest.mark.parametrize(
        ("risk", "level", "warned"),
        [
            ("low", "high", True),
            ("medium", "high", True),
            ("unknown", "low", True),  # not assessed yet: any open threat is above it
            ("high", "high", False),
            ("high", "low", False),
            ("medium", "medium", False),
        ],
    )
    def test_a_risk_level_below_an_open_threat_is_flagged(
        self, world: World, risk: str, level: str, warned: bool
    ) -> None:
        world.case.security_risk = risk
        _threat(world, level=level)
        assert selectors.safety_file_for(world.case).risk_below_threats is warned


def _page(client: Any, user: Any, name: str, *args: Any) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


class TestPages:
    def test_the_safety_section_for_the_case_manager(self, client: Any, world: World) -> None:
        _threat(world, level="high")  # the world's case: security risk medium
        _plan(world, review_on=world.case.admitted_on + timedelta(days=7))
        _disclosure(world)
        body = _page(client, world.case_manager, "casework:detail", world.case.public_id)
        assert 'id="safety"' in body
        assert (
            "An open threat is rated higher (High) than the security risk on the profile "
            "(Medium): review the risk level." in body
        )
        assert "Threats of violence" in body and "Former exploiters" in body
        assert "review due" in body and "Sunflower" in body
        assert "The bakery owner" in body and "we are from the job centre" in body

    def test_no_warning_when_the_risk_level_matches(self, client: Any, world: World) -> None:
        _threat(world, level="medium")
        body = _page(client, world.supervisor, "casework:detail", world.case.public_id)
        assert "Messages from the recruiter" in body
        assert "review the risk level" not in body
        assert "No safety plan recorded yet." in body

    def test_an_mdt_member_reads_who_knows_but_not_threats_or_the_plan(
        self, client: Any, world: World
    ) -> None:
        _threat(world, level="high")
        _plan(world)
        _disclosure(world)
        body = _page(client, world.mdt, "casework:detail", world.case.public_id)
        assert "The bakery owner" in body
        assert "for the case manager and supervisors only" in body
        for hidden in ("Messages from the recruiter", "Sunflower", "review the risk level"):
            assert hidden not in body
        assert reverse("cases:threat_add", args=[world.case.public_id]) not in body

    def test_a_threat_is_recorded_and_resolved_through_the_pages(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.case_manager)
        add = reverse("cases:threat_add", args=[world.case.public_id])
        response = client.post(
            add,
            {
                "source": "partner",
                "kind": "stalking",
                "level": "medium",
                "identified_on": TODAY().isoformat(),
                "details": "Her former partner waits at the bus stop.",
            },
        )
        assert response.status_code == 302 and response["Location"].endswith("#safety")
        threat = Threat.objects.get()
        edit = reverse("cases:threat_edit", args=[world.case.public_id, threat.public_id])
        data = form_values(client.get(edit).content.decode(), VERSION_FIELD)
        data.update(status=["resolved"], resolved_on=[""])
        refused = client.post(edit, data)
        assert refused.status_code == 200
        assert "Give the date the threat was resolved." in refused.content.decode()
        data["resolved_on"] = [TODAY().isoformat()]
        assert client.post(edit, data).status_code == 302
        threat.refresh_from_db()
        assert (threat.status, threat.resolved_on) == ("resolved", TODAY())

    def test_the_plan_is_added_once_then_reviewed(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        add = reverse("cases:safety_plan_add", args=[world.case.public_id])
        assert "reviewed_on" not in client.get(add).context["form"].fields
        response = client.post(
            add,
            {
                "what_to_do": "Go to the neighbour and call us.",
                "agreed_on": TODAY().isoformat(),
                "review_on": TODAY().isoformat(),
            },
        )
        assert response.status_code == 200
        assert "The next review must come after the plan was agreed" in response.content.decode()
        assert SafetyPlan.objects.count() == 0
        response = client.post(
            add,
            {
                "what_to_do": "Go to the neighbour and call us.",
                "agreed_on": TODAY().isoformat(),
                "review_on": (TODAY() + timedelta(days=30)).isoformat(),
            },
        )
        assert response.status_code == 302
        plan = SafetyPlan.objects.get()
        # One per case: asking to add another opens the one there is.
        again = client.get(add)
        assert again.status_code == 302
        assert again["Location"] == reverse(
            "cases:safety_plan_edit", args=[world.case.public_id, plan.public_id]
        )

    def test_the_mdt_member_adds_to_who_knows(self, client: Any, world: World) -> None:
        client.force_login(world.mdt)
        response = client.post(
            reverse("cases:disclosure_add", args=[world.case.public_id]),
            {"who": "school", "name_or_role": "Class teacher", "knows": "part", "wishes": ""},
        )
        assert response.status_code == 302
        assert Disclosure.objects.get().recorded_by == world.mdt

    @pytest.mark.parametrize("persona", ["case_manager", "mdt", "supervisor", "emergency"])
    def test_the_contact_form_shows_who_knows_to_whoever_logs_a_contact(
        self, client: Any, world: World, persona: str
    ) -> None:
        from cases import emergency

        _disclosure(world)
        _threat(world)
        _plan(world)
        if persona == "emergency":
            user = world.colleague
            emergency.emergency_access_open(
                user=user, case_code=world.case.case_code, reason="Crisis call at night."
            )
        else:
            user = world.personas()[persona]
        body = _page(client, user, "monitoring:contact_add", world.case.public_id)
        assert "Who knows" in body
        assert "The bakery owner" in body and "we are from the job centre" in body
        # Threats and the plan stay on the case file, for the case manager and supervisors.
        assert "Messages from the recruiter" not in body and "Sunflower" not in body

    def test_the_contact_form_without_anyone_recorded(self, client: Any, world: World) -> None:
        body = _page(client, world.case_manager, "monitoring:contact_add", world.case.public_id)
        assert "Who knows" not in body


class TestTheCaseFileRead:
    def test_a_case_read_without_the_access_rule_loads_no_threats(self, world: World) -> None:
        """Fail closed: only a case fetched for a viewer who may read them carries them."""
        _threat(world)
        assert selectors.case_file_for(world.case).safety is None

    def test_open_threats_come_most_serious_first(self, world: World) -> None:
        _threat(world, level="low", identified_on=TODAY())
        _threat(world, level="high", identified_on=world.case.admitted_on)
        _threat(world, level="medium", identified_on=TODAY())
        levels = [t.level for t in selectors.safety_file_for(world.case).open_threats]
        assert levels == ["high", "medium", "low"]
