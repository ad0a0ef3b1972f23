"""Database expressions the ORM lacks or makes slow."""

from __future__ import annotations

import os
import time
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import DateField, Func
from django.db.models.functions import TruncDate


class LocalDate(Func):
    """The local calendar date of a moment, in `zone`: `TruncDate(expression, tzinfo=zone)`.

    On SQLite, TruncDate calls back into Python for every row (about 20 µs each: most of a
    query over thousands of cases). When the process's own time zone is `zone` (Django sets
    TZ from TIME_ZONE at start-up, and again when a test overrides it), SQLite's built-in
    'localtime' conversion gives the same date, with the same daylight-saving rules, in C.
    """

    output_field = DateField()
    arity = 1

    def __init__(self, expression: Any, zone: ZoneInfo) -> None:
        super().__init__(expression)
        self.zone = zone

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        return compiler.compile(TruncDate(self.source_expressions[0], tzinfo=self.zone))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        if not (hasattr(time, "tzset") and os.environ.get("TZ") == self.zone.key):
            return self.as_sql(compiler, connection)
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, 'localtime')", params
