"""The load benchmark (issue 20): gunicorn on a throwaway PostgreSQL database, nothing kept.

Run small here; its figures come from running the command itself (README, "Performance").
"""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the load benchmark runs on PostgreSQL only")
def test_a_short_run_serves_every_user_without_errors_and_keeps_nothing(
    django_db_blocker: Any,
) -> None:
    configured = connection.settings_dict["NAME"]
    out = StringIO()
    with django_db_blocker.unblock():
        call_command("benchmark_load", cases=30, users=2, seconds=3, workers=2, stdout=out)
    printed = out.getvalue()

    database = re.search(r"^created database (\S+)$", printed, re.MULTILINE)
    assert database is not None
    # Named after the configured database (cut to PostgreSQL's 63 characters), never it.
    assert re.fullmatch(rf"{re.escape(configured[:49])}_load_[0-9a-f]{{8}}", database[1])
    assert f"dropped database {database[1]}" in printed
    assert not _exists(database[1])
    # The command's own connection points at the configured database again.
    assert connection.settings_dict["NAME"] == configured

    assert "2 users logged in" in printed
    assert "case workers: 1, supervisors: 1" in printed
    table = printed.split("\npage ", 1)[1]
    assert table.split("\n", 1)[0].split() == [
        "requests",
        "req/s",
        "p50",
        "ms",
        "p95",
        "ms",
        "p99",
        "ms",
        "errors",
    ]
    overall = re.search(
        r"^all\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)$", table, re.M
    )
    assert overall is not None, table
    requests, per_second, p50, p95, p99, errors = overall.groups()
    assert int(requests) > 0 and float(per_second) > 0
    assert float(p50) <= float(p95) <= float(p99)
    assert errors == "0"
    assert "error:" not in printed
    assert "Target (issue 20" in printed and "0 errors (0: met)" in printed


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite's refusal is tested on SQLite")
def test_the_benchmark_refuses_anything_but_postgresql() -> None:
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("benchmark_load", cases=30, users=2, seconds=3)


def _exists(database: str) -> bool:
    configured = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        host=configured["HOST"] or None,
        port=configured["PORT"] or None,
        user=configured["USER"] or None,
        password=configured["PASSWORD"] or None,
    ) as server:
        found = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        return found.fetchone() is not None
