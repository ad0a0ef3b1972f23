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


# --- Service directory and referrals -----------------------------------------------------


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "directory.Provider"

    name = factory.Sequence(lambda n: f"Provider {n}")
    kind = "ngo"
    phone = "+000 555 0100"
    address = "1 Example Street"
    confidentiality_agreement_on = factory.LazyFunction(
        lambda: timezone.localdate() - timedelta(days=100)
    )


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "directory.Service"

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    domains = factory.LazyFunction(lambda: ["housing"])
    description = "Safe housing for adults, with support to move on."
    country = "Testland"
    region = "North"
    municipality = "Riverton"


def sharing_consent(
    beneficiary: Beneficiary, actor: User, provider: Any, information: list[str]
) -> Any:
    """The person's consent to share some information with a directory organisation."""
    return services.consent_record(
        beneficiary=beneficiary,
        actor=actor,
        data={
            "scope": "sharing",
            "provider": provider,
            "information": information,
            "given_by": "beneficiary",
            "given_on": timezone.localdate(),
            "method": "written",
        },
    )


def make_referral(
    beneficiary: Beneficiary,
    actor: User,
    *,
    service: Any = None,
    information: list[str] | None = None,
    on: date | None = None,
    **data: Any,
) -> Any:
    from referrals import services as referral_services

    service = service or ServiceFactory()
    return referral_services.referral_create(
        beneficiary=beneficiary,
        actor=actor,
        service=service,
        on=on,
        data={
            "domain": service.domains[0],
            "reason": "Needs a stable place to live.",
            "information": information if information is not None else ["identity"],
            "urgency": "routine",
            **data,
        },
    )


def close_case(beneficiary: Beneficiary, actor: User) -> None:
    services.case_close(
        beneficiary=beneficiary,
        actor=actor,
        closed_on=timezone.localdate(),
        reason="goals_achieved",
        mutually_agreed=True,
    )


def make_plan_task(beneficiary: Beneficiary, actor: User, **task: Any) -> Any:
    """A draft plan with one housing goal and one task (to `task`'s owner), due today."""
    from plans import services as plan_services

    version = plan_services.plan_start(beneficiary=beneficiary, actor=actor)
    goal = plan_services.goal_save(
        version=version,
        actor=actor,
        data={
            "domain": "housing",
            "description": "A home of her own",
            "target_date": timezone.localdate() + timedelta(days=90),
            "indicator": "Keys in hand",
        },
    )
    return plan_services.task_save(
        goal=goal,
        actor=actor,
        data={"description": "Visit", "due_on": timezone.localdate(), **task},
    )


def score_versions(assessment: Any) -> dict[str, str]:
    """The version of each outcome score of an assessment, as the scores form carries them."""
    from core.records import version_of

    return {score.domain: version_of(score) for score in assessment.scores.all()}


def opened(row: Any) -> dict[str, str]:
    """The hidden field an edit form carries: the version of `row` it was opened at (now)."""
    from core.records import VERSION_FIELD, version_of

    return {VERSION_FIELD: version_of(row)}
