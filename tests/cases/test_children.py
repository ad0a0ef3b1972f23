"""Child safeguards (issue 17, part): a child's guardians, used by consents and plan
signatures; best-interests determinations; a child of a beneficiary registered as, or linked
to, a case of their own, read both ways."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import selectors, services
from cases.models import Beneficiary, BestInterestsDetermination, Child, Guardian
from core.records import VERSION_FIELD, EditConflict, version_of
from plans import services as plan_services
from supervision import erasure
from tests.conftest import World
from tests.factories import make_case, make_plan_task
from tests.html_forms import form_values

TODAY = timezone.localdate


def _years_ago(years: int) -> date:
    today = TODAY()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def _minor(world: World, **overrides: Any) -> Beneficiary:
    """A child beneficiary (twelve years old), managed by the world's case manager."""
    return make_case(
        case_manager=world.case_manager,
        first_name="Dea",
        last_name="Minorova",
        date_of_birth=_years_ago(12),
        **overrides,
    )


def _guardian(case: Beneficiary, actor: Any, **data: Any) -> Guardian:
    return services.guardian_add(
        beneficiary=case,
        actor=actor,
        data={
            "kind": "appointed",
            "name": "Lira Kujdesi",
            "relationship": "Aunt",
            "contact": "+000 555 0199, evenings only",
            "appointed_by": "District court, decision 12/2026",
            "authority_from": case.admitted_on,
            **data,
        },
    )


def _determination(case: Beneficiary, actor: Any, **data: Any) -> BestInterestsDetermination:
    return services.best_interests_record(
        beneficiary=case,
        actor=actor,
        data={
            "decided_on": case.admitted_on,
            "question": "Return to the family",
            "decision": "Stays in the shelter until the family is assessed.",
            "participants": "The child, the aunt, the case manager, the psychologist.",
            "child_view": "I want to see my brother but not live with my father.",
            **data,
        },
    )


def _child(world: World, case: Beneficiary | None = None, **data: Any) -> Child:
    return services.child_save(
        beneficiary=case or world.case,
        actor=world.case_manager,
        data={
            "first_name": "Bora",
            "date_of_birth": _years_ago(6),
            "sex": "female",
            "situation": "left_behind",
            **data,
        },
    )


