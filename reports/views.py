"""The reports page and its CSV exports: supervisors only, their own organisation's figures."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from accounts.decorators import supervisor_page
from accounts.http import OrganisationHttpRequest
from core import charts
from core.forms import period_from
from monitoring.trends import overdue_chart, overdue_trend

from . import breakdowns, exports, tables

REPORT_DEFAULT_DAYS = 365


@require_safe
@supervisor_page
def report(request: OrganisationHttpRequest) -> HttpResponse:
    organisation_id = request.user.organisation_id
    start, end, period_form = period_from(request, REPORT_DEFAULT_DAYS)
    report_tables = tables.build(organisation_id, start, end)
    outcome_table = next(t for t in report_tables if t.key == "outcomes")
    trend_title, trend_chart = overdue_chart(overdue_trend(organisation_id, start, end))
    context = {
        "tables": report_tables,
        "period_form": period_form,
        "start": start,
        "end": end,
        "period_query": f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}",
        "threshold": settings.REPORT_MIN_COUNT,
        "min_group": settings.EXPORT_MIN_GROUP,
        "stage_chart": charts.bars(
            gettext("Active cases by stage"), tables.stage_distribution(organisation_id)
        ),
        "trend_title": trend_title,
        "trend_chart": trend_chart,
        "outcome_chart": charts.paired_bars(
            gettext("Average outcome score, first and latest assessment"),
            [
                (
                    row[0],
                    _both(row[1], row[4], row[3], row[6]),
                    _both(row[2], row[5], row[3], row[6]),
                )
                for row in outcome_table.rows
            ],
            (gettext("First"), gettext("Latest")),
            top=5,
        ),
    }
    return render(request, "reports/reports.html", context)


def _both(active: float | None, closed: float | None, n_active: int, n_closed: int) -> float | None:
    """The average over active and closed people together, from the two group averages."""
    total = n_active + n_closed
    if not total:
        return None
    return round(((active or 0) * n_active + (closed or 0) * n_closed) / total, 1)


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@supervisor_page
def report_export(request: OrganisationHttpRequest, key: str) -> HttpResponse:
    start, end, _ = period_from(request, REPORT_DEFAULT_DAYS)
    table = next(
        (t for t in tables.build(request.user.organisation_id, start, end) if t.key == key), None
    )
    if table is None:
        raise Http404(gettext("No such report."))
    text = exports.report_csv(
        table=table, threshold=settings.REPORT_MIN_COUNT, actor=request.user, start=start, end=end
    )
    return _csv_response(text, f"report-{key}-{start:%Y%m%d}-{end:%Y%m%d}.csv")


@require_safe
@supervisor_page
def cases_export(request: OrganisationHttpRequest) -> HttpResponse:
    text = exports.deidentified_cases_csv(actor=request.user)
    return _csv_response(text, f"cases-deidentified-{timezone.localdate():%Y%m%d}.csv")


@require_safe
@supervisor_page
def outcome_breakdowns(request: OrganisationHttpRequest) -> HttpResponse:
    """Who is doing better, in which domain: the change in outcome scores by group."""
    start, end, period_form = period_from(request, REPORT_DEFAULT_DAYS)
    by, breakdown_form = breakdowns.breakdown_from(request.GET)
    groups = breakdowns.build(request.user.organisation_id, start, end, by)
    threshold = settings.REPORT_MIN_COUNT
    rows = breakdowns.page_rows(groups, threshold)
    sections, reach = breakdowns.chart_sections(rows, groups, threshold)
    title = str(breakdowns.TITLES[by])
    context = {
        "period_form": period_form,
        "breakdown_form": breakdown_form,
        "title": title,
        "groups": groups,
        "rows": rows,
        "chart": charts.change_bars(
            title, sections, reach, (gettext("doing worse"), gettext("doing better"))
        ),
        "start": start,
        "end": end,
        "export_query": f"by={by}&start={start:%Y-%m-%d}&end={end:%Y-%m-%d}",
        "threshold": threshold,
        "note": breakdowns.NOTE,
    }
    return render(request, "reports/breakdowns.html", context)


@require_safe
@supervisor_page
def outcome_breakdowns_export(request: OrganisationHttpRequest) -> HttpResponse:
    start, end, _ = period_from(request, REPORT_DEFAULT_DAYS)
    by, form = breakdowns.breakdown_from(request.GET)
    if form.errors:
        raise Http404(gettext("No such breakdown."))
    groups = breakdowns.build(request.user.organisation_id, start, end, by)
    text = exports.breakdown_csv(
        table=breakdowns.table(by, groups),
        threshold=settings.REPORT_MIN_COUNT,
        actor=request.user,
        start=start,
        end=end,
    )
    return _csv_response(text, f"outcome-change-by-{by}-{start:%Y%m%d}-{end:%Y%m%d}.csv")
