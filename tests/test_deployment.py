"""docker-compose.yml passes every setting the product reads, with the settings' own defaults,
and lets web and worker be scaled while exactly one beat runs (README, "Deployment").

Read as text: PyYAML is not a dependency, and the file's layout is ours to keep simple.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = sorted((ROOT / "reintegration" / "settings").glob("*.py"))
COMPOSE = (ROOT / "docker-compose.yml").read_text()

# Never given a default: the stack must not start without them.
SECRETS = {"SECRET_KEY", "EMAIL_HOST_PASSWORD"}
# Wired to the stack's own services, not chosen by whoever installs it.
FIXED = {"DEBUG": "false", "DATABASE_URL": None, "REDIS_URL": None}
# Deliberately not the settings' default, for the reason given.
DIFFERENT_DEFAULT = {
    "ALLOWED_HOSTS": "localhost",  # the settings' empty list would refuse every request
    "BEHIND_TLS_PROXY": "true",  # the stack is meant to sit behind a TLS proxy
    "TRUSTED_PROXY_COUNT": "2",  # the TLS proxy in front, then the `proxy` service
}
# What the defaults depend on, as the compose file sets it.
COMPOSE_CONTEXT = {"DEBUG": False, "BEHIND_TLS_PROXY": True, "BASE_DIR": ROOT}


def settings_read() -> dict[str, ast.expr | None]:
    """Every variable an `env(...)` / `env.<type>(...)` call in the settings reads, with its
    default expression (None when it has none)."""
    found: dict[str, ast.expr | None] = {}
    for module in SETTINGS:
        for node in ast.walk(ast.parse(module.read_text())):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            function = node.func
            is_env = (isinstance(function, ast.Name) and function.id == "env") or (
                isinstance(function, ast.Attribute)
                and isinstance(function.value, ast.Name)
                and function.value.id == "env"
            )
            name = node.args[0]
            if is_env and isinstance(name, ast.Constant) and isinstance(name.value, str):
                default = next((k.value for k in node.keywords if k.arg == "default"), None)
                found[name.value] = default
    return found


def compose_environment() -> dict[str, str]:
    """The `x-app` environment shared by web, worker and beat: name -> value as written."""
    block = COMPOSE.split("environment: &app-env\n", 1)[1]
    values: dict[str, str] = {}
    for line in block.splitlines():
        if line.strip().startswith("#") or not line.strip():
            continue
        if not line.startswith("    "):  # back at the `x-app` level: the block has ended
            break
        key, _, value = line.strip().partition(":")
        values[key] = value.strip().strip('"')
    return values


def compose_services() -> dict[str, str]:
    """Each service's text under `services:`, by name."""
    body = COMPOSE.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    parts = re.split(r"^  ([a-z][\w-]*):\n", body, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def as_environment_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    return str(value)


def test_the_settings_are_found() -> None:
    # Guards the parser: a change that found nothing would pass every test below.
    read = settings_read()
    assert {"SECRET_KEY", "TIME_ZONE", "SITE_URL", "EMAIL_HOST_PASSWORD"} <= read.keys()
    assert len(read) > 40


def test_every_setting_the_product_reads_is_passed() -> None:
    missing = sorted(settings_read().keys() - compose_environment().keys())
    assert not missing, f"docker-compose.yml does not pass {missing}"


def test_secrets_are_required_never_defaulted() -> None:
    environment = compose_environment()
    for name in SECRETS:
        assert re.fullmatch(rf"\$\{{{name}:?\?[^}}]+\}}", environment[name]), environment[name]


@pytest.mark.parametrize("name", sorted(settings_read().keys() - SECRETS))
def test_defaults_are_the_settings_own(name: str) -> None:
    written = compose_environment()[name]
    if name in FIXED:
        assert written == (FIXED[name] or written), f"{name} must be {FIXED[name]}"
        return
    match = re.fullmatch(rf"\$\{{{name}:-(.*)\}}", written)
    assert match, f"{name}: expected ${{{name}:-default}}, found {written!r}"
    default = settings_read()[name]
    assert default is not None, f"{name} has no default in the settings: make it required"
    expected = DIFFERENT_DEFAULT.get(name) or as_environment_text(
        eval(compile(ast.Expression(default), "settings", "eval"), dict(COMPOSE_CONTEXT))  # noqa: S307 - our own settings' source
    )
    assert match[1] == expected


def test_web_and_worker_scale_and_one_beat_runs() -> None:
    services = compose_services()
    assert {"migrate", "web", "worker", "beat", "proxy", "postgres", "redis"} <= services.keys()
    # A fixed host port would let only one replica start: web is reached through `proxy`.
    assert "ports:" not in services["web"]
    assert "deploy/nginx.conf" in services["proxy"]
    assert "server web:8000 resolve" in (ROOT / "deploy" / "nginx.conf").read_text()
    # Several replicas must not migrate at once: one `migrate` run comes first.
    assert "migrate" not in services["web"].split("command:", 1)[1].split("\n", 1)[0]
    assert "service_completed_successfully" in services["web"]
    assert "deploy/healthcheck.py" in services["web"]
    assert "EXACTLY ONE beat" in COMPOSE
