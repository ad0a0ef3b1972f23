"""The rows of *My follow-ups*, written out in Python (`core.rows`): a case worker opens
the page many times a day, and written as a template its fifty rows cost most of its time in
tags, includes and translations rather than in their data."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.rows import STAND_IN, RowParts, parts_for, row_pattern
from core.rows import escaped as _e
from core.templatetags.status_badges import follow_up_badge

register = template.Library()

# `{label_…}` and `{text_…}` are filled in once per page, the rest (`{{…}}`) once per row.
_ROW = (
    '<tr class="{{overdue}}">'
    '<td data-label="{label_case}"><a class="case-code" href="{{file_url}}">{{code}}</a></td>'
    '<td data-label="{label_name}">{{name}}{{at_risk}}'
    '<div class="small text-body-secondary mt-1">'
    '<span class="visually-hidden">{text_instructions} </span>'
    '<span class="text-nowrap{{call_warning}}">{text_call} {{call}}</span> · '
    '<span class="text-nowrap{{visit_warning}}">{text_visits} {{visits}}</span>'
    "{{who_may_answer}}{{safe_times}}{{notes}}</div></td>"
    '<td data-label="{label_next}">{{follow_up}}</td>'
    '<td data-label="{label_last}">{{last_contact}}</td>'
    '<td><a class="btn btn-sm btn-primary" href="{{contact_url}}">{text_log}'
    '<span class="visually-hidden"> {{for_code}}</span></a></td></tr>'
)


def _row_pattern() -> str:
    words = {
        "label_case": gettext("Case"),
        "label_name": gettext("Name"),
        "label_next": gettext("Next contact"),
        "label_last": gettext("Last contact"),
        "text_instructions": gettext("Safe-contact instructions:"),
        "text_call": gettext("safe to call:"),
        "text_visits": gettext("home visits:"),
        "text_log": gettext("Log contact"),
    }
    return row_pattern(_ROW, words)


class _Page(RowParts):
    """What the rows of one rendering share."""

    def __init__(self) -> None:
        super().__init__()
        self.row = _row_pattern()
        self.file_url = reverse("casework:detail", args=[STAND_IN])
        self.contact_url = reverse("monitoring:contact_add", args=[STAND_IN])
        self.at_risk = format_html(
            ' <span class="badge text-bg-danger">{}</span>', gettext("re-trafficking risk")
        )
        self.none_yet = _e(gettext("none yet"))
        self.may_answer = " · " + _e(gettext("may answer:")) + " "
        self.safe_times = " · " + _e(gettext("safe times:")) + " "
        self.for_code = gettext("for %(code)s")


_PAGE = "monitoring.follow_up_row"  # its `_Page`, kept in the template's render context
_WARNING = " fw-semibold text-danger-emphasis"  # an answer of "no" stands out


@register.simple_tag(takes_context=True)
def follow_up_row(context: template.Context, case: Any) -> SafeString:
    """One row of My follow-ups (`monitoring.selectors.follow_up_rows`)."""
    page = parts_for(context, _PAGE, _Page)
    public_id = str(case.public_id)
    follow_up = case.follow_up
    last_on = follow_up.last_contact_on
    code = _e(case.case_code)
    row = page.row.format(
        overdue="table-danger" if follow_up.state == "overdue" else "",
        file_url=page.file_url.replace(STAND_IN, public_id),
        code=code,
        name=_e(case.full_name),
        at_risk=page.at_risk if case.at_risk else "",
        call_warning=_WARNING if case.safe_to_call == "no" else "",
        call=_e(case.safe_to_call_label),
        visit_warning=_WARNING if case.home_visits_allowed == "no" else "",
        visits=_e(case.home_visits_allowed_label),
        who_may_answer=page.may_answer + _e(case.who_may_answer) if case.who_may_answer else "",
        safe_times=page.safe_times + _e(case.safe_times) if case.safe_times else "",
        notes=f"<div>{linebreaksbr(case.safe_contact_notes, autoescape=True)}</div>"
        if case.safe_contact_notes
        else "",
        follow_up=page.shared(
            ("follow-up", follow_up.due_on, follow_up.closer_until, follow_up.interval_days),
            lambda: follow_up_badge(follow_up),
        ),
        last_contact=page.shared(("last", last_on), lambda: _e(date_format(last_on, "d M Y")))
        if last_on
        else page.none_yet,
        contact_url=page.contact_url.replace(STAND_IN, public_id),
        for_code=_e(page.for_code % {"code": case.case_code}),
    )
    return mark_safe(row)  # noqa: S308 - every value above is escaped or built by format_html
