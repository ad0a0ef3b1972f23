from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .models import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to their own work after login."""
    role = request.user.role
    if role == Role.ADMINISTRATOR:
        return render(request, "accounts/administrator_home.html")
    if role in {Role.CASE_WORKER, Role.MDT_MEMBER}:
        return redirect("/cases/?mine=1")
    return redirect("monitoring:supervision")


@require_POST
@login_required
def still_here(request: HttpRequest) -> HttpResponse:
    """Typing in a form is activity too: the page says so before the idle timeout ends the login.

    The session middleware notes the activity; there is nothing else to do.
    """
    return HttpResponse(status=204)
