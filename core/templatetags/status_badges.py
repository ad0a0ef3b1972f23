"""Status badges shown in every case list and on the case file.

Written in Python rather than as included templates: a caseload page shows three per row,
and an include costs more than the rest of the row.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import pluralize
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _badge(style: str, text: str) -> SafeString:
    return format_html('<span class="badge {}">{}</span>', style, text)


@register.simple_tag
def assessment_badge(assessment: Any) -> SafeString:
    """An assessment annotated by `assessments.selectors.with_progress`."""
    if assessment.is_complete:
        parts = [_badge("text-bg-success", "complete")]
        if assessment.completed_late:
            parts.append(_badge("text-bg-warning", "completed late"))
    elif assessment.sections_touched:
        parts = [
            _badge("text-bg-primary", "in progress"),
            format_html(
                '<span class="small text-secondary">{}/{} sections</span>',
                assessment.sections_done,
                assessment.sections_total,
            ),
        ]
    else:
        parts = [_badge("text-bg-light border", "not started")]
    if assessment.is_overdue:
        parts.append(_badge("text-bg-danger", "overdue"))
    return _joined(parts)


PLAN_BADGES = {
    "signed": ("text-bg-success", "signed"),
    "awaiting_signatures": ("text-bg-warning", "awaiting signatures"),
    "draft": ("text-bg-primary", "draft"),
}


@register.simple_tag
def plan_badge(plan: Any) -> SafeString:
    """A `plans.selectors.PlanSummary`."""
    parts = [_badge(*PLAN_BADGES.get(plan.status, ("text-bg-light border", "not started")))]
    if plan.overdue:
        parts.append(_badge("text-bg-danger", "overdue"))
    return _joined(parts)


@register.simple_tag
def follow_up_badge(follow_up: Any) -> SafeString:
    """A `monitoring.selectors.FollowUp`: when the next contact is due."""
    state = follow_up.state
    if state == "overdue":
        days = follow_up.days_overdue
        return _badge("text-bg-danger", f"overdue {days} day{pluralize(days)}")
    if state == "today":
        return _badge("text-bg-warning", "due today")
    if state == "week":
        return _badge("text-bg-info", f"due {date_format(follow_up.due_on, 'D d M')}")
    if state == "later":
        return format_html(
            '<span class="small">due {}</span>', date_format(follow_up.due_on, "d M")
        )
    return format_html('<span class="small text-secondary">{}</span>', "no monitoring")


def _joined(parts: list[SafeString]) -> SafeString:
    return format_html_join(" ", "{}", ((part,) for part in parts))
