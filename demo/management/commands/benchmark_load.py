"""Load the site as a working office would, on gunicorn and PostgreSQL (issue 20). A benchmark,
not a test; nothing is kept.

gunicorn's processes need committed data, so the run has a database of its own: a throwaway
PostgreSQL database beside the configured one (`<name>_load_<random>`), migrated and filled
with the generated organisation of `benchmark_pages` (demo/benchmark_world.py). gunicorn then
serves it on loopback with the production settings (DEBUG off, database sessions, Redis when
REDIS_URL is set), and locust's virtual staff (demo/load_users.py) log in through the login
form and request the caseload list, case files, My follow-ups, the caseload review and the
home page for a fixed time. The command prints requests per second, the 50th, 95th and 99th
percentile response times and the errors, overall and per page, against issue 20's target.

gunicorn is stopped and the database dropped whatever happens, Ctrl-C included.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import IO, Any
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql
from psycopg.conninfo import make_conninfo

from accounts.models import Organisation, Role, User
from cases.choices import TeamRole
from cases.models import Beneficiary, TeamMembership
from demo.benchmark_world import World

# Issue 20: 10 users on 2 gunicorn workers over 10,000 cases serve at least this.
TARGET_REQUESTS_PER_SECOND = 100
TARGET_P95_MS = 150
TARGET_SETUP = {"cases": 10_000, "users": 10, "workers": 2}
PAGES = ("home", "my cases", "caseload list", "case file", "My follow-ups", "caseload review")
# Case files each account opens at random, from those it may open.
CASES_PER_ACCOUNT = 50
SERVER_START_SECONDS = 60
LOGIN_TIMEOUT_SECONDS = 120  # demo/load_users.py gives up waiting for logins after this


class Command(BaseCommand):
    help = (
        "Run gunicorn on a throwaway PostgreSQL database with N generated cases (default "
        "10,000) and let virtual case workers and supervisors use it for a fixed time; print "
        "requests/s, p50/p95/p99 response times and errors, overall and per page."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--users", type=int, default=10, help="Virtual staff at once.")
        parser.add_argument("--seconds", type=int, default=30, help="Measured time.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")

    def handle(
        self, *args: Any, cases: int, users: int, seconds: int, workers: int, **options: Any
    ) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "benchmark_load needs PostgreSQL: set DATABASE_URL=postgres://… (it creates "
                "a throwaway database on that server and drops it afterwards)."
            )
        if connection.in_atomic_block:
            raise CommandError("benchmark_load cannot run inside a transaction.")
        # The generated organisation gives each of its ten case workers every tenth case.
        if cases < 10 or users < 1 or seconds < 1 or workers < 1:
            raise CommandError(
                "--cases must be at least 10, and --users, --seconds and --workers at least 1."
            )
        self.stdout.write(
            f"benchmark_load: {cases} cases, {users} users, {workers} gunicorn workers, "
            f"{seconds} s measured"
        )
        database = _throwaway_name(connection.settings_dict["NAME"])
        _on_server(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        self.stdout.write(f"created database {database}")
        # A `kill` ends the run as Ctrl-C does, through the clean-up below.
        previous_handler = signal.signal(signal.SIGTERM, _interrupt)
        server: subprocess.Popen[bytes] | None = None
        try:
            password = secrets.token_urlsafe(24)
            with _connected_to(database):
                accounts = self._prepare(cases, password)
            environment = _server_environment(database)
            if not _static_files_collected():
                # The production settings need the collected manifest, as a deployment does
                # (Dockerfile): STATIC_ROOT, which is not kept in the repository.
                self.stdout.write(f"collecting static files into {settings.STATIC_ROOT}")
                _manage(environment, "collectstatic", "--noinput", "--verbosity", "0")
            with tempfile.TemporaryFile() as server_log:
                server, address = _start_gunicorn(environment, workers, server_log)
                self.stdout.write(f"gunicorn ({workers} workers) answering on {address}")
                result = _run_users(
                    address=address,
                    password=password,
                    accounts=accounts,
                    users=users,
                    seconds=seconds,
                    server=server,
                    server_log=server_log,
                    database=database,
                )
            self._report_logins(result)
        except KeyboardInterrupt:
            raise CommandError("Interrupted.") from None
        finally:
            if server is not None:
                _stop(server)
            _on_server(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )
            self.stdout.write(f"dropped database {database}")
            signal.signal(signal.SIGTERM, previous_handler)
        self._report(result, setup={"cases": cases, "users": users, "workers": workers})

    def _prepare(self, cases: int, password: str) -> dict[str, dict[str, list[str]]]:
        """Migrate the throwaway database, fill it, and give its staff a password to log in
        with. Answers, per account, the public ids of cases it may open."""
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"migrated in {time.perf_counter() - started:.0f} s")
        _organisation_ids_apart()
        started = time.perf_counter()
        supervisor, _case = World(cases).build()
        self.stdout.write(f"generated {cases} cases in {time.perf_counter() - started:.0f} s")
        staff = User.objects.filter(organisation=supervisor.organisation)
        # gunicorn runs the production settings, which keep Django's default hashers (this
        # process may run the test settings, whose fast hasher gunicorn would not know).
        hasher = PBKDF2PasswordHasher()
        staff.update(password=hasher.encode(password, hasher.salt()))
        chooser = random.Random(20)  # noqa: S311 - the same cases each run, not a secret
        own_cases: dict[str, list[str]] = {}
        for username, public_id in TeamMembership.objects.filter(
            user__in=staff, role=TeamRole.CASE_MANAGER
        ).values_list("user__username", "beneficiary__public_id"):
            own_cases.setdefault(username, []).append(str(public_id))
        all_cases = [
            str(public_id)
            for public_id in Beneficiary.objects.filter(
                organisation=supervisor.organisation
            ).values_list("public_id", flat=True)
        ]
        return {
            "case_workers": {
                user.username: _sample(chooser, own_cases.get(user.username, []))
                for user in staff.filter(role=Role.CASE_WORKER)
                if own_cases.get(user.username)
            },
            "supervisors": {
                user.username: _sample(chooser, all_cases)
                for user in staff.filter(role=Role.SUPERVISOR)
            },
        }

    # --- Reporting -----------------------------------------------------------------------

    def _report_logins(self, result: dict[str, Any]) -> None:
        classes = result["users"]
        self.stdout.write(
            f"{result['logged_in']} users logged in in {result['login_seconds']:.1f} s "
            f"(case workers: {classes.get('CaseWorker', 0)}, supervisors: "
            f"{classes.get('Supervisor', 0)}; each with its own session, working without "
            f"pauses); measured {result['measured_seconds']:.1f} s after a warm-up"
        )

    def _report(self, result: dict[str, Any], setup: dict[str, int]) -> None:
        measured = result["measured_seconds"]
        times: dict[str, list[float]] = result["times"]
        errors: dict[str, dict[str, int]] = result["errors"]
        self.stdout.write(
            f"\n{'page':<16} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'errors':>7}"
        )
        for page in [*PAGES, *sorted(set(times) - set(PAGES))]:
            if page in times:
                self._row(page, times[page], sum(errors.get(page, {}).values()), measured)
        everything = [t for page_times in times.values() for t in page_times]
        error_count = sum(sum(kinds.values()) for kinds in errors.values())
        failed_logins = result["login_failures"]
        self._row("all", everything, error_count, measured)
        for page, kinds in sorted(errors.items()):
            for what, times_seen in sorted(kinds.items()):
                self.stdout.write(f"error: {page} {what} ({times_seen}x)")
        if failed_logins:
            self.stdout.write(f"error: {len(failed_logins)} users could not log in")
        if not everything:
            raise CommandError("No request was answered in the measured time.")
        self._report_cpu(result["cpu_seconds"], len(everything))

        requests_per_second = len(everything) / measured
        p95 = percentile(everything, 95)
        all_errors = error_count + len(failed_logins)
        verdicts = [
            _verdict(
                f"{requests_per_second:.1f} requests/s",
                requests_per_second >= TARGET_REQUESTS_PER_SECOND,
                f">= {TARGET_REQUESTS_PER_SECOND}",
            ),
            _verdict(f"p95 {p95:.0f} ms", p95 <= TARGET_P95_MS, f"<= {TARGET_P95_MS} ms"),
            _verdict(f"{all_errors} errors", all_errors == 0, "0"),
        ]
        differs = "" if setup == TARGET_SETUP else " (this run's setup is not the target's)"
        self.stdout.write(
            "\nTarget (issue 20: 10 users, 2 gunicorn workers, 10,000 cases)"
            f"{differs}: {'; '.join(verdicts)}"
        )

    def _report_cpu(self, cpu: dict[str, float], requests: int) -> None:
        """Where the CPU went in the measured time: on a shared machine, the share other
        processes took says how far to trust the figures."""
        if "gunicorn" not in cpu:  # not on Linux
            return
        ours = cpu["gunicorn"] + cpu["postgresql"] + cpu["load generator"]
        cores = cpu["machine"] / cpu["measured"]
        busy = cpu["machine busy"] / cpu["machine"]
        others = max(0.0, cpu["machine busy"] - ours) / cpu["machine"]
        self.stdout.write(
            f"CPU per request: gunicorn {cpu['gunicorn'] / requests * 1000:.1f} ms, "
            f"PostgreSQL {cpu['postgresql'] / requests * 1000:.1f} ms, load generator "
            f"{cpu['load generator'] / requests * 1000:.1f} ms; the machine's {cores:.0f} cores "
            f"were {busy:.0%} busy, {others:.0%} with other processes"
        )
        # Throughput is CPU-bound: this is what the same work would reach with the machine
        # to itself.
        self.stdout.write(
            f"at this CPU cost, the machine alone could serve at most "
            f"{cores * requests / ours:.0f} requests/s"
        )

    def _row(self, page: str, times: list[float], errors: int, measured: float) -> None:
        self.stdout.write(
            f"{page:<16} {len(times):>9} {len(times) / measured:>8.1f} "
            f"{percentile(times, 50):>8.1f} {percentile(times, 95):>8.1f} "
            f"{percentile(times, 99):>8.1f} {errors:>7}"
        )


def percentile(values: list[float], share: float) -> float:
    """The `share`-th percentile, interpolated between the two nearest values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * share / 100
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _verdict(figure: str, met: bool, target: str) -> str:
    return f"{figure} ({target}: {'met' if met else 'OVER'})"


