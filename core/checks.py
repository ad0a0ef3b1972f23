"""System checks for running several processes: nothing may live in one process's memory.

gunicorn runs several worker processes even on one machine, and a larger installation runs
several web replicas: whatever one process keeps in its own memory, the others do not see.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

PER_PROCESS_CACHE = "django.core.cache.backends.locmem.LocMemCache"
CACHE_ONLY_SESSIONS = "django.contrib.sessions.backends.cache"
CACHE_ONLY_LOCKOUTS = "axes.handlers.cache.AxesCacheHandler"


@register(Tags.caches, deploy=True)
def shared_state_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Production (DEBUG off) keeps cache, sessions and login lockouts where every process
    sees them. Only with `--deploy`: a developer's machine runs one process."""
    if settings.DEBUG:
        return []
    problems: list[CheckMessage] = []
    per_process_cache = settings.CACHES["default"]["BACKEND"] == PER_PROCESS_CACHE
    if not settings.REDIS_URL:
        problems.append(
            Warning(
                "REDIS_URL is not set: the cache lives in each process's memory, and "
                "background tasks run inside the web process.",
                hint="Set REDIS_URL (docker-compose.yml does), and run a Celery worker and "
                "exactly one beat. Without them the caseload review's figures can be out of "
                "date in the other gunicorn processes, and reminders need `manage.py "
                "send_reminders` run regularly.",
                id="core.W001",
            )
        )
    if per_process_cache and settings.SESSION_ENGINE == CACHE_ONLY_SESSIONS:
        problems.append(
            Warning(
                "Sessions are kept only in a per-process cache: a login works in one "
                "process and not the next.",
                hint="Use the database session engine (Django's default) or a shared cache.",
                id="core.W002",
            )
        )
    if per_process_cache and getattr(settings, "AXES_HANDLER", "") == CACHE_ONLY_LOCKOUTS:
        problems.append(
            Warning(
                "Wrong-password counts are kept in a per-process cache: each process "
                "allows the full number of attempts, so the login lockout is multiplied.",
                hint="Use axes.handlers.database.AxesDatabaseHandler (the default).",
                id="core.W003",
            )
        )
    return problems
