"""Logins end after a spell without activity, and after a fixed time however active.

Case workers share office computers: a case file left open on an unattended desk must not
stay open for the rest of the day.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

LOGGED_IN_AT = "logged_in_at"
LAST_ACTIVITY = "last_activity"
# Activity is noted at most once a minute, so pages do not write the session every time.
ACTIVITY_RESOLUTION_SECONDS = 60


def start_login_clock(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """On login (the `user_logged_in` signal): both limits count from now."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGGED_IN_AT] = now
        request.session[LAST_ACTIVITY] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            # setdefault: sessions begun before this middleware was installed.
            logged_in_at = session.setdefault(LOGGED_IN_AT, now)
            last_activity = session.setdefault(LAST_ACTIVITY, now)
            if now - last_activity > settings.SESSION_IDLE_TIMEOUT:
                return _logged_out(
                    request,
                    f"You were logged out after {settings.SESSION_IDLE_TIMEOUT // 60} minutes "
                    "without activity. Log in again to continue.",
                )
            if now - logged_in_at > settings.SESSION_COOKIE_AGE:
                return _logged_out(
                    request,
                    f"You were logged out {settings.SESSION_COOKIE_AGE // 3600} hours after "
                    "logging in. Log in again to continue.",
                )
            if now - last_activity >= ACTIVITY_RESOLUTION_SECONDS:
                session[LAST_ACTIVITY] = now
        return self.get_response(request)


def _logged_out(request: HttpRequest, message: str) -> HttpResponse:
    logout(request)
    messages.info(request, message)
    if request.method not in {"GET", "HEAD"}:
        return redirect(settings.LOGIN_URL)  # a form's address is not a page to come back to
    # Back to the same page after logging in again; addresses hold only random ids.
    return redirect_to_login(request.get_full_path())
