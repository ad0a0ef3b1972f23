"""What a login must pass before and while it is used.

Logins end after a spell without activity, and after a fixed time however active: case
workers share office computers, and a case file left open on an unattended desk must not
stay open for the rest of the day. And a password alone opens nothing: the second step of
logging in comes first, then replacing a password an administrator gave.
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
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import ngettext

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
                minutes = settings.SESSION_IDLE_TIMEOUT // 60
                return _logged_out(
                    request,
                    ngettext(
                        "You were logged out after %(minutes)d minute without activity. Log "
                        "in again to continue.",
                        "You were logged out after %(minutes)d minutes without activity. Log "
                        "in again to continue.",
                        minutes,
                    )
                    % {"minutes": minutes},
                )
            if now - logged_in_at > settings.SESSION_COOKIE_AGE:
                hours = settings.SESSION_COOKIE_AGE // 3600
                return _logged_out(
                    request,
                    ngettext(
                        "You were logged out %(hours)d hour after logging in. Log in again to "
                        "continue.",
                        "You were logged out %(hours)d hours after logging in. Log in again to "
                        "continue.",
                        hours,
                    )
                    % {"hours": hours},
                )
            if now - last_activity >= ACTIVITY_RESOLUTION_SECONDS:
                session[LAST_ACTIVITY] = now
        return self.get_response(request)


class StaffLanguageMiddleware:
    """A staff member's chosen language (kept on their account) outranks the language cookie
    and the browser's, which LocaleMiddleware chose from before anyone was known. The cookie
    follows the account, so the login page after logging out stays in their language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = getattr(request.user, "language", "") if request.user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            _set_language_cookie(response, language)
        return response


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    # As django.views.i18n.set_language sets it.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def keep_chosen_language(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """On login (the `user_logged_in` signal): a language chosen on the login page, by
    someone who has not chosen one before, becomes their account's."""
    if request is None or user.language:
        return
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in dict(settings.LANGUAGES):
        from .services import language_choose  # services import models: not at start-up

        language_choose(user=user, language=chosen)


def _logged_out(request: HttpRequest, message: str) -> HttpResponse:
    logout(request)
    messages.info(request, message)
    if request.method not in {"GET", "HEAD"}:
        return redirect(settings.LOGIN_URL)  # a form's address is not a page to come back to
    # Back to the same page after logging in again; addresses hold only random ids.
    return redirect_to_login(request.get_full_path())


# Where this login stands with the second step, kept in the session so that pages cost no
# query for it: decided once at login (or on the first request of a session begun before
# two-step login existed), then changed only by the two-step views.
TWO_STEP = "two_step"
VERIFY = "verify"  # has an authenticator: must enter a code
SET_UP = "set_up"  # must set up an authenticator (two-step login is required)
PASSED = "passed"  # entered a code, or two-step login is neither required nor turned on
# Set once this login may enrol an authenticator: it entered the enrolment code an
# administrator gave, or it removed its own authenticator with the password and a code.
ENROLMENT_CHECKED = "two_step_enrolment_checked"


def two_step_needed(user: Any) -> str:
    from .selectors import has_authenticator  # selectors import models: not at start-up

    if has_authenticator(user):
        return VERIFY
    return SET_UP if settings.TWO_STEP_LOGIN_REQUIRED else PASSED


def start_two_step(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """On login (the `user_logged_in` signal): what the second step asks of this login."""
    if request is not None and hasattr(request, "session"):
        request.session[TWO_STEP] = two_step_needed(user)


def before_two_step(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view as open to a login that has not passed the second step yet."""
    view.open_before_two_step = True  # type: ignore[attr-defined]  # mypy: no attributes on functions
    return view


def before_password_change(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view as open to someone who must still replace a temporary password."""
    view.open_before_password_change = True  # type: ignore[attr-defined]  # mypy: no attributes on functions
    return view


class LoginStepsMiddleware:
    """Every page leads to the step a login still owes: the second step first, then
    replacing a temporary password. Logging out is always open."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        state = request.session.get(TWO_STEP)
        if state is None:
            state = request.session[TWO_STEP] = two_step_needed(request.user)
        if state != PASSED:
            if getattr(view, "open_before_two_step", False):
                return None
            return _step(request, "two_step_verify" if state == VERIFY else "two_step_set_up")
        if request.user.must_change_password and not getattr(
            view, "open_before_password_change", False
        ):
            return _step(request, "password_change")
        return None


def _step(request: HttpRequest, step: str) -> HttpResponse:
    if request.method not in {"GET", "HEAD"}:
        return redirect(step)  # a form's address is not a page to come back to
    return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
