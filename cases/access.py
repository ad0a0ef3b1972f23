"""Who may see and change a case: the single place that decides.

Every case-scoped view is wrapped in `case_view`, which fetches the case through
`get_beneficiary_for` and writes an access-log row in the same transaction. A user who
may not see a case gets 404, so the existence of a file is never revealed; a user who may
see it but not make the change asked for gets 403.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User

from .choices import AccessAction, TeamRole
from .models import Beneficiary, EmergencyAccess, TeamMembership
from .selectors import beneficiaries_visible_to
from .services import access_record, access_refused_record


class Access(enum.IntEnum):
    """What a view needs. Each level is granted separately (see `granted_access`)."""

    VIEW = 1  # anyone who can see the case
    EDIT = 2  # the case team (case manager and MDT members) and supervisors
    MANAGE = 3  # the case manager and supervisors: stage, team, closure, profile
    SUPERVISE = 4  # supervisors of the case's organisation: the access log
    # Logging a contact: whoever may EDIT, and a colleague with emergency access, so that
    # the crisis call or visit that made them open the file is on record.
    CONTACT = 5


def granted_access(user: User, beneficiary: Beneficiary) -> set[Access]:
    """The levels a user holds on a case fetched by `get_beneficiary_for`.

    That fetch annotates `my_role` and `my_discipline`: the user's place on the case team.
    """
    my_role = viewer_role(beneficiary)
    supervises = user.supervises(beneficiary.organisation_id)
    granted = {Access.VIEW}
    if beneficiary.anonymised_on:  # what is left of an erased file is read-only
        return granted | ({Access.SUPERVISE} if supervises else set())
    if my_role or supervises or getattr(beneficiary, "emergency_until", None):
        granted.add(Access.CONTACT)
    if my_role or supervises:
        granted.add(Access.EDIT)
    if my_role == TeamRole.CASE_MANAGER or supervises:
        granted.add(Access.MANAGE)
    if supervises:
        granted.add(Access.SUPERVISE)
    return granted


def viewer_role(beneficiary: Beneficiary) -> str | None:
    """The viewer's role on the team of a case fetched by `get_beneficiary_for` (None: off it)."""
    return getattr(beneficiary, "my_role", None)


def viewer_discipline(beneficiary: Beneficiary) -> str | None:
    """The viewer's discipline on that team (None: off it)."""
    return getattr(beneficiary, "my_discipline", None)


def get_beneficiary_for(
    user: User, case_id: uuid.UUID, *, need: Access = Access.VIEW
) -> Beneficiary:
    """The case with this public id if the user may see it (else 404) and holds `need` (else 403)."""
    mine = TeamMembership.objects.filter(
        beneficiary=OuterRef("pk"), user=user, ended_on__isnull=True
    )
    emergency = EmergencyAccess.objects.filter(
        beneficiary=OuterRef("pk"), user=user, ends_at__gt=timezone.now()
    ).order_by("-ends_at")
    beneficiary = (
        beneficiaries_visible_to(user)
        .select_related("organisation")
        .annotate(
            my_role=Subquery(mine.values("role")[:1]),
            my_discipline=Subquery(mine.values("discipline")[:1]),
            # Until then: reading, and logging a contact (see `granted_access`).
            emergency_until=Subquery(emergency.values("ends_at")[:1]),
        )
        .filter(public_id=case_id)
        .first()
    )
    if beneficiary is None:
        raise Http404("No such case.")
    beneficiary.access = granted_access(user, beneficiary)
    # The same, by name, for templates: {% if beneficiary.can.manage %}
    beneficiary.can = {level.name.lower(): level in beneficiary.access for level in Access}
    if need not in beneficiary.access:
        raise PermissionDenied(gettext("Your role on this case does not allow this."))
    return beneficiary


CaseViewFunc = Callable[..., HttpResponse]


def case_view(
    need: Access, action: AccessAction = AccessAction.VIEW_PAGE
) -> Callable[[CaseViewFunc], CaseViewFunc]:
    """Decorate a view taking `(request, beneficiary, ...)` reached by a `<uuid:case_id>` URL.

    Reading and logging share one transaction: if the log row cannot be written, the
    page is not shown. Submissions are logged as changes, whatever the page.
    """

    def decorator(view: CaseViewFunc) -> CaseViewFunc:
        @wraps(view)
        @login_required
        def wrapped(
            request: AuthenticatedHttpRequest, case_id: uuid.UUID, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            # The page is logged by its URL's name, or by the view's where there is none.
            match = request.resolver_match
            what = match.url_name if match and match.url_name else view.__name__
            try:
                with transaction.atomic():
                    beneficiary = get_beneficiary_for(request.user, case_id, need=need)
                    access_record(
                        beneficiary=beneficiary,
                        user=request.user,
                        action=AccessAction.CHANGE if request.method == "POST" else action,
                        what=what,
                    )
                    return view(request, beneficiary, *args, **kwargs)
            except (Http404, PermissionDenied) as refusal:
                # On record, though the request's own writes were undone; the answer
                # stays the same, so it still says nothing of whether the case exists.
                status = 404 if isinstance(refusal, Http404) else 403
                access_refused_record(
                    user=request.user, asked_for=case_id, status=status, what=what
                )
                raise

        # Read by the access-matrix test, which refuses any case URL without it.
        wrapped.case_access = need  # type: ignore[attr-defined]  # mypy: no attributes on functions
        return wrapped

    return decorator
