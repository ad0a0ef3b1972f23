"""Load fictional demo data through the same services the pages use (see `demo.seed`).

Idempotent: staff accounts are brought back to their demo state on every run, and the
case files are made only while the demo organisation has none.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from cases.models import Beneficiary
from demo.seed.accounts import DEMO_PASSWORD
from demo.seed.world import seed_world


class Command(BaseCommand):
    help = "Load fictional demo organisations, staff and case files (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            seeded = seed_world()
        if not seeded.case_files_made:
            self.stdout.write("Demo data already loaded; staff accounts refreshed.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {seeded.organisations} organisations, {seeded.staff} staff, "
                f"{Beneficiary.objects.count()} case files. Password for every account: {DEMO_PASSWORD}"
            )
        )
