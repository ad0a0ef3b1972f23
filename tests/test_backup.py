"""The backup and restore the README shows, proven by a round trip of the demo data:
deploy/backup.sh (pg_dump) and deploy/restore.sh (pg_restore) into a new database give
every table the same rows."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from cases.models import Beneficiary
from tests.conftest import ensure_reference_data

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="pg_dump and pg_restore back up PostgreSQL only (CI runs a PostgreSQL pass)",
    ),
    pytest.mark.django_db(transaction=True),  # pg_dump sees only committed rows
]


def _url(name: str) -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def empty_database() -> Iterator[str]:
    """A new, empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(script: str, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own scripts, fixed arguments
        [str(ROOT / "deploy" / script), *args],
        env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _contents(url: str, tables: list[str]) -> dict[str, object]:
    """Row count of every table, and a checksum of every case file's row."""
    count = sql.SQL("SELECT count(*) FROM {}")
    checksum = sql.SQL("SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM {} t")
    with psycopg.connect(url) as db:
        found: dict[str, object] = {
            table: _one(db, count.format(sql.Identifier(table))) for table in tables
        }
        cases = Beneficiary._meta.db_table
        found["checksum of " + cases] = _one(db, checksum.format(sql.Identifier(cases)))
    return found


def _one(db: psycopg.Connection[tuple[object, ...]], query: sql.Composed) -> object:
    row = db.execute(query).fetchone()
    assert row is not None
    return row[0]


def test_the_demo_survives_a_backup_and_restore(tmp_path: Path, empty_database: str) -> None:
    ensure_reference_data()
    call_command("seed_demo", stdout=io.StringIO())
    tables = connection.introspection.table_names()
    source = _url(connection.settings_dict["NAME"])
    before = _contents(source, tables)
    assert before[Beneficiary._meta.db_table] > 0  # the demo is there to be backed up

    dump = tmp_path / "backup.dump"
    backed_up = _run("backup.sh", source, str(dump))
    assert backed_up.returncode == 0, backed_up.stderr
    restored = _run("restore.sh", _url(empty_database), str(dump))
    assert restored.returncode == 0, restored.stderr

    assert _contents(_url(empty_database), tables) == before


def test_restore_refuses_a_database_that_is_not_empty(tmp_path: Path) -> None:
    # Restoring over live data would mix two states of the case files.
    dump = tmp_path / "backup.dump"
    source = _url(connection.settings_dict["NAME"])
    assert _run("backup.sh", source, str(dump)).returncode == 0
    refused = _run("restore.sh", source, str(dump))
    assert refused.returncode == 1
    assert "restore into an empty one" in refused.stderr
