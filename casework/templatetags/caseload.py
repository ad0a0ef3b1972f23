"""The caseload's rows, written out in Python (`core.rows`).

The caseload is the most visited page. Written as a template, its 25 rows cost most of the
page's time in tags, translations and badges rather than in their data. Here one tag per
row fills in a row pattern (the column labels already in it) made, with the other labels,
badges and addresses, once per process and language; what many rows share (badges, dates)
is worked out once per page and reused. What comes from the cases is kept for this one
rendering only: no case data outlives the request.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext

from cases.choices import Stage
from core.rows import STAND_IN, RowParts, parts_for, row_pattern
from core.rows import escaped as _e
from core.templatetags.status_badges import assessment_badge, follow_up_badge, plan_badge

register = template.Library()

# One row; `{label_…}` are the column labels, filled in once (`_row_pattern`), the rest
# (`{{…}}`) once per row. The assessment and flags cells may fold away on a narrow screen.
_ROW = (
    '<tr><td data-label="{label_case}"><a class="case-code" href="{{file_url}}">{{code}}</a></td>'
    '<td data-label="{label_name}">{{name}}</td>'
    '<td data-label="{label_stage}">{{stage}}{{longer}}</td>'
    '<td data-label="{label_status}">{{status}}</td>'
    '<td data-label="{label_case_manager}">{{case_managers}}</td>'
    '<td class="stack-optional" data-label="{label_assessment}">{{assessment}}</td>'
    '<td data-label="{label_plan}">{{plan}}</td>'
    '<td data-label="{label_next_contact}">{{follow_up}}{{log_contact}}</td>'
    '<td data-label="{label_admitted}">{{admitted}}</td>'
    '<td class="stack-optional" data-label="{label_flags}">{{flags}}</td></tr>'
)


def _row_pattern() -> str:
    labels = {
        "label_case": gettext("Case"),
        "label_name": gettext("Name"),
        "label_stage": gettext("Stage"),
        "label_status": gettext("Status"),
        "label_case_manager": gettext("Case manager"),
        "label_assessment": gettext("Assessment"),
        "label_plan": gettext("Plan"),
        "label_next_contact": gettext("Next contact"),
        "label_admitted": gettext("Admitted"),
        "label_flags": gettext("Flags"),
    }
    return row_pattern(_ROW, labels)


def _badge(style: str, text: str) -> SafeString:
    return format_html('<span class="badge {}">{}</span>', style, text)


class _Page(RowParts):
    """What the rows of one rendering of the caseload share: labels, badges and addresses
    (the same in every rendering in one language, see `_new_page`), and what `shared` makes
    of the rows' values."""

    def __init__(self) -> None:
        super().__init__()
        self.row = _row_pattern()
        self.file_url = reverse("casework:detail", args=[STAND_IN])
        self.contact_url = reverse("monitoring:contact_add", args=[STAND_IN])
        self.stages = {value: _e(label) for value, label in Stage.choices}
        self.hidden_name = format_html(
            '<span class="text-secondary" title="{}">—</span>',
            gettext("Names are shown to the case team only"),
        )
        self.longer = " " + _badge("text-bg-warning", gettext("longer than typical"))
        self.closed = _badge("text-bg-secondary", pgettext("case status", "Closed"))
        self.active = _e(pgettext("case status", "Active"))
        self.no_manager = format_html(
            '<span class="text-danger">{}</span>', pgettext("no case manager", "none")
        )
        self.flags = (
            _badge("text-bg-info", gettext("complex")),
            _badge("text-bg-primary", pgettext("badge: the beneficiary is a minor", "child")),
            _badge("text-bg-danger", gettext("high risk")),
            _badge("text-bg-danger", gettext("re-trafficking risk")),
        )
        # A trusted translation with markup, as `blocktranslate` treats it: only the code
        # (filled in for each row) is escaped.
        self.log_contact = gettext('log contact<span class="visually-hidden"> for %(code)s</span>')

    def day(self, day: date, format: str) -> str:
        return self.shared(("date", day, format), lambda: _e(date_format(day, format)))


@lru_cache(maxsize=32)
def _labelled_page(language: str, script_prefix: str) -> _Page:
    return _Page()


def _new_page() -> _Page:
    """A page for one rendering. Its labels, badges and addresses are made once per process
    and language (they depend on nothing else); what the rows share stays with the rendering."""
    return _labelled_page(get_language(), get_script_prefix()).for_rendering()


_PAGE = "casework.caseload_row"  # its `_Page`, kept in the template's render context


@register.simple_tag(takes_context=True)
def caseload_row(context: template.Context, case: Any) -> SafeString:
    """One caseload row (`casework.selectors.caseload_rows`, `attach_follow_ups`)."""
    page = parts_for(context, _PAGE, _new_page)
    public_id = str(case.public_id)
    closed = case.is_closed
    plan = case.plan_summary
    follow_up = case.follow_up
    row = page.row.format(
        file_url=page.file_url.replace(STAND_IN, public_id),
        code=_e(case.case_code),
        name=_e(case.full_name) if case.viewer_on_team else page.hidden_name,
        stage=page.stages.get(case.stage, _e(case.stage)),
        longer=page.longer if case.timeline.longer and not closed else "",
        status=page.closed if closed else page.active,
        case_managers=", ".join(map(_e, case.active_case_managers)) or page.no_manager,
        assessment=_assessment(page, case.current_assessment),
        plan=page.shared(("plan", plan.status, plan.overdue), lambda: plan_badge(plan)),
        follow_up=page.shared(
            ("follow-up", follow_up.due_on, follow_up.closer_until, follow_up.interval_days),
            lambda: follow_up_badge(follow_up),
        ),
        log_contact=_log_contact(page, case, public_id)
        if case.viewer_on_team and not closed
        else "",
        admitted=page.day(case.admitted_on, "d M Y"),
        flags=" ".join(
            flag
            for flag, shown in zip(
                page.flags,
                (case.is_complex, case.is_minor, case.security_risk == "high", case.at_risk),
                strict=True,
            )
            if shown
        ),
    )
    return mark_safe(row)  # noqa: S308 - every value above is escaped or built by format_html


def _assessment(page: _Page, assessment: Any) -> str:
    if assessment is None:
        return ""
    complete = assessment.is_complete
    key = (
        "assessment",
        complete,
        complete and assessment.completed_late,
        assessment.sections_touched,
        assessment.sections_done,
        assessment.sections_total,
        assessment.is_overdue,
    )
    badge = page.shared(key, lambda: assessment_badge(assessment))
    if complete:
        return badge
    due = page.shared(
        ("due", assessment.due_on),
        lambda: _e(gettext("due %(date)s") % {"date": date_format(assessment.due_on, "d M")}),
    )
    return f'{badge}<div class="small text-secondary">{due}</div>'


def _log_contact(page: _Page, case: Any, public_id: str) -> str:
    text = page.log_contact % {"code": _e(case.case_code)}
    url = page.contact_url.replace(STAND_IN, public_id)
    return f'\n        <a class="small d-block" href="{url}">{text}</a>'
