"""Each person's notifications: the inbox, grouped by case and kind, and marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest

from . import selectors, services
from .forms import InboxFilterForm, MarkReadForm

INBOX_PAGE_SIZE = 25  # groups per page


@require_safe
@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET)
    groups = selectors.inbox_groups(request.user, **form.filters())
    page = Paginator(groups, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.inbox_rows(request.user, list(page))
    for group in page:
        group["rows"] = rows.get((group["beneficiary_id"], group["kind"]), [])
    query = _query(request.GET)
    context = {"form": form, "page": page, "query": query, "filtered": bool(query)}
    return render(request, "notifications/inbox.html", context)


@require_POST
@login_required
def mark_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark one notification (`id`), one group (`kind` and `case`) or all of the user's read;
    back to the inbox as it was filtered (`return`). A value someone made up marks nothing."""
    form = MarkReadForm(request.POST)
    if form.is_valid():
        services.notifications_mark_read(
            recipient=request.user,
            notification_id=form.cleaned_data["id"],
            kind=form.cleaned_data["kind"],
            case_id=form.cleaned_data["case"],
        )
    query = _query(QueryDict(request.POST.get("return", "")))
    return redirect(reverse("notifications:inbox") + (f"?{query}" if query else ""))


def _query(params: QueryDict) -> str:
    """The inbox's valid filters as a query string (for the pager and the way back)."""
    filters = InboxFilterForm(params).filters()
    names = {"timing": "timing", "kind": "kind", "case_code": "case"}
    return urlencode({names[key]: value for key, value in filters.items() if value})
