from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import Role, User
from assessments.models import Assessment
from assessments.selectors import assessment_status, with_progress
from cases import retention
from cases.choices import CaseStatus, Stage
from cases.models import (
    Beneficiary,
    CaseAccess,
    Closure,
    Consent,
    EmergencyAccess,
    Setback,
    StageChange,
)
from demo.seed.accounts import DEMO_PASSWORD
from directory.choices import ServiceDomain
from directory.models import Service
from monitoring.selectors import my_follow_ups
from plans.models import PlanVersion, Signature
from plans.selectors import plan_summary
from referrals.choices import ReferralStatus
from referrals.models import CaseTransfer, Referral, ReferralOverride, UnmetNeed
from supervision.models import Complaint, SupervisionRecord
from tests.conftest import ensure_reference_data

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    models = (
        User,
        Beneficiary,
        Closure,
        Consent,
        Setback,
        StageChange,
        CaseAccess,
        Assessment,
        PlanVersion,
        Service,
        Referral,
    )
    return {m.__name__: m.objects.count() for m in models}


def test_it_loads_the_demo_world_once() -> None:
    ensure_reference_data()
    call_command("seed_demo", verbosity=0)

    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {
        "admin": Role.ADMINISTRATOR,
        "supervisor": Role.SUPERVISOR,
        "caseworker": Role.CASE_WORKER,
        "caseworker2": Role.CASE_WORKER,
        "psychologist": Role.MDT_MEMBER,
        "doctor": Role.MDT_MEMBER,
        "lawyer": Role.MDT_MEMBER,
        "teacher": Role.MDT_MEMBER,
        "outsider": Role.CASE_WORKER,
        "northsupervisor": Role.SUPERVISOR,
    }
    assert SupervisionRecord.objects.count() == 2
    assert all(u.check_password(DEMO_PASSWORD) for u in User.objects.all())
    first = User.objects.get(username="caseworker").organisation
    assert User.objects.get(username="outsider").organisation != first

    cases = Beneficiary.objects.filter(organisation=first)
    assert 55 <= cases.count() <= 65
    assert set(cases.values_list("stage", flat=True)) == set(Stage.values)
    assert cases.filter(status=CaseStatus.CLOSED).exists()
    assert len(retention.due_for_erasure(first.pk)) == 2  # closed before the retention period
    assert Complaint.objects.filter(status="open").count() == 2
    assert EmergencyAccess.objects.filter(reviewed_at__isnull=True).count() == 1
    assert any(c.stage_comparison == "longer" for c in cases)
    assert any(c.is_minor for c in cases)
    assert Closure.objects.exclude(reopened_on=None).exists()
    assert Consent.objects.exclude(withdrawn_on=None).exists()
    assert StageChange.objects.exclude(setback=None).exists()
    assert Beneficiary.objects.exclude(organisation=first).exists()
    # Made through the services: every file has a case manager and a recorded author.
    assert all(c.history.exists() for c in cases[:5])

    statuses = {
        (str(assessment_status(a)), a.is_overdue, a.completed_late)
        for a in with_progress(Assessment.objects.filter(beneficiary__organisation=first))
    }
    assert {
        ("complete", False, False),
        ("complete", False, True),
        ("in_progress", False, False),
        ("in_progress", True, False),
        ("not_started", True, False),
    } <= statuses
    assert Assessment.objects.filter(kind="review", completed_on__isnull=False).exists()

    plans = {(str(plan_summary(b).status), plan_summary(b).overdue) for b in cases}
    assert {
        ("signed", False),
        ("draft", False),
        ("awaiting_signatures", True),
        ("not_started", True),
    } <= plans
    assert Signature.objects.filter(role="guardian").exists()  # a child's plan
    assert PlanVersion.objects.exclude(superseded_on=None).exists()

    states = {c.follow_up.state for c in my_follow_ups(User.objects.get(username="caseworker"))}
    assert {"overdue", "week"} <= states

    # The directory and referrals in every state (issue 6's demo).
    assert 25 <= Service.objects.count() <= 40
    assert len({d for s in Service.objects.all() for d in s.domains}) == len(ServiceDomain.values)
    assert len({s.region for s in Service.objects.all()}) >= 3
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert Referral.objects.exclude(consent_withdrawn_on=None).exists()
    assert {("consent", "requested"), ("agreement", "granted")} <= set(
        ReferralOverride.objects.values_list("kind", "status")
    )
    assert UnmetNeed.objects.filter(resolved_on=None).exists()
    assert CaseTransfer.objects.filter(status="requested").exists()

    before = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before