def _errors(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


def _page(client: Any, user: Any, name: str, *args: Any) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


class TestGuardians:
    def test_a_guardian_is_recorded_with_its_history(self, world: World) -> None:
        guardian = _guardian(_minor(world), world.case_manager)
        assert guardian.recorded_by == world.case_manager
        assert guardian.history.count() == 1
        assert guardian.holds_authority_on(TODAY())

    def test_the_authority_has_begun(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            _guardian(_minor(world), world.case_manager, authority_from=TODAY() + timedelta(1))
        assert _errors(error) == {"authority_from"}

    def test_the_authority_ends_after_it_began(self, world: World) -> None:
        case = _minor(world)
        with pytest.raises(ValidationError) as error:
            _guardian(
                case, world.case_manager, authority_until=case.admitted_on - timedelta(days=1)
            )
        assert _errors(error) == {"authority_until"}
        # The same day is a (short) authority.
        _guardian(case, world.case_manager, authority_until=case.admitted_on)

    def test_it_has_a_name(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            _guardian(_minor(world), world.case_manager, name="   ")
        assert _errors(error) == {"name"}

    def test_a_parent_since_birth(self, world: World) -> None:
        case = _minor(world)
        parent = _guardian(case, world.case_manager, kind="parent", authority_from=_years_ago(12))
        assert parent.holds_authority_on(case.admitted_on)

    def test_an_update_over_an_unseen_change_is_refused(self, world: World) -> None:
        guardian = _guardian(_minor(world), world.case_manager)
        opened = version_of(guardian)
        services.guardian_update(
            guardian=Guardian.objects.get(pk=guardian.pk),
            actor=world.supervisor,
            data={"contact": "Office of the municipality"},
            opened_at=opened,
        )
        with pytest.raises(EditConflict):
            services.guardian_update(
                guardian=Guardian.objects.get(pk=guardian.pk),
                actor=world.case_manager,
                data={"contact": "+000 555 0100"},
                opened_at=opened,
            )

    def test_ending_the_authority(self, world: World) -> None:
        guardian = _guardian(_minor(world), world.case_manager)
        services.guardian_update(
            guardian=guardian,
            actor=world.case_manager,
            data={"authority_until": TODAY() - timedelta(days=1)},
            opened_at=version_of(guardian),
        )
        assert not guardian.holds_authority_on(TODAY())
        assert guardian.history.count() == 2


class TestGuardianPages:
    def test_a_minor_without_a_guardian_is_highlighted(self, client: Any, world: World) -> None:
        case = _minor(world)
        body = _page(client, world.case_manager, "casework:detail", case.public_id)
        section = body[body.index('id="guardian"') : body.index('id="consent"')]
        assert "border-warning" in section and "No guardian recorded for this child" in section
        assert reverse("cases:guardian_add", args=[case.public_id]) in section

    def test_a_guardian_without_authority_today_is_highlighted(
        self, client: Any, world: World
    ) -> None:
        case = _minor(world)
        _guardian(case, world.case_manager, authority_until=case.admitted_on)
        body = _page(client, world.case_manager, "casework:detail", case.public_id)
        section = body[body.index('id="guardian"') : body.index('id="consent"')]
        assert "No recorded guardian holds authority today" in section
        assert "no authority today" in section

    def test_the_whole_team_reads_the_guardian_to_contact_them(
        self, client: Any, world: World
    ) -> None:
        case = _minor(world)
        from tests.factories import add_mdt

        add_mdt(case, world.mdt, world.case_manager)
        guardian = _guardian(case, world.case_manager)
        body = _page(client, world.mdt, "casework:detail", case.public_id)
        section = body[body.index('id="guardian"') : body.index('id="consent"')]
        assert "Lira Kujdesi" in section and "+000 555 0199, evenings only" in section
        assert "authority holds today" in section and "border-warning" not in section
        # Read, not changed: the case manager and supervisors record guardians.
        assert reverse("cases:guardian_edit", args=[case.public_id, guardian.public_id]) not in (
            section
        )
        assert client.get(reverse("cases:guardian_add", args=[case.public_id])).status_code == 403

    def test_an_adult_without_guardians_has_no_section(self, client: Any, world: World) -> None:
        body = _page(client, world.case_manager, "casework:detail", world.case.public_id)
        assert 'id="guardian"' not in body

    def test_added_and_edited_through_the_pages(self, client: Any, world: World) -> None:
        case = _minor(world)
        client.force_login(world.case_manager)
        add = reverse("cases:guardian_add", args=[case.public_id])
        refused = client.post(
            add,
            {
                "kind": "parent",
                "name": "Arta Minorova",
                "authority_from": TODAY().isoformat(),
                "authority_until": (TODAY() - timedelta(days=3)).isoformat(),
            },
        )
        assert refused.status_code == 200
        assert "authority_until" in refused.context["form"].errors
        response = client.post(
            add,
            {"kind": "parent", "name": "Arta Minorova", "authority_from": _years_ago(12)},
        )
        assert response.status_code == 302 and response["Location"].endswith("#guardian")
        guardian = Guardian.objects.get(beneficiary=case)
        edit = reverse("cases:guardian_edit", args=[case.public_id, guardian.public_id])
        data = form_values(client.get(edit).content.decode(), VERSION_FIELD)
        data["relationship"] = ["Mother"]
        assert client.post(edit, data).status_code == 302
        assert Guardian.objects.get(pk=guardian.pk).relationship == "Mother"


class TestBestInterests:
    def test_a_determination_is_recorded_with_its_history(self, world: World) -> None:
        determination = _determination(_minor(world), world.case_manager)
        assert determination.history.count() == 1
        assert str(determination) == "Return to the family"

    @pytest.mark.parametrize("days", [1, -25])  # tomorrow; before admission (20 days ago)
    def test_the_decision_is_within_the_file(self, world: World, days: int) -> None:
        with pytest.raises(ValidationError) as error:
            _determination(
                _minor(world), world.case_manager, decided_on=TODAY() + timedelta(days=days)
            )
        assert _errors(error) == {"decided_on"}

    def test_the_review_comes_after_the_decision(self, world: World) -> None:
        case = _minor(world)
        with pytest.raises(ValidationError) as error:
            _determination(
                case,
                world.case_manager,
                decided_on=TODAY(),
                review_on=TODAY() - timedelta(days=1),
            )
        assert _errors(error) == {"review_on"}

    def test_blank_answers_are_refused(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            _determination(_minor(world), world.case_manager, decision=" ", child_view="")
        assert _errors(error) == {"decision", "child_view"}

    def test_an_update_over_an_unseen_change_is_refused(self, world: World) -> None:
        determination = _determination(_minor(world), world.case_manager)
        opened = version_of(determination)
        services.best_interests_update(
            determination=BestInterestsDetermination.objects.get(pk=determination.pk),
            actor=world.supervisor,
            data={"review_on": TODAY() + timedelta(days=60)},
            opened_at=opened,
        )
        with pytest.raises(EditConflict):
            services.best_interests_update(
                determination=BestInterestsDetermination.objects.get(pk=determination.pk),
                actor=world.case_manager,
                data={"review_on": TODAY() + timedelta(days=30)},
                opened_at=opened,
            )

    def test_a_passed_review_is_overdue_until_a_later_decision(self, world: World) -> None:
        case = _minor(world)
        _determination(case, world.case_manager, review_on=TODAY() - timedelta(days=1))
        _determination(
            case,
            world.case_manager,
            question="School",
            decision="Enrols in the school near the shelter.",
            review_on=TODAY() + timedelta(days=30),
        )
        overdue = {d.question: d.review_overdue for d in selectors.best_interests_for(case)}
        assert overdue == {"Return to the family": True, "School": False}
        # Looked at again: a new decision on the same question.
        _determination(case, world.case_manager, decided_on=TODAY(), review_on=None)
        flags = [d.review_overdue for d in selectors.best_interests_for(case)]
        assert flags == [False, False, False]

    def test_the_case_file_shows_them(self, client: Any, world: World) -> None:
        case = _minor(world)
        determination = _determination(
            case, world.case_manager, review_on=TODAY() - timedelta(days=2)
        )
        body = _page(client, world.supervisor, "casework:detail", case.public_id)
        section = body[body.index('id="guardian"') : body.index('id="consent"')]
        assert "Best-interests decisions" in section
        assert "Return to the family" in section
        assert "not live with my father" in section
        assert "the psychologist" in section
        assert "text-bg-danger" in section and "review due" in section
        assert (
            reverse("cases:best_interests_edit", args=[case.public_id, determination.public_id])
            in section
        )

    def test_recorded_through_the_page(self, client: Any, world: World) -> None:
        case = _minor(world)
        client.force_login(world.case_manager)
        url = reverse("cases:best_interests_add", args=[case.public_id])
        data = {
            "decided_on": TODAY().isoformat(),
            "question": "A move to a foster family",
            "decision": "Moves in March.",
            "participants": "The child, the foster family, the case manager.",
            "child_view": "Likes the family's dog.",
            "review_on": (TODAY() - timedelta(days=1)).isoformat(),
        }
        refused = client.post(url, data)
        assert "review_on" in refused.context["form"].errors
        data["review_on"] = (TODAY() + timedelta(days=90)).isoformat()
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"].endswith("#guardian")
        assert BestInterestsDetermination.objects.get(beneficiary=case).recorded_by == (
            world.case_manager
        )


def _consent(case: Beneficiary, actor: Any, **data: Any) -> Any:
    return services.consent_record(
        beneficiary=case,
        actor=actor,
        data={
            "scope": "assistance",
            "given_by": "guardian",
            "given_by_name": "Lira Kujdesi",
            "child_view": "Agrees to stay in the shelter.",
            "given_on": TODAY(),
            "method": "written",
            **data,
        },
    )


class TestConsentWithGuardians:
    def test_without_guardians_recorded_it_is_as_before(self, world: World) -> None:
        assert _consent(_minor(world), world.case_manager).given_by == "guardian"

    def test_a_guardian_holding_authority_that_day(self, world: World) -> None:
        case = _minor(world)
        _guardian(case, world.case_manager)
        assert _consent(case, world.case_manager).pk

    def test_refused_when_no_recorded_guardian_holds_authority_that_day(self, world: World) -> None:
        case = _minor(world)
        ended = case.admitted_on + timedelta(days=2)
        _guardian(case, world.case_manager, authority_until=ended)
        with pytest.raises(ValidationError) as error:
            _consent(case, world.case_manager, given_by="parent")
        assert _errors(error) == {"given_by"}
        message = error.value.message_dict["given_by"][0]
        assert "Lira Kujdesi" in message
        assert ended.strftime("%d %b %Y") in message and TODAY().strftime("%d %b %Y") in message
        # On a day their authority held, it is fine.
        assert _consent(case, world.case_manager, given_on=ended).pk

    def test_the_form_offers_the_guardian_holding_authority(
        self, client: Any, world: World
    ) -> None:
        case = _minor(world)
        _guardian(case, world.case_manager, authority_until=case.admitted_on)  # ended
        _guardian(case, world.case_manager, kind="parent", name="Arta Minorova")
        client.force_login(world.case_manager)
        form = client.get(reverse("cases:consent_add", args=[case.public_id])).context["form"]
        assert form.initial["given_by"] == "parent"
        assert form.initial["given_by_name"] == "Arta Minorova"
        assert "Arta Minorova" in form.fields["given_by_name"].help_text
        assert "Lira Kujdesi" not in form.fields["given_by_name"].help_text

    def test_an_appointed_guardian_gives_consent_as_guardian(
        self, client: Any, world: World
    ) -> None:
        case = _minor(world)
        _guardian(case, world.case_manager)
        client.force_login(world.case_manager)
        form = client.get(reverse("cases:consent_add", args=[case.public_id])).context["form"]
        assert (form.initial["given_by"], form.initial["given_by_name"]) == (
            "guardian",
            "Lira Kujdesi",
        )

    def test_no_prefill_for_an_adult(self, client: Any, world: World) -> None:
        _guardian(world.case, world.case_manager)
        client.force_login(world.case_manager)
        form = client.get(reverse("cases:consent_add", args=[world.case.public_id])).context["form"]
        assert "given_by_name" not in form.initial


def _signature(version: Any, actor: Any, **data: Any) -> Any:
    return plan_services.signature_record(
        version=version,
        actor=actor,
        data={
            "role": "guardian",
            "signer_name": "Lira Kujdesi",
            "relationship": "Aunt",
            "signed_on": TODAY(),
            "method": "on_screen",
            "attested": True,
            "read_in": "English",
            **data,
        },
    )


class TestPlanSignatures:
    def test_the_guardian_signs_while_their_authority_holds(self, world: World) -> None:
        case = _minor(world)
        _guardian(case, world.case_manager, authority_until=TODAY() - timedelta(days=1))
        version = make_plan_task(case, world.case_manager, assigned_to=world.case_manager)
        version = version.goal.version
        with pytest.raises(ValidationError) as error:
            _signature(version, world.case_manager)
        assert _errors(error) == {"signer_name"}
        assert "Lira Kujdesi" in error.value.message_dict["signer_name"][0]
        assert _signature(version, world.case_manager, signed_on=TODAY() - timedelta(days=1))

    def test_without_guardians_recorded_it_is_as_before(self, world: World) -> None:
        case = _minor(world)
        version = make_plan_task(case, world.case_manager, assigned_to=world.case_manager)
        assert _signature(version.goal.version, world.case_manager).pk

    def test_the_form_is_prefilled_from_the_guardian(self, client: Any, world: World) -> None:
        case = _minor(world)
        _guardian(case, world.case_manager)
        version = make_plan_task(case, world.case_manager, assigned_to=world.case_manager)
        version = version.goal.version
        client.force_login(world.case_manager)
        url = reverse("plans:sign", args=[case.public_id, version.public_id])
        plan_page = client.get(reverse("plans:version", args=[case.public_id, version.public_id]))
        assert f"{url}?role=guardian" in plan_page.content.decode()
        form = client.get(url, {"role": "guardian"}).context["form"]
        assert form.initial["role"] == "guardian"
        assert (form.initial["signer_name"], form.initial["relationship"]) == (
            "Lira Kujdesi",
            "Aunt",
        )
        # Asked for without a role: nothing of the guardian's, three signatures missing.
        assert "signer_name" not in client.get(url).context["form"].initial


def _intake_post(world: World, child: Child, **overrides: Any) -> dict[str, Any]:
    return {
        "as_child_of": str(child.public_id),
        "case_manager": world.case_manager.pk,
        "admitted_on": TODAY().isoformat(),
        "first_name": child.first_name,
        "last_name": "Testova",
        "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else "",
        "sex": child.sex,
        "literacy": "literate",
        "safe_to_call": "yes",
        "home_visits_allowed": "no",
        "accommodation": "shelter",
        "identification_status": "presumed",
        "referral_source": "ngo",
        "trafficking_scope": "cross_border",
        "security_risk": "low",
        "witness_status": "not_involved",
        **overrides,
    }


class TestRegisteredAsACaseOfTheirOwn:
    def test_the_intake_page_is_prefilled_from_the_child(self, client: Any, world: World) -> None:
        child = _child(world)
        client.force_login(world.case_manager)
        response = client.get(reverse("casework:intake"), {"child": str(child.public_id)})
        form = response.context["form"]
        assert form.initial["first_name"] == "Bora"
        assert form.initial["date_of_birth"] == child.date_of_birth
        assert form.initial["sex"] == "female"
        body = response.content.decode()
        assert f'value="{child.public_id}"' in body  # carried in the POST
        assert world.case.case_code in body

    def test_registered_and_linked_both_ways(self, client: Any, world: World) -> None:
        child = _child(world)
        client.force_login(world.case_manager)
        response = client.post(reverse("casework:intake"), _intake_post(world, child))
        assert response.status_code == 302
        child.refresh_from_db()
        own = child.own_case
        assert own is not None and own.first_name == "Bora"
        assert own.organisation == world.case.organisation
        assert response["Location"] == reverse("casework:detail", args=[own.public_id])
        parent_page = _page(client, world.case_manager, "casework:detail", world.case.public_id)
        children = parent_page[
            parent_page.index('id="children"') : parent_page.index('id="outcomes"')
        ]
        assert reverse("casework:detail", args=[own.public_id]) in children
        assert own.case_code in children
        assert "Register as a case of their own" not in children
        child_page = _page(client, world.case_manager, "casework:detail", own.public_id)
        assert "Child of" in child_page
        assert reverse("casework:detail", args=[world.case.public_id]) in child_page
        assert world.case.case_code in child_page
        # A child record, not the parent's name, on the child's file.
        assert world.case.full_name not in child_page

    def test_refused_the_second_time(self, client: Any, world: World) -> None:
        child = _child(world)
        client.force_login(world.case_manager)
        client.post(reverse("casework:intake"), _intake_post(world, child))
        before = Beneficiary.objects.count()
        again = client.post(reverse("casework:intake"), _intake_post(world, child))
        assert again.status_code == 200 and "as_child_of" in again.context["form"].errors
        assert Beneficiary.objects.count() == before
        asked = client.get(reverse("casework:intake"), {"child": str(child.public_id)})
        assert asked.status_code == 404

    def test_refused_by_the_service_when_linked_meanwhile(self, world: World) -> None:
        child = _child(world)
        services.child_link_case(
            child=child, case=make_case(case_manager=world.case_manager), actor=world.case_manager
        )
        with pytest.raises(ValidationError, match="already has a case of their own"):
            services.beneficiary_register(
                actor=world.case_manager,
                case_manager=world.case_manager,
                profile={"first_name": "Bora", "last_name": "X", "admitted_on": TODAY()},
                as_child_of=Child.objects.get(pk=child.pk),
            )

    def test_an_outsider_cannot_register_a_child_they_do_not_see(
        self, client: Any, world: World
    ) -> None:
        from tests.factories import UserFactory

        child = _child(world)
        outsider = UserFactory(organisation=world.other_org, role="case_worker")
        for user in (outsider, world.colleague):  # the colleague is not on the parent's team
            client.force_login(user)
            asked = client.get(reverse("casework:intake"), {"child": str(child.public_id)})
            assert asked.status_code == 404
            before = Beneficiary.objects.count()
            response = client.post(
                reverse("casework:intake"),
                _intake_post(world, child, case_manager=user.pk),
            )
            assert response.status_code == 200
            assert "as_child_of" in response.context["form"].errors
            assert Beneficiary.objects.count() == before
            assert "Bora" not in str(response.context["form"].errors)
        with pytest.raises(ValidationError):
            services.beneficiary_register(
                actor=world.colleague,
                case_manager=world.colleague,
                profile={
                    "first_name": "Bora",
                    "last_name": "X",
                    "admitted_on": TODAY(),
                    "accommodation": "shelter",
                },
                as_child_of=child,
            )
        assert Child.objects.get(pk=child.pk).own_case is None

    def test_an_mdt_member_does_not_register_cases(self, client: Any, world: World) -> None:
        _child(world)
        body = _page(client, world.mdt, "casework:detail", world.case.public_id)
        children = body[body.index('id="children"') : body.index('id="outcomes"')]
        assert "Register as a case of their own" not in children
        assert "Link to an existing case" not in children  # the case manager's

    def test_the_case_manager_is_offered_both(self, client: Any, world: World) -> None:
        child = _child(world)
        body = _page(client, world.case_manager, "casework:detail", world.case.public_id)
        children = body[body.index('id="children"') : body.index('id="outcomes"')]
        assert f"{reverse('casework:intake')}?child={child.public_id}" in children
        assert reverse("cases:child_link", args=[world.case.public_id, child.public_id]) in (
            children
        )

    def test_nonsense_in_the_hidden_field(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        child = _child(world)
        for nonsense in ("' OR 1=1 --", "x" * 5000, "a\x00b", str(world.case.public_id)):
            response = client.post(
                reverse("casework:intake"), _intake_post(world, child, as_child_of=nonsense)
            )
            assert response.status_code == 200
            assert "as_child_of" in response.context["form"].errors
        assert client.get(reverse("casework:intake"), {"child": "' OR 1=1"}).status_code == 404


class TestLinkToAnExistingCase:
    def test_linked_by_case_code(self, client: Any, world: World) -> None:
        child = _child(world)
        own = make_case(case_manager=world.case_manager, first_name="Bora")
        client.force_login(world.case_manager)
        url = reverse("cases:child_link", args=[world.case.public_id, child.public_id])
        response = client.post(url, {"case_code": own.case_code.lower()})
        assert response.status_code == 302 and response["Location"].endswith("#children")
        assert Child.objects.get(pk=child.pk).own_case == own
        assert selectors.case_file_for(own).child_of == child

    def test_the_parent_itself_is_refused(self, world: World) -> None:
        with pytest.raises(ValidationError) as error:
            services.child_link_case(child=_child(world), case=world.case, actor=world.case_manager)
        assert _errors(error) == {"case_code"}

    def test_a_case_already_linked_is_refused(self, world: World) -> None:
        own = make_case(case_manager=world.case_manager, first_name="Bora")
        services.child_link_case(child=_child(world), case=own, actor=world.case_manager)
        with pytest.raises(ValidationError) as error:
            services.child_link_case(
                child=_child(world, first_name="Other"), case=own, actor=world.case_manager
            )
        assert _errors(error) == {"case_code"}

    def test_a_child_already_linked_is_refused(self, world: World) -> None:
        child = _child(world)
        services.child_link_case(
            child=child,
            case=make_case(case_manager=world.case_manager, first_name="Bora"),
            actor=world.case_manager,
        )
        with pytest.raises(ValidationError):
            services.child_link_case(
                child=Child.objects.get(pk=child.pk),
                case=make_case(case_manager=world.case_manager, first_name="Bora2"),
                actor=world.case_manager,
            )

    def test_a_case_the_actor_does_not_see_is_refused(self, client: Any, world: World) -> None:
        hidden = make_case(case_manager=world.colleague, first_name="Hidden")
        child = _child(world)
        with pytest.raises(ValidationError) as error:
            services.child_link_case(child=child, case=hidden, actor=world.case_manager)
        assert _errors(error) == {"case_code"}
        client.force_login(world.case_manager)
        url = reverse("cases:child_link", args=[world.case.public_id, child.public_id])
        response = client.post(url, {"case_code": hidden.case_code})
        # The same answer as for a code nobody has: nothing said of the hidden file.
        assert response.context["form"].errors["case_code"] == [
            "No case you can see has this code."
        ]
        unknown = client.post(url, {"case_code": "TA-1999-9999"})
        assert (
            unknown.context["form"].errors["case_code"]
            == response.context["form"].errors["case_code"]
        )

    def test_a_case_of_another_organisation_is_refused(self, world: World) -> None:
        from tests.factories import UserFactory

        elsewhere = UserFactory(organisation=world.other_org, role="supervisor")
        other = make_case(case_manager=elsewhere, first_name="Far")
        with pytest.raises(ValidationError) as error:
            services.child_link_case(child=_child(world), case=other, actor=world.supervisor)
        assert _errors(error) == {"case_code"}

    def test_only_the_case_manager_and_supervisors(self, client: Any, world: World) -> None:
        child = _child(world)
        client.force_login(world.mdt)
        url = reverse("cases:child_link", args=[world.case.public_id, child.public_id])
        assert client.get(url).status_code == 403


def test_guardians_and_determinations_are_in_the_history(world: World) -> None:
    case = _minor(world)
    _guardian(case, world.case_manager)
    _determination(case, world.case_manager)
    records = {entry.record for entry in selectors.case_history_for(case)}
    assert {"Guardian", "Best-interests determination"} <= records


def test_the_link_is_in_the_parents_history(world: World) -> None:
    child = _child(world)
    own = make_case(case_manager=world.case_manager, first_name="Bora")
    services.child_link_case(child=child, case=own, actor=world.case_manager)
    changes = [
        change
        for entry in selectors.case_history_for(world.case)
        if entry.record == "Child"
        for change in entry.changes
    ]
    assert any(name == "case of their own" for name, _before, _after in changes)


def test_erasure_empties_the_free_text(world: World) -> None:
    fields = {(model, tuple(f)) for model, _path, f in erasure.ERASED}
    assert (Guardian, ("name", "relationship", "contact", "appointed_by", "notes")) in fields
    assert (
        BestInterestsDetermination,
        ("question", "decision", "participants", "child_view"),
    ) in fields


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_case_file_is_constant_with_guardians_decisions_and_linked_children(
    client: Any, world: World
) -> None:
    case = _minor(world)
    client.force_login(world.case_manager)
    url = reverse("casework:detail", args=[case.public_id])

    def fill(rows: int) -> None:
        for n in range(rows):
            _guardian(case, world.case_manager, name=f"Guardian {n}")
            _determination(case, world.case_manager, question=f"Question {n}")
            child = _child(world, case, first_name=f"Child {n}")
            own = make_case(case_manager=world.case_manager, first_name=f"Own {n}")
            services.child_link_case(child=child, case=own, actor=world.case_manager)

    fill(1)
    few = _queries(client, url)
    fill(6)
    assert _queries(client, url) == few
