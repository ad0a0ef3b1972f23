"""Database expressions the ORM lacks or makes slow."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import DateField, Func
from django.db.models.functions import TruncDate


@lru_cache
def _c_clock_keeps(zone_key: str, tz_variable: str | None) -> bool:
    """Whether the C library's local time (SQLite's 'localtime') is `zone_key`'s, winter and
    summer: TZ names it, and the system has its rules (a container without the system's time
    zone files silently keeps UTC, where Python reads the zone from the tzdata package)."""
    if not hasattr(time, "tzset") or tz_variable != zone_key:
        return False
    zone = ZoneInfo(zone_key)
    year = datetime.now(UTC).year
    moments = [datetime(year, month, 15, 12, tzinfo=UTC).timestamp() for month in (1, 7)]
    return all(
        time.localtime(moment).tm_gmtoff
        == datetime.fromtimestamp(moment, zone).utcoffset().total_seconds()  # type: ignore[union-attr]
        for moment in moments
    )


class LocalDate(Func):
    """The local calendar date of a moment, in `zone`: `TruncDate(expression, tzinfo=zone)`.

    On SQLite, TruncDate calls back into Python for every row (about 20 µs each: most of a
    query over thousands of cases). When the process's own time zone is `zone` (Django sets
    TZ from TIME_ZONE at start-up, and again when a test overrides it) and the C library
    knows its rules, SQLite's built-in 'localtime' conversion gives the same date, with the
    same daylight-saving rules, in C.
    """

    output_field = DateField()
    arity = 1

    def __init__(self, expression: Any, zone: ZoneInfo) -> None:
        super().__init__(expression)
        self.zone = zone

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        return compiler.compile(TruncDate(self.source_expressions[0], tzinfo=self.zone))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        if not _c_clock_keeps(self.zone.key, os.environ.get("TZ")):
            return self.as_sql(compiler, connection)
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, 'localtime')", params
