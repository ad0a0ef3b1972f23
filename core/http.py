"""The request of a logged-in page, typed: `request.user` is one of our staff accounts."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """For views behind `login_required` (or `case_view`, `role_required`): the user is known.

    Only a type: Django builds the request; annotating a view with this says what the
    decorators in front of it already guarantee.
    """

    user: User  # type: ignore[assignment]
