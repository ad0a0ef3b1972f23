"""The caseload review's pictures over its period: cases falling behind on follow-up contact,
and each case manager's caseload, drawn small enough to compare the workers at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from accounts.models import User
from core import charts
from monitoring.trends import caseload_trend, overdue_chart, overdue_trend, period_label


@dataclass(frozen=True)
class WorkerLine:
    worker: User
    first: int
    last: int
    chart: SafeString


@dataclass(frozen=True)
class Pictures:
    overdue_title: str
    overdue_chart: SafeString
    caseload_title: str
    workers: list[WorkerLine]


def pictures(organisation_id: int, start: date, end: date) -> Pictures:
    overdue_title, overdue = overdue_chart(overdue_trend(organisation_id, start, end))
    caseload = caseload_trend(organisation_id, start, end)
    labels = [
        period_label(when, caseload.monthly, i == 0).replace("\n", " ")
        for i, when in enumerate(caseload.periods)
    ]
    top = max((max(row.counts) for row in caseload.workers), default=0)
    workers = []
    for row in caseload.workers:
        title = gettext("Active cases of %(worker)s: %(counts)s") % {
            "worker": row.worker,
            "counts": "; ".join(
                f"{label}: {n}" for label, n in zip(labels, row.counts, strict=True)
            ),
        }
        chart = charts.sparkline(title, row.counts, top)
        workers.append(WorkerLine(row.worker, row.counts[0], row.counts[-1], chart))
    return Pictures(
        overdue_title=overdue_title,
        overdue_chart=overdue,
        caseload_title=(
            gettext("Active cases per case manager, at the end of each month")
            if caseload.monthly
            else gettext("Active cases per case manager, at the end of each week")
        ),
        workers=workers,
    )
