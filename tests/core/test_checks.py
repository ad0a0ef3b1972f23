"""`manage.py check --deploy` warns where production would keep state in one process."""

from __future__ import annotations

from django.test import override_settings

from core.checks import shared_state_check

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "core.cache.OutageTolerantRedisCache", "LOCATION": "redis://r/0"}}


def ids(**settings: object) -> set[str]:
    with override_settings(**settings):
        return {message.id for message in shared_state_check()}


def test_production_without_redis_is_warned() -> None:
    assert ids(DEBUG=False, REDIS_URL="", CACHES=LOCMEM) == {"core.W001"}


def test_production_with_redis_and_database_sessions_passes() -> None:
    assert ids(DEBUG=False, REDIS_URL="redis://r/0", CACHES=REDIS) == set()


def test_development_is_one_process_and_not_warned() -> None:
    assert ids(DEBUG=True, REDIS_URL="", CACHES=LOCMEM) == set()


def test_sessions_and_lockouts_only_in_a_per_process_cache_are_warned() -> None:
    found = ids(
        DEBUG=False,
        REDIS_URL="",
        CACHES=LOCMEM,
        SESSION_ENGINE="django.contrib.sessions.backends.cache",
        AXES_HANDLER="axes.handlers.cache.AxesCacheHandler",
    )
    assert found == {"core.W001", "core.W002", "core.W003"}


def test_the_products_own_settings_keep_sessions_and_lockouts_in_the_database() -> None:
    from django.conf import settings

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
