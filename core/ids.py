"""Public ids arrive from addresses and forms as text; anything else is no id at all."""

from __future__ import annotations

import secrets
import uuid
from typing import Any


def parse_public_id(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value or ""))
    except ValueError:
        return None


def export_ids(count: int) -> list[str]:
    """Random ids valid for one export only, so two exports cannot be joined. A letter
    first: a spreadsheet reads an all-digit (or "1e5"-like) id as a number."""
    ids: set[str] = set()
    while len(ids) < count:
        ids.add(f"R{secrets.token_hex(5)}")
    return list(ids)
