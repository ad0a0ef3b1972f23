"""The shared cache, which an outage of Redis must never turn into an error page.

The cache only ever holds what can be computed again (the caseload review's figures and
their generation counter): when Redis cannot be reached, a read is a miss and a write is
skipped, and the page computes its figures directly. Nothing is lost, and pages are fast
again as soon as Redis is back.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _tolerant(fallback: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """On an unreachable Redis, log it (the operation's name only: keys are never logged)
    and answer `fallback(*args, **kwargs)` instead."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def tolerant(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                logger.warning("cache unreachable (%s): %s", method.__name__, type(error).__name__)
                return fallback(*args, **kwargs)

        return tolerant

    return decorate


def _missing(key: Any, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


def _not_counted(key: Any, *args: Any, **kwargs: Any) -> int:
    # As for a missing key: the caller starts the count again (supervision.review.refresh).
    raise ValueError("Key not found (the cache is unreachable).")


class OutageTolerantRedisCache(RedisCache):
    """Django's Redis cache, with every operation answering as an empty cache would while
    Redis is unreachable."""

    get = _tolerant(_missing)(RedisCache.get)
    get_many = _tolerant(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = _tolerant(lambda *args, **kwargs: False)(RedisCache.has_key)
    add = _tolerant(lambda *args, **kwargs: False)(RedisCache.add)
    set = _tolerant(lambda *args, **kwargs: None)(RedisCache.set)
    set_many = _tolerant(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    touch = _tolerant(lambda *args, **kwargs: False)(RedisCache.touch)
    delete = _tolerant(lambda *args, **kwargs: False)(RedisCache.delete)
    delete_many = _tolerant(lambda *args, **kwargs: None)(RedisCache.delete_many)
    incr = _tolerant(_not_counted)(RedisCache.incr)
    clear = _tolerant(lambda *args, **kwargs: False)(RedisCache.clear)
