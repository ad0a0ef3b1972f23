from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def session_timeout(request: HttpRequest) -> dict[str, Any]:
    """How often a page tells the server that someone is typing (static/js/still-here.js).

    Six times per idle timeout: often enough that no gap between two signals reaches it.
    """
    return {"still_here_every": max(1, settings.SESSION_IDLE_TIMEOUT // 6)}