def _sample(chooser: random.Random, public_ids: list[str]) -> list[str]:
    return chooser.sample(public_ids, min(CASES_PER_ACCOUNT, len(public_ids)))


# --- The throwaway database --------------------------------------------------------------


def _throwaway_name(configured: str) -> str:
    suffix = f"_load_{secrets.token_hex(4)}"
    return configured[: 63 - len(suffix)] + suffix  # PostgreSQL's longest name: 63 bytes


def _on_server(statement: sql.Composed) -> None:
    """Run a statement that cannot run in a transaction, on the configured server's
    maintenance database."""
    configured = connection.settings_dict
    address = make_conninfo(
        "",
        dbname="postgres",
        host=configured["HOST"] or None,
        port=configured["PORT"] or None,
        user=configured["USER"] or None,
        password=configured["PASSWORD"] or None,
    )
    with psycopg.connect(address, autocommit=True) as maintenance:
        maintenance.execute(statement)


@contextmanager
def _connected_to(database: str) -> Iterator[None]:
    """Point this process's database connection at `database` for a while (as Django's
    test runner does with its test database)."""
    configured = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = database
    ContentType.objects.clear_cache()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = configured
        # Content types are cached per process, with the ids of the throwaway database.
        ContentType.objects.clear_cache()


def _organisation_ids_apart() -> None:
    """Start the organisation ids far from any real database's: the shared Redis cache keys
    the caseload review by organisation id, and the benchmark must neither read another
    database's cached review nor leave its own where another would read it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
            [Organisation._meta.db_table, 1_000_000 + secrets.randbelow(2**30)],
        )


def _database_url(database: str) -> str:
    configured = connection.settings_dict
    credentials = quote(configured["USER"] or "", safe="")
    if configured["PASSWORD"]:
        credentials += ":" + quote(configured["PASSWORD"], safe="")
    # A socket directory as host is written percent-encoded.
    host = quote(configured["HOST"] or "localhost", safe="")
    port = f":{configured['PORT']}" if configured["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{database}"


# --- gunicorn ----------------------------------------------------------------------------


def _server_environment(database: str) -> dict[str, str]:
    """The production settings, as a deployment sets them, but on plain HTTP on loopback."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "reintegration.settings.base",
        "DATABASE_URL": _database_url(database),
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        # A second step needs an authenticator per virtual user; once passed, a login costs
        # the pages nothing more (accounts.middleware keeps the step in the session).
        "TWO_STEP_LOGIN_REQUIRED": "false",
        "LOG_LEVEL": "WARNING",
    }


