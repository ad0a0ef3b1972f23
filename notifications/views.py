"""Each person's notifications: the inbox, and marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest


@require_safe
@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = request.user.notifications.select_related("beneficiary")[:200]
    return render(request, "notifications/inbox.html", {"rows": rows})


@require_POST
@login_required
def mark_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark one notification (`id` in the form) or all of the user's as read."""
    unread = request.user.notifications.filter(read_at__isnull=True)
    if notification_id := request.POST.get("id"):
        unread = unread.filter(pk=notification_id) if notification_id.isdigit() else unread.none()
    unread.update(read_at=timezone.now())
    return redirect("notifications:inbox")
