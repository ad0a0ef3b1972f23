"""The health endpoint the proxy and the orchestrator poll (README, "Deployment")."""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# A health check must answer quickly even when Redis hangs: the orchestrator's own timeout
# is a few seconds, and a slow answer would count as a dead replica.
REDIS_TIMEOUT_SECONDS = 0.5


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """Whether this replica can serve pages: 200 while the database answers, 503 when not.

    Redis is reported but does not decide the status: without it the site still works
    (the cache is a miss, core.cache), only e-mails and the periodic scans wait for it.
    No login and nothing about anyone: it names only the two services and their state.
    """
    database = _database_state()
    body = {"database": database, "redis": _redis_state()}
    response = JsonResponse(body, status=200 if database == "ok" else 503)
    add_never_cache_headers(response)
    return response


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("health: database unreachable (%s)", type(error).__name__)
        return "unreachable"
    return "ok"


def _redis_state() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except (redis.exceptions.RedisError, OSError) as error:
        logger.warning("health: redis unreachable (%s)", type(error).__name__)
        return "unreachable"
    finally:
        client.close()
    return "ok"
