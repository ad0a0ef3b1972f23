from __future__ import annotations

from datetime import date

import pytest

from accounts.models import Role
from cases import services
from cases.selectors import beneficiaries_visible_to
from casework.selectors import caseload_for, likely_duplicates
from core.records import version_of
from tests.conftest import World
from tests.factories import UserFactory, make_case


class TestVisibility:
    @pytest.mark.parametrize(
        ("persona", "sees"),
        [
            ("case_manager", True),
            ("mdt", True),
            ("supervisor", True),
            ("colleague", False),
            ("outsider", False),
            ("administrator", False),
        ],
    )
    def test_who_sees_the_case(self, world: World, persona: str, sees: bool) -> None:
        user = world.personas()[persona]
        assert beneficiaries_visible_to(user).filter(pk=world.case.pk).exists() is sees

    def test_a_supervisor_sees_every_case_of_the_organisation_only(self, world: World) -> None:
        mine = make_case(case_manager=world.colleague, first_name="Colleagues")
        foreign = make_case(
            case_manager=UserFactory(organisation=world.other_org), first_name="Foreign"
        )
        visible = set(beneficiaries_visible_to(world.supervisor))
        assert {world.case, mine} <= visible
        assert foreign not in visible

    def test_an_inactive_user_sees_nothing(self, world: World) -> None:
        world.case_manager.is_active = False
        assert not beneficiaries_visible_to(world.case_manager).exists()

    def test_a_superuser_without_a_team_place_sees_nothing(self, world: World) -> None:
        root = UserFactory(
            organisation=world.org, role=Role.CASE_WORKER, is_superuser=True, is_staff=True
        )
        assert not beneficiaries_visible_to(root).exists()

    def test_the_caseload_has_no_duplicate_rows(self, world: World) -> None:
        # The supervisor is also on the team: the case must still be listed once.
        services.team_member_add(
            beneficiary=world.case,
            actor=world.case_manager,
            user=world.supervisor,
            discipline="other",
            started_on=world.case.admitted_on,
        )
        assert list(caseload_for(world.supervisor)).count(world.case) == 1

    def test_the_caseload_lists_exactly_the_visible_cases(self, world: World) -> None:
        from cases.models import TeamMembership

        elsewhere = make_case(case_manager=UserFactory(organisation=world.other_org))
        hidden = make_case(case_manager=UserFactory(organisation=world.other_org))
        # Not reachable through the services (teams are one organisation's staff), but the
        # visibility rule allows it, so the faster caseload query must too.
        TeamMembership.objects.create(
            beneficiary=elsewhere,
            user=world.supervisor,
            role="mdt",
            discipline="other",
            started_on=elsewhere.admitted_on,
            added_by=world.supervisor,
        )
        for persona in world.personas().values():
            assert set(caseload_for(persona)) == set(beneficiaries_visible_to(persona))
        assert elsewhere in caseload_for(world.supervisor)
        assert hidden not in caseload_for(world.supervisor)


class TestLikelyDuplicates:
    def _find(self, world: World, first: str, last: str, born: date | None) -> list[str]:
        found = likely_duplicates(
            user=world.case_manager, first_name=first, last_name=last, date_of_birth=born
        )
        return [d.case_code for d in found]

    def test_same_name_and_birth_date(self, world: World) -> None:
        found = likely_duplicates(
            user=world.case_manager,
            first_name="Ana",
            last_name="Testova",
            date_of_birth=date(1998, 5, 17),
        )
        assert [(d.case_code, d.exact, d.visible) for d in found] == [
            (world.case.case_code, True, True)
        ]

    @pytest.mark.parametrize(
        ("first", "last", "born"),
        [
            ("Testova", "Ana", date(1998, 5, 17)),  # names swapped
            ("ANA", "testová", date(1998, 5, 17)),  # case and accents
            ("Ana", "Testowa", date(1998, 5, 17)),  # one letter different
            ("Ana", "Testova", date(1999, 2, 1)),  # close birth date
            ("Ana", "Testova", None),  # birth date not known
        ],
    )
    def test_close_matches(self, world: World, first: str, last: str, born: date | None) -> None:
        assert self._find(world, first, last, born) == [world.case.case_code]

    @pytest.mark.parametrize(
        ("first", "last", "born"),
        [("Maria", "Other", date(1998, 5, 17)), ("Ana", "Testova", date(1980, 1, 1))],
    )
    def test_different_people_are_not_matched(
        self, world: World, first: str, last: str, born: date
    ) -> None:
        assert self._find(world, first, last, born) == []

    def test_an_alias_matches(self, world: World) -> None:
        services.beneficiary_update(
            beneficiary=world.case,
            actor=world.case_manager,
            profile={"alias": "Nela Dobra"},
            opened_at=version_of(world.case),
        )
        assert self._find(world, "Nela", "Dobra", None) == [world.case.case_code]

    def test_other_organisations_are_not_searched(self, world: World) -> None:
        found = likely_duplicates(
            user=world.outsider,
            first_name="Ana",
            last_name="Testova",
            date_of_birth=date(1998, 5, 17),
        )
        assert found == []

    def test_a_file_the_user_cannot_open_is_marked_not_visible(self, world: World) -> None:
        found = likely_duplicates(
            user=world.colleague, first_name="Ana", last_name="Testova", date_of_birth=None
        )
        assert [d.visible for d in found] == [False]
