"""Time the printed plan: render a five-page plan repeatedly, print median time and peak memory.

A benchmark, not a test: run it on the machine you deploy to. Nothing it creates is kept.
"""

from __future__ import annotations

import resource
import statistics
import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Role, User
from cases.services import beneficiary_register
from plans import services
from plans.pdf import plan_document


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Render a five-page plan N times (default 20) and print the median time and peak memory."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument(
            "--goals",
            type=int,
            default=12,
            help="Goals of four tasks each; 12 fill five pages.",
        )

    def handle(self, *args: Any, runs: int, goals: int, **options: Any) -> None:
        try:
            with transaction.atomic():
                version = self._plan(goals)
                plan_document(version).write_pdf()  # warm-up: fonts and templates loaded once
                timings, pages = [], 0
                for _ in range(runs):
                    started = time.perf_counter()
                    document = plan_document(version)
                    document.write_pdf()
                    timings.append(time.perf_counter() - started)
                    pages = len(document.pages)
                raise _Rollback
        except _Rollback:
            pass
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"plan PDF: {pages} pages, {runs} runs, median {statistics.median(timings):.3f} s, "
            f"max {max(timings):.3f} s, peak memory {peak_mb:.0f} MB (whole process)"
        )

    def _plan(self, goals: int) -> Any:
        organisation = Organisation.objects.create(name="Benchmark organisation", code="BENCH")
        manager = User.objects.create(
            username="benchmark-manager", organisation=organisation, role=Role.CASE_WORKER
        )
        today = timezone.localdate()
        beneficiary = beneficiary_register(
            actor=manager,
            case_manager=manager,
            profile={
                "first_name": "Bench", "last_name": "Mark", "sex": "female", "accommodation": "shelter",
                "identification_status": "formal", "referral_source": "ngo", "admitted_on": today,
                "security_risk": "low",
            },
        )  # fmt: skip
        version = services.plan_start(
            beneficiary=beneficiary,
            actor=manager,
            own_goals="Ëndrra ime: një shtëpi. " * 20,
            participants="Bench",
        )
        for n in range(goals):
            goal = services.goal_save(
                version=version,
                actor=manager,
                data={
                    "domain": "economic",
                    "description": f"Goal {n}: " + "find stable, safe work with fair pay. " * 4,
                    "target_date": today + timedelta(days=30 + n),
                    "indicator": "A written contract and the first month's pay received",
                },
            )
            for t in range(4):
                services.task_save(
                    goal=goal,
                    actor=manager,
                    data={
                        "description": f"Step {t}: meet the job counsellor",
                        "assigned_to": manager,
                        "due_on": today + timedelta(days=20),
                    },
                )
        return version
