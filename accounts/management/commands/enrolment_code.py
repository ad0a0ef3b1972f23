"""Give someone a one-time enrolment code from the command line (the first administrator,
who has nobody to ask in the admin)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import services
from accounts.models import User


class Command(BaseCommand):
    help = "Print a new one-time enrolment code for setting up a person's two-step login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account is called {username!r}.")
        self.stdout.write(services.enrolment_code_issue(user=user, by=None))