def _static_files_collected() -> bool:
    """Whether STATIC_ROOT's manifest is newer than every static file: collecting hashes and
    compresses every file again, which takes a while."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    collected_at = manifest.stat().st_mtime
    return all(
        Path(storage.path(path)).stat().st_mtime <= collected_at
        for finder in finders.get_finders()
        for path, storage in finder.list(["CVS", ".*", "*~"])
    )


def _manage(environment: dict[str, str], *arguments: str) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *arguments],
        env=environment,
        cwd=settings.BASE_DIR,
        check=True,
    )


def _start_gunicorn(
    environment: dict[str, str], workers: int, log: IO[bytes]
) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "reintegration.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
        ],
        env=environment,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        # Its own process group: Ctrl-C reaches this command, which stops gunicorn in turn.
        start_new_session=True,
    )
    address = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"gunicorn stopped at start:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(f"{address}/health/", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return server, address
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    _stop(server)
    raise CommandError(f"gunicorn did not answer /health/ in {SERVER_START_SECONDS} s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _tail(log: IO[bytes], characters: int = 3000) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")[-characters:]


# --- The virtual staff -------------------------------------------------------------------


def _run_users(
    *,
    address: str,
    password: str,
    accounts: dict[str, dict[str, list[str]]],
    users: int,
    seconds: int,
    server: subprocess.Popen[bytes],
    server_log: IO[bytes],
    database: str,
) -> dict[str, Any]:
    # Templates compiled, connections opened, the review's cache filled.
    warm_up = min(5, max(1, seconds // 6))
    orders = {
        "host": address,
        "password": password,
        "users": users,
        "seconds": seconds,
        "warm_up": warm_up,
        # To tell where the CPU went: gunicorn's processes, and the database's.
        "server_pid": server.pid,
        "database": database,
        **accounts,
    }
    try:
        finished = subprocess.run(
            [sys.executable, "-m", "demo.load_users"],
            input=json.dumps(orders),
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
            timeout=LOGIN_TIMEOUT_SECONDS + warm_up + seconds + 60,
            start_new_session=True,
        )
    except subprocess.TimeoutExpired as error:
        raise CommandError("The virtual users did not finish in time.") from error
    if finished.returncode != 0:
        raise CommandError(
            f"The virtual users failed:\n{finished.stderr[-3000:]}\n"
            f"gunicorn's log:\n{_tail(server_log)}"
        )
    result: dict[str, Any] = json.loads(finished.stdout)
    if server.poll() is not None:
        raise CommandError(f"gunicorn stopped during the run:\n{_tail(server_log)}")
    if not result["logged_in"]:
        raise CommandError(f"No user could log in. gunicorn's log:\n{_tail(server_log)}")
    return result


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
