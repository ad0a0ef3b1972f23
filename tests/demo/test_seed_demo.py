from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role, User
from assessments.models import Assessment
from assessments.selectors import assessment_status, with_progress
from cases import retention, selectors
from cases.choices import CaseStatus, Stage
from cases.models import (
    Beneficiary,
    BestInterestsDetermination,
    CaseAccess,
    CaseReview,
    Child,
    Closure,
    Consent,
    EmergencyAccess,
    Guardian,
    Hearing,
    LegalProceeding,
    Setback,
    StageChange,
    expected_stage_after,
    stage_comparison,
)
from demo.seed.accounts import DEMO_PASSWORD
from directory.choices import ServiceDomain
from directory.models import Service
from monitoring.models import ContactInterval, TimelineExtension
from monitoring.selectors import hearings_soon_for, my_follow_ups
from monitoring.timeline import attach_timelines
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
    timelines = [c.timeline for c in attach_timelines(list(cases.filter(status="active")))]
    assert any(t.longer for t in timelines)
    # Complex cases with adjusted timelines: one "as typical" only thanks to its extra months.
    assert any(
        t.extra_months
        and t.comparison == "typical"
        and stage_comparison(t.stage, expected_stage_after(t.months, 0)) == "longer"
        for t in timelines
    )
    assert TimelineExtension.objects.filter(organisation=first, cause="child").exists()
    assert ContactInterval.objects.filter(organisation=first, phase="child").exists()
    # A pending case review prompted by a factor, and a held one with its next review.
    assert CaseReview.objects.filter(held_on__isnull=True).exclude(factors=[]).exists()
    held = CaseReview.objects.filter(held_on__isnull=False, next_review_on__isnull=False)
    assert held.exclude(participants="").exclude(decisions="").exists()
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

    # Legal proceedings: a hearing in three days that the person attends, in the My
    # follow-ups of the case manager and of the demo lawyer on that team; a past hearing
    # with its result; a conviction with compensation received; a residence procedure.
    for username in ("caseworker", "lawyer"):
        soon = hearings_soon_for(User.objects.get(username=username))
        assert [(h.person_attends, h.proceeding.kind) for h in soon] == [(True, "criminal")]
    assert Hearing.objects.exclude(result="").exists()
    assert LegalProceeding.objects.filter(
        outcome="conviction", compensation_received__gt=0
    ).exists()
    assert LegalProceeding.objects.filter(kind="administrative").exists()

    # Child safeguards (issue 17): a child with an appointed guardian holding authority today
    # and a best-interests determination about a return to the family, with the child's view
    # and a review date; a beneficiary's child registered as a linked case of their own.
    guarded = Guardian.objects.get(kind="appointed").beneficiary
    assert guarded.is_minor
    assert selectors.guardians_holding_authority(guarded.guardians.all(), timezone.localdate())
    family = BestInterestsDetermination.objects.get(question="Return to the family")
    assert family.beneficiary == guarded and family.child_view and family.review_on
    linked = Child.objects.exclude(own_case=None).select_related("own_case", "beneficiary").get()
    assert linked.own_case.is_minor and linked.own_case.organisation == first
    assert selectors.case_file_for(linked.own_case).child_of == linked

    before = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before
