"""The generated organisation that `manage.py benchmark_pages` times its pages over.

Bulk-inserted (the services would take hours): a case manager each, initial assessments with
their sections, contacts, signed plans with goals and tasks, setbacks and referrals. Callers
build it inside a transaction that they roll back, so nothing is kept.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from datetime import time as clock

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import Organisation, Role, User
from assessments.models import Assessment, AssessmentSection, SectionOwnership
from cases.choices import CaseStatus, Stage, TeamRole
from cases.models import Beneficiary, Setback, TeamMembership
from directory.choices import ServiceDomain
from directory.models import Provider, Service
from monitoring.models import Contact
from plans.models import Goal, PlanVersion, Task
from referrals.models import Referral

BATCH = 2000
# The case worker whose follow-ups are timed: cases are dealt round the case workers, so
# theirs are every tenth case up to 10,000 cases, and 1,000 cases beyond.
FIRST_WORKER = "benchmark-worker-0"
# Case workers: ten, and more as the organisation grows, one per this many cases (a caseload
# far above any real one: the heaviest the pages should expect).
CASES_PER_WORKER = 1000


class World:
    """One organisation of `count` cases, its case workers and a supervisor."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.today = timezone.localdate()

    def build(self) -> tuple[User, Beneficiary]:
        organisation = Organisation.objects.create(name="Benchmark organisation", code="BENCH")
        supervisor = User.objects.create(
            username="benchmark-supervisor", organisation=organisation, role=Role.SUPERVISOR
        )
        workers = [
            User.objects.create(
                username=f"benchmark-worker-{n}", organisation=organisation, role=Role.CASE_WORKER
            )
            for n in range(max(10, math.ceil(self.count / CASES_PER_WORKER)))
        ]
        self._cases(organisation, supervisor)
        cases = list(
            Beneficiary.objects.filter(organisation=organisation)
            .order_by("pk")
            .values_list("pk", "admitted_on")
        )
        self._teams(cases, workers)
        self._assessments(cases, workers[0])
        self._contacts(organisation, cases, workers)
        self._plans(cases, workers[0])
        self._setbacks_and_referrals(cases, workers[0])
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would gather them for a real organisation.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return supervisor, Beneficiary.objects.filter(organisation=organisation).order_by("pk")[7]

    def _cases(self, organisation: Organisation, creator: User) -> None:
        stages = list(Stage)
        factors = [[], [], ["disability"], ["no_documents", "no_family_support"]]
        rows = []
        for n in range(self.count):
            admitted = self.today - timedelta(days=n % 1100)
            rows.append(
                Beneficiary(
                    organisation=organisation,
                    case_code=f"BENCH-{n:06d}",
                    first_name="Bench",
                    last_name=f"Person {n}",
                    date_of_birth=admitted - timedelta(days=(14 + n % 40) * 365),
                    sex="female" if n % 5 else "male",
                    accommodation="shelter",
                    identification_status="formal",
                    referral_source="ngo",
                    security_risk="high" if n % 10 == 0 else "medium",
                    complex_factors=factors[n % 4],
                    exploitation_forms=["sexual"] if n % 2 else ["labour_domestic"],
                    admitted_on=admitted,
                    stage=stages[min(n % 1100 // 183, 2)] if n % 7 else stages[0],
                    stage_since=admitted,
                    status=CaseStatus.CLOSED if n % 10 == 9 else CaseStatus.ACTIVE,
                    created_by=creator,
                )
            )
        Beneficiary.objects.bulk_create(rows, batch_size=BATCH)

    def _teams(self, cases: list, workers: list[User]) -> None:
        TeamMembership.objects.bulk_create(
            [
                TeamMembership(
                    beneficiary_id=pk,
                    user=workers[i % len(workers)],
                    role=TeamRole.CASE_MANAGER,
                    discipline="social_worker",
                    started_on=admitted,
                    added_by=workers[i % len(workers)],
                )
                for i, (pk, admitted) in enumerate(cases)
            ],
            batch_size=BATCH,
        )

    def _assessments(self, cases: list, author: User) -> None:
        owners = {o.domain: (o.owner, o.sensitive) for o in SectionOwnership.objects.all()}
        Assessment.objects.bulk_create(
            [
                Assessment(
                    beneficiary_id=pk,
                    kind="initial",
                    started_on=admitted,
                    due_on=admitted + timedelta(days=14),
                    completed_on=admitted + timedelta(days=10) if i % 5 else None,
                    created_by=author,
                )
                for i, (pk, admitted) in enumerate(cases)
            ],
            batch_size=BATCH,
        )
        assessment_ids = Assessment.objects.filter(
            beneficiary_id__in=[pk for pk, _ in cases]
        ).values_list("pk", flat=True)
        AssessmentSection.objects.bulk_create(
            [
                AssessmentSection(
                    assessment_id=aid,
                    domain=domain,
                    owner=owners.get(domain, ("case_manager", False))[0],
                    sensitive=owners.get(domain, ("case_manager", False))[1],
                    needs="Some needs in this area.",
                )
                for aid in assessment_ids
                for domain in ServiceDomain.values
            ],
            batch_size=BATCH,
        )

    def _contacts(self, organisation: Organisation, cases: list, workers: list[User]) -> None:
        rows = []
        for i, (pk, admitted) in enumerate(cases):
            for k in range(8):
                day = min(admitted + timedelta(days=7 * k), self.today)
                rows.append(
                    Contact(
                        beneficiary_id=pk,
                        occurred_at=timezone.make_aware(datetime.combine(day, clock(10))),
                        kind="phone_call",
                        made=k % 4 != 3,
                        summary="Talked about the week.",
                        safety_checked=True,
                        author=workers[i % len(workers)],
                        author_discipline="social_worker",
                    )
                )
        Contact.objects.bulk_create(rows, batch_size=BATCH)
        # What the contact services keep on each case, set here for the bulk-inserted rows.
        last = (
            Contact.objects.filter(beneficiary=OuterRef("pk"), made=True)
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        )
        Beneficiary.objects.filter(organisation=organisation).update(last_contact_at=Subquery(last))

    def _plans(self, cases: list, author: User) -> None:
        PlanVersion.objects.bulk_create(
            [
                PlanVersion(
                    beneficiary_id=pk,
                    number=1,
                    signed_on=admitted + timedelta(days=25) if i % 3 else None,
                    created_by=author,
                )
                for i, (pk, admitted) in enumerate(cases)
            ],
            batch_size=BATCH,
        )
        versions = list(
            PlanVersion.objects.filter(beneficiary_id__in=[pk for pk, _ in cases]).values_list(
                "pk", "beneficiary__admitted_on"
            )
        )
        Goal.objects.bulk_create(
            [
                Goal(
                    version_id=vid,
                    domain=domain,
                    description="A goal agreed with the person.",
                    target_date=admitted + timedelta(days=180),
                    indicator="Reached",
                )
                for vid, admitted in versions
                for domain in ("housing", "economic")
            ],
            batch_size=BATCH,
        )
        goals = Goal.objects.filter(version_id__in=[v for v, _ in versions]).values_list(
            "pk", "target_date"
        )
        Task.objects.bulk_create(
            [
                Task(goal_id=gid, description="A step", assigned_to=author, due_on=target)
                for gid, target in goals
            ],
            batch_size=BATCH,
        )

    def _setbacks_and_referrals(self, cases: list, author: User) -> None:
        provider = Provider.objects.create(name="Benchmark provider", kind="ngo")
        service = Service.objects.create(
            provider=provider,
            name="Benchmark service",
            domains=["housing"],
            description="Help",
            country="X",
        )
        Setback.objects.bulk_create(
            [
                Setback(
                    beneficiary_id=pk,
                    category="job_loss",
                    occurred_on=min(admitted + timedelta(days=60), self.today),
                    severity="moderate",
                    description="Lost a job.",
                    recorded_by=author,
                )
                for i, (pk, admitted) in enumerate(cases)
                if i % 10 == 0
            ],
            batch_size=BATCH,
        )
        Referral.objects.bulk_create(
            [
                Referral(
                    beneficiary_id=pk,
                    service=service,
                    provider=provider,
                    domain="housing",
                    reason="Needs a flat.",
                    status="sent",
                    status_changed_on=admitted,
                    sent_on=admitted,
                    created_by=author,
                )
                for i, (pk, admitted) in enumerate(cases)
                if i % 3 == 0
            ],
            batch_size=BATCH,
        )
