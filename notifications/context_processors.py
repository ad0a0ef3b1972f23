from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count for every page (only for logged-in users): counted when a page first
    shows it, once, though the page shows it twice (beside the menu button on a narrow
    screen, in the menu on a wide one)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def unread() -> int:
        return user.notifications.filter(read_at__isnull=True).count()

    return {"unread_notifications": unread}
