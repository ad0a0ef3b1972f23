"""Status badges shown in every case list and on the case file.

Written in Python rather than as included templates: a caseload page shows three per row,
and an include costs more than the rest of the row.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy

register = template.Library()


def _badge(style: str, text: Any) -> SafeString:
    return format_html('<span class="badge {}">{}</span>', style, text)


@register.simple_tag
def assessment_badge(assessment: Any) -> SafeString:
    """An assessment annotated by `assessments.selectors.with_progress`."""
    if assessment.is_complete:
        parts = [_badge("text-bg-success", pgettext("assessment", "complete"))]
        if assessment.completed_late:
            parts.append(_badge("text-bg-warning", gettext("completed late")))
    elif assessment.sections_touched:
        parts = [
            _badge("text-bg-primary", gettext("in progress")),
            format_html(
                '<span class="small text-secondary">{}</span>',
                gettext("%(done)d/%(total)d sections")
                % {"done": assessment.sections_done, "total": assessment.sections_total},
            ),
        ]
    else:
        parts = [_badge("text-bg-light border", gettext("not started"))]
    if assessment.is_overdue:
        parts.append(_badge("text-bg-danger", gettext("overdue")))
    return _joined(parts)


PLAN_BADGES = {
    "signed": ("text-bg-success", pgettext_lazy("plan", "signed")),
    "awaiting_signatures": ("text-bg-warning", pgettext_lazy("plan", "awaiting signatures")),
    "draft": ("text-bg-primary", pgettext_lazy("plan", "draft")),
}


@register.simple_tag
def plan_badge(plan: Any) -> SafeString:
    """A `plans.selectors.PlanSummary`."""
    parts = [
        _badge(*PLAN_BADGES.get(plan.status, ("text-bg-light border", gettext("not started"))))
    ]
    if plan.overdue:
        parts.append(_badge("text-bg-danger", gettext("overdue")))
    return _joined(parts)


@register.simple_tag
def follow_up_badge(follow_up: Any) -> SafeString:
    """A `monitoring.selectors.FollowUp`: when the next contact is due, and whether a crisis
    alarm keeps it closer than usual for now."""
    due = _due_badge(follow_up)
    if not follow_up.closer_until:
        return due
    closer = ngettext(
        "after a crisis alarm: every %(days)d day until %(date)s",
        "after a crisis alarm: every %(days)d days until %(date)s",
        follow_up.interval_days,
    ) % {"days": follow_up.interval_days, "date": date_format(follow_up.closer_until, "d M")}
    return format_html('{} <span class="badge text-bg-dark text-wrap">{}</span>', due, closer)


def _due_badge(follow_up: Any) -> SafeString:
    state = follow_up.state
    if state == "overdue":
        days = follow_up.days_overdue
        text = ngettext("overdue %(days)d day", "overdue %(days)d days", days) % {"days": days}
        return _badge("text-bg-danger", text)
    if state == "today":
        return _badge("text-bg-warning", gettext("due today"))
    if state == "week":
        day = date_format(follow_up.due_on, "D d M")
        return _badge("text-bg-info", gettext("due %(day)s") % {"day": day})
    if state == "later":
        day = date_format(follow_up.due_on, "d M")
        return format_html('<span class="small">{}</span>', gettext("due %(day)s") % {"day": day})
    return format_html('<span class="small text-secondary">{}</span>', gettext("no monitoring"))


def _joined(parts: list[SafeString]) -> SafeString:
    return format_html_join(" ", "{}", ((part,) for part in parts))
