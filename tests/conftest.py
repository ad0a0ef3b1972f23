"""Personas shared by the whole suite (see ARCHITECTURE.md, house style 9)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from accounts.models import Discipline, Organisation, Role, User
from cases.models import Beneficiary

from .factories import OrganisationFactory, UserFactory, add_mdt, make_case


@dataclass
class World:
    """Two organisations, one case, and a person in every relation to it."""

    org: Organisation
    other_org: Organisation
    case_manager: User  # the assigned case manager
    mdt: User  # an MDT member (psychologist) on the team
    colleague: User  # a case worker of the same organisation, not on the team
    supervisor: User  # supervisor of the organisation
    outsider: User  # a case worker of the other organisation
    administrator: User  # administrator of the organisation
    case: Beneficiary

    def personas(self) -> dict[str, User]:
        return {
            "case_manager": self.case_manager,
            "mdt": self.mdt,
            "colleague": self.colleague,
            "supervisor": self.supervisor,
            "outsider": self.outsider,
            "administrator": self.administrator,
        }


@pytest.fixture
def world(db: None) -> World:
    org = OrganisationFactory(name="Test Association", code="TA")
    other = OrganisationFactory(name="Other Service", code="OS")
    case_manager = UserFactory(
        username="cm", organisation=org, role=Role.CASE_WORKER, discipline=Discipline.SOCIAL_WORKER
    )
    mdt = UserFactory(
        username="psy", organisation=org, role=Role.MDT_MEMBER, discipline=Discipline.PSYCHOLOGIST
    )
    colleague = UserFactory(username="colleague", organisation=org, role=Role.CASE_WORKER)
    supervisor = UserFactory(username="sup", organisation=org, role=Role.SUPERVISOR)
    outsider = UserFactory(username="outsider", organisation=other, role=Role.SUPERVISOR)
    administrator = UserFactory(
        username="adm", organisation=org, role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True
    )
    case = make_case(case_manager=case_manager)
    add_mdt(case, mdt, actor=case_manager)
    return World(
        org, other, case_manager, mdt, colleague, supervisor, outsider, administrator, case
    )


@pytest.fixture
def redis_url() -> str:
    """The Redis to test against. Missing Redis skips, except where REQUIRE_SERVICES=1 (CI)."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but REDIS_URL is not set")
        pytest.skip("REDIS_URL is not set: Redis-backed tests need a running Redis")
    return url
