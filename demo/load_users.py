"""The staff that `manage.py benchmark_load` sets to work on gunicorn (issue 20), with locust.

Run by that command as `python -m demo.load_users`, in a process of its own: importing locust
patches the standard library for gevent, which the command's own process (the ORM, psycopg)
must not have. It reads its orders as JSON on standard input and writes every timed request
as JSON on standard output; the command turns them into the figures.

Each virtual user logs in through the login form with its own session, then works without
pausing, so the figures say how much the site can serve, not how busy a real office is:
- a case worker opens their own case files most, then their caseload and their follow-ups,
  and now and then the home page (which sends them on to their cases);
- a supervisor looks at the caseload review most, then the caseload and case files.
Four case workers to a supervisor (one of each in a run of two or three users).

Requests begin to count once every user has logged in and a warm-up has passed (templates
compiled, connections opened, the review's cache filled), and stop counting at the end of
the measured time. Only the status is kept of a failed request, never a page's content.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from itertools import count
from pathlib import Path
from typing import Any

from locust import FastHttpUser, constant, events, task
from locust import User as VirtualUser
from locust.env import Environment
from locust.exception import StopUser

# Importing locust patched the standard library for gevent: time.sleep below lets the
# virtual users run meanwhile.

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGIN_TIMEOUT_SECONDS = 120


class _Run:
    """The password the command gave, and what this run has seen so far."""

    password = ""
    logged_in = 0
    login_failures: list[str] = []
    measuring = False
    # page -> [response time in ms], page -> {"what went wrong": times}
    times: dict[str, list[float]] = {}
    errors: dict[str, dict[str, int]] = {}


@events.request.add_listener
def _record(
    name: str, response_time: float, exception: BaseException | None, **kwargs: Any
) -> None:
    if not _Run.measuring:
        return
    _Run.times.setdefault(name, []).append(response_time)
    if exception is not None:
        errors = _Run.errors.setdefault(name, {})
        what = _what_went_wrong(exception)
        errors[what] = errors.get(what, 0) + 1


def _what_went_wrong(exception: BaseException) -> str:
    # Our own failure messages are only a status; anything else is named by its type, so
    # that no page content (names) reaches the report.
    text = str(exception)
    return text if text.startswith("answered ") else type(exception).__name__


class _Staff(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    # username -> public ids of the cases that account may open
    accounts: dict[str, list[str]]
    taken: count[int]

    def on_start(self) -> None:
        usernames = sorted(self.accounts)
        self.username = usernames[next(self.taken) % len(usernames)]
        self.cases = self.accounts[self.username]
        if self._logged_in():
            _Run.logged_in += 1
        else:
            _Run.login_failures.append(self.username)
            raise StopUser

    def _logged_in(self) -> bool:
        form = self.client.get("/accounts/login/", name="login")
        token = CSRF_FIELD.search(form.text or "")
        if token is None:
            return False
        with self.client.post(
            "/accounts/login/",
            name="login",
            data={
                "csrfmiddlewaretoken": token[1],
                "username": self.username,
                "password": _Run.password,
            },
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # A wrong password answers 200 (the form again); a login, a redirect home.
            if response.status_code != 302:
                response.failure(f"answered {response.status_code}")
                return False
        return True

    def page(self, name: str, url: str, expected: int = 200) -> None:
        # Redirects are not followed: a login that ended would otherwise pass as a page.
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != expected:
                response.failure(f"answered {response.status_code}")

    def case_file(self) -> None:
        self.page("case file", f"/cases/{random.choice(self.cases)}/")  # noqa: S311 - not secret


class CaseWorker(_Staff):
    taken = count()

    @task(1)
    def home(self) -> None:
        self.page("home", "/", expected=302)
        self.page("my cases", "/cases/?mine=1")

    @task(2)
    def caseload(self) -> None:
        self.page("caseload list", "/cases/")

    @task(5)
    def open_case(self) -> None:
        self.case_file()

    @task(2)
    def follow_ups(self) -> None:
        self.page("My follow-ups", "/follow-ups/")


class Supervisor(_Staff):
    taken = count()

    @task(1)
    def home(self) -> None:
        self.page("home", "/", expected=302)
        self.page("caseload review", "/supervision/")

    @task(3)
    def review(self) -> None:
        self.page("caseload review", "/supervision/")

    @task(2)
    def caseload(self) -> None:
        self.page("caseload list", "/cases/")

    @task(2)
    def open_case(self) -> None:
        self.case_file()


def run(orders: dict[str, Any]) -> dict[str, Any]:
    """Log `users` virtual users in, warm up, then count `seconds` of requests."""
    _Run.password = orders["password"]
    CaseWorker.accounts = orders["case_workers"]
    Supervisor.accounts = orders["supervisors"]
    users = orders["users"]
    # Four case workers to a supervisor, and one of each in a run of two or more users.
    Supervisor.fixed_count = max(1, users // 5) if users >= 2 else 0
    classes: list[type[VirtualUser]] = [CaseWorker, Supervisor] if users >= 2 else [CaseWorker]
    environment = Environment(user_classes=classes, host=orders["host"], events=events)
    runner = environment.create_local_runner()
    started = time.monotonic()
    runner.start(users, spawn_rate=users)
    while _Run.logged_in + len(_Run.login_failures) < users:
        if time.monotonic() - started > LOGIN_TIMEOUT_SECONDS:
            break
        time.sleep(0.05)
    logins = time.monotonic() - started
    time.sleep(orders["warm_up"])
    cpu_before = cpu_seconds(orders["server_pid"], orders["database"])
    _Run.measuring = True
    measuring_since = time.monotonic()
    time.sleep(orders["seconds"])
    _Run.measuring = False
    measured = time.monotonic() - measuring_since
    cpu_after = cpu_seconds(orders["server_pid"], orders["database"])
    working = dict(runner.user_classes_count)
    runner.quit()
    return {
        "cpu_seconds": {
            "measured": measured,
            **{part: cpu_after[part] - cpu_before[part] for part in cpu_before},
        },
        "users": working,
        "logged_in": _Run.logged_in,
        "login_failures": _Run.login_failures,
        "login_seconds": logins,
        "measured_seconds": measured,
        "times": _Run.times,
        "errors": _Run.errors,
    }


# --- Where the CPU went (Linux: read from /proc) ---------------------------------------------

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(server_pid: int, database: str) -> dict[str, float]:
    """CPU seconds used so far by gunicorn (master and workers), by the PostgreSQL processes
    of the benchmark's database, by this process, and by the whole machine (busy, and
    available: seconds times cores). Empty where /proc cannot be read."""
    proc = Path("/proc")
    if not (proc / "stat").exists():
        return {}
    gunicorn = database_processes = 0.0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # ended meanwhile
            continue
        used = (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND  # utime, stime
        if int(entry.name) == server_pid or int(fields[1]) == server_pid:  # fields[1]: parent
            gunicorn += used
        elif title.startswith("postgres") and f" {database} " in f"{title} ":
            database_processes += used
    own = os.times()
    machine = [int(value) for value in (proc / "stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = machine[3] + machine[4]  # idle, waiting for I/O
    return {
        "gunicorn": gunicorn,
        "postgresql": database_processes,
        "load generator": own.user + own.system,
        "machine busy": (sum(machine[:8]) - idle) / TICKS_PER_SECOND,
        "machine": sum(machine[:8]) / TICKS_PER_SECOND,
    }


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
