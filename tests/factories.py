"""Test data. Case data is made through the services, as in the product."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone

from accounts.models import Discipline, Organisation, Role, User
from cases import services
from cases.choices import Accommodation, IdentificationStatus, ReferralSource, RiskLevel, Sex
from cases.models import Beneficiary


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    code = factory.Sequence(lambda n: "O" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Staff{n}")
    last_name = "Tester"
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CASE_WORKER
    discipline = ""
    password = factory.django.Password("test-pass-123")


def profile(**overrides: Any) -> dict[str, Any]:
    """A valid, fictional beneficiary profile as the intake form would produce it."""
    data: dict[str, Any] = {
        "first_name": "Ana",
        "last_name": "Testova",
        "date_of_birth": date(1998, 5, 17),
        "sex": Sex.FEMALE,
        "accommodation": Accommodation.SHELTER,
        "identification_status": IdentificationStatus.FORMAL,
        "referral_source": ReferralSource.POLICE,
        "admitted_on": timezone.localdate() - timedelta(days=20),
        "security_risk": RiskLevel.MEDIUM,
    }
    data.update(overrides)
    return data


def make_case(*, case_manager: User, actor: User | None = None, **overrides: Any) -> Beneficiary:
    return services.beneficiary_register(
        actor=actor or case_manager, case_manager=case_manager, profile=profile(**overrides)
    )


def add_mdt(beneficiary: Beneficiary, user: User, actor: User) -> None:
    services.team_member_add(
        beneficiary=beneficiary,
        actor=actor,
        user=user,
        discipline=user.discipline or Discipline.OTHER,
        started_on=timezone.localdate(),
    )
