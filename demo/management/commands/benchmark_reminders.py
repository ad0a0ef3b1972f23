"""Time the reminder scan over many open cases, on the database the settings name (SQLite or
PostgreSQL: the output says which). A benchmark, not a test; nothing is kept: everything
runs in a transaction that is rolled back.

The synthetic cases are bulk-inserted (not made through the services, which would take an
hour for 50,000) with what the scan reads: a case manager, a stage, an admission date.
"""

from __future__ import annotations

import resource
import time
import uuid
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation, Role, User
from cases.choices import Stage, TeamRole
from cases.models import Beneficiary, TeamMembership
from monitoring import reminders
from notifications.models import Notification


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Scan N open cases (default 50,000) for due reminders and print how long it takes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cases", type=int, default=50_000)

    def handle(self, *args: Any, cases: int, **options: Any) -> None:
        try:
            with transaction.atomic():
                self._cases(cases)
                first, first_queries = self._timed_scan()
                created = Notification.objects.count()
                # The steady state, every few minutes: everything already notified.
                repeat, repeat_queries = self._timed_scan()
                raise _Rollback
        except _Rollback:
            pass
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"reminder scan over {cases} open cases on {connection.vendor}: "
            f"first run {first:.2f} s ({created} notifications, {first_queries} queries), "
            f"repeat run {repeat:.2f} s ({repeat_queries} queries), "
            f"peak memory {peak_mb:.0f} MB (whole process)"
        )

    def _timed_scan(self) -> tuple[float, int]:
        # The number of queries does not grow with the cases (a test asserts it); counting
        # them costs nothing measurable at that number.
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            reminders.scan()
            elapsed = time.perf_counter() - started
        return elapsed, len(queries)

    def _cases(self, count: int) -> None:
        organisation = Organisation.objects.create(name="Benchmark organisation", code="BENCH")
        manager = User.objects.create(
            username="benchmark-manager", organisation=organisation, role=Role.CASE_WORKER
        )
        today = timezone.localdate()
        stages = list(Stage)
        Beneficiary.objects.bulk_create(
            [
                Beneficiary(
                    public_id=uuid.uuid4(),
                    organisation=organisation,
                    case_code=f"BENCH-{n:06d}",
                    first_name="Bench",
                    last_name=str(n),
                    sex="female",
                    accommodation="shelter",
                    identification_status="formal",
                    referral_source="ngo",
                    security_risk="low",
                    admitted_on=today - timedelta(days=n % 900),
                    stage=stages[n % 3],
                    stage_since=today - timedelta(days=n % 900),
                    created_by=manager,
                )
                for n in range(count)
            ],
            batch_size=2000,
        )
        case_ids = Beneficiary.objects.filter(organisation=organisation).values_list(
            "pk", flat=True
        )
        TeamMembership.objects.bulk_create(
            [
                TeamMembership(
                    public_id=uuid.uuid4(),
                    beneficiary_id=pk,
                    user=manager,
                    role=TeamRole.CASE_MANAGER,
                    discipline="social_worker",
                    started_on=today,
                    added_by=manager,
                )
                for pk in case_ids
            ],
            batch_size=2000,
        )
