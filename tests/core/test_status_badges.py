"""The status badges of case lists and the case file, from the facts they summarise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from core.templatetags.status_badges import assessment_badge, follow_up_badge, plan_badge
from monitoring.selectors import FollowUp
from plans.selectors import PlanSummary


@dataclass
class _Assessment:
    is_complete: bool = False
    completed_late: bool = False
    sections_touched: int = 0
    sections_done: int = 0
    sections_total: int = 8
    is_overdue: bool = False


def test_assessment_badges() -> None:
    assert assessment_badge(_Assessment()) == (
        '<span class="badge text-bg-light border">not started</span>'
    )
    assert assessment_badge(_Assessment(sections_touched=3, sections_done=2, is_overdue=True)) == (
        '<span class="badge text-bg-primary">in progress</span> '
        '<span class="small text-secondary">2/8 sections</span> '
        '<span class="badge text-bg-danger">overdue</span>'
    )
    assert assessment_badge(_Assessment(is_complete=True, completed_late=True)) == (
        '<span class="badge text-bg-success">complete</span> '
        '<span class="badge text-bg-warning">completed late</span>'
    )


def test_plan_badges() -> None:
    today = timezone.localdate()
    assert plan_badge(PlanSummary(None, "not_started", today, True)) == (
        '<span class="badge text-bg-light border">not started</span> '
        '<span class="badge text-bg-danger">overdue</span>'
    )
    assert plan_badge(PlanSummary(None, "awaiting_signatures", today, False)) == (
        '<span class="badge text-bg-warning">awaiting signatures</span>'
    )


def test_follow_up_badges() -> None:
    today = timezone.localdate()
    assert follow_up_badge(FollowUp(7, today, today - timedelta(days=1))) == (
        '<span class="badge text-bg-danger">overdue 1 day</span>'
    )
    assert "overdue 3 days" in follow_up_badge(FollowUp(7, today, today - timedelta(days=3)))
    assert "due today" in follow_up_badge(FollowUp(7, today, today))
    soon = today + timedelta(days=2)
    assert follow_up_badge(FollowUp(7, today, soon)) == (
        f'<span class="badge text-bg-info">due {soon:%a %d %b}</span>'
    )
    later = today + timedelta(days=20)
    assert follow_up_badge(FollowUp(30, today, later)) == (
        f'<span class="small">due {later:%d %b}</span>'
    )
    assert "no monitoring" in follow_up_badge(FollowUp(None, None, None))
