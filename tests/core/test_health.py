"""/health/: the database decides the status, Redis is reported (README, "Deployment")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent.parent
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"

pytestmark = pytest.mark.django_db


@override_settings(REDIS_URL="")
def test_the_database_answers_and_redis_is_not_configured(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "not configured"}
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers  # no session is started for a poll


@override_settings(REDIS_URL=UNREACHABLE_REDIS)
def test_redis_down_is_reported_quickly_but_the_site_is_still_up(client: Client) -> None:
    started = time.monotonic()
    response = client.get("/health/")
    assert time.monotonic() - started < 2  # a short timeout, not a hung probe
    assert response.status_code == 200  # pages work without Redis: the cache is a miss
    assert response.json() == {"database": "ok", "redis": "unreachable"}


def test_a_reachable_redis_is_ok(client: Client, redis_url: str) -> None:
    with override_settings(REDIS_URL=redis_url):
        response = client.get("/health/")
    assert response.json() == {"database": "ok", "redis": "ok"}


def test_no_login_step_sends_it_elsewhere(client: Client, settings: Any) -> None:
    # A browser whose login still owes the second step and a new password gets the answer,
    # not the login steps' pages.
    settings.TWO_STEP_LOGIN_REQUIRED = True
    settings.REDIS_URL = ""
    client.force_login(UserFactory(must_change_password=True))
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    # While the rest of the site does send it there.
    assert "/two-step/" in client.get("/cases/")["Location"]


def test_it_only_reads(client: Client) -> None:
    assert client.post("/health/").status_code == 405


@pytest.mark.parametrize(
    "database_url",
    [
        "postgres://postgres@127.0.0.1:1/nothing_listens_here",
        "sqlite:////nonexistent/dir/db.sqlite3",
    ],
    ids=["postgresql", "sqlite"],
)
def test_503_when_the_database_does_not_answer(database_url: str) -> None:
    # A real unreachable database, in a process of its own (this one's database is fine).
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/health/'); print(json.dumps([r.status_code, r.json()]))"
    )
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG"}},
        "DJANGO_SETTINGS_MODULE": "reintegration.settings.test",
        "DATABASE_URL": database_url,
    }
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body == {"database": "unreachable", "redis": "not configured"}


def _container_check(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, str(ROOT / "deploy" / "healthcheck.py")],
        env={"HEALTH_CHECK_URL": url, "ALLOWED_HOSTS": ".localhost,example.org"},
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.django_db(transaction=True)
def test_the_containers_health_check_passes_on_a_running_site(live_server: object) -> None:
    # docker-compose.yml runs deploy/healthcheck.py in each web replica (no curl in the image).
    with override_settings(REDIS_URL=""):
        result = _container_check(f"{live_server.url}/health/")  # type: ignore[attr-defined]
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"database": "ok", "redis": "not configured"}


def test_the_containers_health_check_fails_when_nothing_answers() -> None:
    assert _container_check("http://127.0.0.1:1/health/").returncode == 1
