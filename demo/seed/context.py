"""What the seeding modules share while the demo world is made: one object, passed along."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from accounts.models import Organisation, User
from directory.models import Service
from monitoring.models import Milestone


@dataclass
class SeedContext:
    """Today, the seeded random generator, the demo staff and what earlier steps made.

    Every random choice goes through `rng`, in the order the modules are called: the same
    seed then gives the same demo world, down to names and dates.
    """

    today: date
    rng: random.Random
    organisations: list[Organisation]
    staff: dict[str, User]
    directory: list[Service]
    milestones: dict[str, list[Milestone]]
    # Case information goes only to providers bound by a confidentiality agreement.
    trusted: list[Service] = field(init=False)
    untrusted: list[Service] = field(init=False)
    # Referrals take turns through the stories, so that every state is on screen.
    referrals_made: int = 0

    def __post_init__(self) -> None:
        self.trusted = [s for s in self.directory if s.provider.has_agreement]
        self.untrusted = [s for s in self.directory if not s.provider.has_agreement]

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def organisation(self, code: str) -> Organisation:
        return next(o for o in self.organisations if o.code == code)
