"""Personas shared by the whole suite (see ARCHITECTURE.md, house style 9)."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache

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


def ensure_reference_data() -> None:
    """Reference data comes from data migrations; a transactional test's flush empties it.

    Load it again from the same migrations when it is missing, whatever order tests run in.
    """
    from assessments.models import SectionOwnership
    from monitoring.models import Milestone

    if not SectionOwnership.objects.exists():
        owners = importlib.import_module(
            "assessments.migrations.0002_default_section_owners"
        ).DEFAULTS
        for domain, (owner, sensitive) in owners.items():
            SectionOwnership.objects.create(domain=domain, owner=owner, sensitive=sensitive)
    if not Milestone.objects.exists():
        checklists = importlib.import_module(
            "monitoring.migrations.0003_milestone_checklist"
        ).MILESTONES
        for stage, texts in checklists.items():
            for position, text in enumerate(texts):
                Milestone.objects.create(stage=stage, text=text, position=position)


@pytest.fixture
def world(db: None) -> World:
    ensure_reference_data()
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


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """Pages cache some figures (the caseload review); every test starts without them."""
    cache.clear()
    yield
    cache.clear()
