"""Typed requests: what the decorators in front of a view guarantee about `request.user`.

Only types: Django builds the request. Annotating a view with one of these states what
`login_required`, `case_view` or `role_required` already checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

from .models import User

if TYPE_CHECKING:

    class OrganisationStaff(User):
        """A member of staff of an organisation (`role_required` refuses anyone else)."""

        organisation_id: int


class AuthenticatedHttpRequest(HttpRequest):
    """For views behind `login_required` (or `case_view`): the user is logged in."""

    user: User


class OrganisationHttpRequest(HttpRequest):
    """For views behind `role_required`: the user is staff of an organisation."""

    user: OrganisationStaff
