"""The one gate for pages outside case files: which roles of an organisation may open them.

Case pages have their own gate (`cases.access.case_view`): there the case team decides.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .http import AuthenticatedHttpRequest
from .models import Role

View = Callable[..., HttpResponse]


def role_required(*roles: Role, message: str | Promise) -> Callable[[View], View]:
    """Log in first; then only staff of an organisation holding one of `roles` (else 403,
    whose page shows `message`: say who the page is for, translatably)."""

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if user.role not in roles or user.organisation_id is None:
                raise PermissionDenied(str(message))
            return view(request, *args, **kwargs)

        # Read by the URL-walking test: every page outside case files declares who opens it.
        wrapped.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]  # mypy: no attributes on functions
        return wrapped

    return decorator


def supervisor_page(view: View) -> View:
    """The supervisors' pages: their own organisation's figures and records only."""
    return role_required(Role.SUPERVISOR, message=_("These pages are for supervisors."))(view)
