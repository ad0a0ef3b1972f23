"""Public ids arrive from addresses and forms as text; anything else is no id at all."""

from __future__ import annotations

import uuid
from typing import Any


def parse_public_id(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value or ""))
    except ValueError:
        return None
