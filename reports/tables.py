"""Reports for the organisation and its funders: figures over a period, as uniform tables.

Every table is rows of a label and numbers, so the page, the charts and the CSV export
read the same figures. Exports suppress small counts (settings.REPORT_MIN_COUNT): a count
of one or two people can identify them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from statistics import mean, median
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Q
from django.utils import dateformat
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from assessments.choices import OutcomeDomain
from assessments.models import OutcomeScore
from cases.choices import (
    CaseStatus,
    ClosureReason,
    DeclineScope,
    ExploitationForm,
    ProceedingKind,
    ProceedingOutcome,
    RiskIndicator,
    SetbackCategory,
    Sex,
    Stage,
)
from cases.models import (
    ADULT_AGE,
    AssistanceDecline,
    Beneficiary,
    Closure,
    CrisisAlarm,
    LegalProceeding,
    RiskFlag,
    Setback,
    age_on,
)
from directory.choices import ServiceDomain
from referrals.choices import ReferralStatus, UnmetBarrier
from referrals.models import Referral, UnmetNeed
from supervision.models import Complaint, ComplaintStatus, ComplaintSubject

from . import indicators
from .table import Table

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _counts_table(
    key: str,
    title: StrOrPromise,
    heading: StrOrPromise,
    counts: Counter,
    choices: Any,
    note: StrOrPromise = "",
) -> Table:
    rows = [[label, counts.get(value, 0)] for value, label in choices.choices]
    return Table(key, title, [heading, _("Cases")], rows, note)


def _cross_table(
    key: str,
    title: StrOrPromise,
    rows_choices: Any,
    cols_choices: Any,
    counts: Counter,
    note: StrOrPromise = "",
) -> Table:
    headers: list[StrOrPromise] = ["", *cols_choices.labels, _("Total")]
    rows = []
    for value, label in rows_choices.choices:
        cells = [counts.get((value, col), 0) for col in cols_choices.values]
        rows.append([label, *cells, sum(cells)])
    totals = [sum(row[i] for row in rows) for i in range(1, len(headers))]
    return Table(key, title, headers, [*rows, [_("Total"), *totals]], note)


def _closed_at(closures: list[tuple[date, date | None]], on: date) -> bool:
    return any(
        closed <= on and (reopened is None or reopened > on) for closed, reopened in closures
    )


def build(organisation_id: int, start: date, end: date) -> list[Table]:
    """All the tables of the report for one organisation and period (dates inclusive)."""
    cases = Beneficiary.objects.filter(organisation_id=organisation_id)
    closures = Closure.objects.filter(beneficiary__organisation_id=organisation_id)
    by_case: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for case_id, closed, reopened in closures.values_list(
        "beneficiary_id", "closed_on", "reopened_on"
    ):
        by_case[case_id].append((closed, reopened))
    known = cases.filter(admitted_on__lte=end).values_list("pk", flat=True)
    active_at_end = sum(1 for pk in known if not _closed_at(by_case[pk], end))

    admitted = list(
        cases.filter(admitted_on__gte=start, admitted_on__lte=end).values_list(
            "sex", "date_of_birth", "admitted_on", "exploitation_forms"
        )
    )
    closed_in = Counter(
        closures.filter(closed_on__gte=start, closed_on__lte=end).values_list("reason", flat=True)
    )
    declines = Counter(
        AssistanceDecline.objects.filter(
            beneficiary__organisation_id=organisation_id,
            declined_on__gte=start,
            declined_on__lte=end,
        ).values_list("scope", flat=True)
    )
    movement = Table(
        "movement",
        _("Caseload over the period"),
        ["", _("Cases")],
        [
            [_("Admitted"), len(admitted)],
            [
                gettext("Active on %(date)s") % {"date": dateformat.format(end, "d M Y")},
                active_at_end,
            ],
            [_("Closed"), sum(closed_in.values())],
            [
                _("Reopened (returns)"),
                closures.filter(reopened_on__gte=start, reopened_on__lte=end).count(),
            ],
            [_("Declined all assistance"), declines.get(DeclineScope.FULL, 0)],
            [_("Declined part of the assistance"), declines.get(DeclineScope.PARTIAL, 0)],
        ],
    )

    ages = Counter(
        "unknown"
        if born is None
        else ("child" if age_on(born, admitted_on) < ADULT_AGE else "adult")
        for _sex, born, admitted_on, _forms in admitted
    )
    forms = Counter(form for *_others, chosen in admitted for form in chosen)

    setbacks = Counter(
        Setback.objects.filter(
            beneficiary__organisation_id=organisation_id,
            occurred_on__gte=start,
            occurred_on__lte=end,
        ).values_list("category", flat=True)
    )
    referrals = Counter(
        Referral.objects.filter(
            beneficiary__organisation_id=organisation_id,
            created_at__date__gte=start,
            created_at__date__lte=end,
        ).values_list("domain", "status")
    )
    unmet = Counter(
        UnmetNeed.objects.filter(
            beneficiary__organisation_id=organisation_id,
            recorded_on__gte=start,
            recorded_on__lte=end,
        ).values_list("domain", "barrier")
    )
    complaints = Counter(
        Complaint.objects.filter(
            organisation_id=organisation_id, received_on__gte=start, received_on__lte=end
        ).values_list("subject", "status")
    )
    return [
        movement,
        _counts_table("closures", _("Closed, by reason"), _("Reason"), closed_in, ClosureReason),
        _counts_table(
            "sex", _("Admissions by sex"), _("Sex"), Counter(s for s, *_rest in admitted), Sex
        ),
        Table(
            "age",
            _("Admissions by age at admission"),
            [_("Age group"), _("Cases")],
            [
                [_("Child (under 18)"), ages["child"]],
                [_("Adult"), ages["adult"]],
                [_("Not known"), ages["unknown"]],
            ],
        ),
        _counts_table(
            "exploitation",
            _("Admissions by form of exploitation"),
            pgettext_lazy("form of exploitation", "Form"),
            forms,
            ExploitationForm,
            note=_(
                "A person may have been exploited in more than one way: the rows add up to more "
                "than the admissions."
            ),
        ),
        outcomes(organisation_id, end),
        indicators.goals_by_indicator(organisation_id, start, end),
        _counts_table(
            "setbacks", _("Setbacks by category"), _("Category"), setbacks, SetbackCategory
        ),
        crisis_alarms(organisation_id, start, end),
        risk_flags(organisation_id, start, end),
        legal_outcomes(organisation_id, start, end),
        _cross_table(
            "referrals",
            _("Referrals made in the period, by area of need and status now"),
            ServiceDomain,
            ReferralStatus,
            referrals,
        ),
        _cross_table(
            "unmet",
            _("Unmet needs recorded in the period, by area of need and barrier"),
            ServiceDomain,
            UnmetBarrier,
            unmet,
        ),
        _cross_table(
            "complaints",
            _("Complaints and feedback received in the period, by subject and status now"),
            ComplaintSubject,
            ComplaintStatus,
            complaints,
            note=_("Named and anonymous together."),
        ),
    ]


def crisis_alarms(organisation_id: int, start: date, end: date) -> Table:
    """Alarms raised in the period by the setback's category, and how fast they were answered."""
    raised: dict[str, list[float | None]] = defaultdict(list)
    for category, raised_at, acknowledged_at in CrisisAlarm.objects.filter(
        beneficiary__organisation_id=organisation_id,
        raised_at__date__gte=start,
        raised_at__date__lte=end,
    ).values_list("setback__category", "raised_at", "acknowledged_at"):
        hours = (acknowledged_at - raised_at).total_seconds() / 3600 if acknowledged_at else None
        raised[category].append(hours)

    def row(label: StrOrPromise, waits: list[float | None]) -> list[Any]:
        answered = sorted(hours for hours in waits if hours is not None)
        middle = round(median(answered), 1) if answered else None
        within_a_day = sum(1 for hours in answered if hours <= HOURS_IN_A_DAY)
        return [label, len(waits), len(answered), within_a_day, middle]

    rows = [row(label, raised[value]) for value, label in SetbackCategory.choices]
    everything = [hours for waits in raised.values() for hours in waits]
    return Table(
        "crisis_alarms",
        _("Crisis alarms raised in the period, and how fast they were acknowledged"),
        [
            _("Category of the setback"),
            _("Alarms"),
            _("Acknowledged"),
            _("Within a day"),
            _("Median hours to acknowledge"),
        ],
        [*rows, row(_("Total"), everything)],
        note=_("An alarm is raised by a critical setback or a sign of danger."),
        averages_counted_in={4: 2},
    )


HOURS_IN_A_DAY = 24


def risk_flags(organisation_id: int, start: date, end: date) -> Table:
    """Re-trafficking risks raised in the period, by sign; cleared; still raised at its end."""
    flags = RiskFlag.objects.filter(beneficiary__organisation_id=organisation_id)
    raised = list(
        flags.filter(raised_on__gte=start, raised_on__lte=end).values_list("indicators", flat=True)
    )
    signs = Counter(sign for chosen in raised for sign in chosen)
    rows = [[label, signs.get(value, 0)] for value, label in RiskIndicator.choices]
    cleared = flags.filter(cleared_on__gte=start, cleared_on__lte=end).count()
    open_at_end = (
        flags.filter(raised_on__lte=end)
        .filter(Q(cleared_on__isnull=True) | Q(cleared_on__gt=end))
        .count()
    )
    return Table(
        "risk_flags",
        _("Re-trafficking risk flags"),
        ["", _("Flags")],
        [
            [_("Raised in the period"), len(raised)],
            *[[gettext("… with the sign: %(sign)s") % {"sign": label}, n] for label, n in rows],
            [_("Cleared in the period"), cleared],
            [
                gettext("Still raised on %(date)s") % {"date": dateformat.format(end, "d M Y")},
                open_at_end,
            ],
        ],
        note=_("A flag may show more than one sign: the signs add up to more than the flags."),
    )


def legal_outcomes(organisation_id: int, start: date, end: date) -> Table:
    """Legal proceedings under way at some time in the period (started by its end, and no
    outcome before its start), by kind and by their outcome at its end, with how many of
    them brought the person compensation. Counts only: nothing of the authority, the
    reference or the amounts."""
    rows = LegalProceeding.objects.filter(
        beneficiary__organisation_id=organisation_id, started_on__lte=end
    ).filter(Q(outcome_on__isnull=True) | Q(outcome_on__gte=start))
    counts: Counter[tuple[str, str]] = Counter()
    compensated: Counter[str] = Counter()
    for kind, outcome, outcome_on, received in rows.values_list(
        "kind", "outcome", "outcome_on", "compensation_received"
    ):
        # An outcome after the period was still to come at its end.
        known = outcome_on is not None and outcome_on <= end
        counts[(kind, outcome if known else ProceedingOutcome.PENDING)] += 1
        if received:
            compensated[kind] += 1
    table_rows: list[list[Any]] = []
    numbers: list[list[int]] = []
    for kind, label in ProceedingKind.choices:
        cells = [counts.get((kind, outcome), 0) for outcome in ProceedingOutcome.values]
        numbers.append([*cells, sum(cells), compensated.get(kind, 0)])
        table_rows.append([label, *numbers[-1]])
    totals = [sum(column) for column in zip(*numbers, strict=True)]
    return Table(
        "legal_outcomes",
        _("Legal proceedings under way in the period, by kind and outcome at its end"),
        ["", *ProceedingOutcome.labels, _("Total"), _("Compensation received")],
        [*table_rows, [_("Total"), *totals]],
        note=_(
            "Proceedings started by the end of the period whose outcome did not come before "
            "it. The last column counts those in which the person received compensation."
        ),
    )


def outcomes(organisation_id: int, end: date) -> Table:
    """Average outcome score (1-5) at the first and the latest scored assessment, of the
    people assessed at least twice by the end of the period, active and closed apart."""
    scores = OutcomeScore.objects.filter(
        assessment__beneficiary__organisation_id=organisation_id,
        assessment__completed_on__isnull=False,
        assessment__completed_on__lte=end,
    ).values_list(
        "assessment__beneficiary_id",
        "assessment__beneficiary__status",
        "domain",
        "score",
        "assessment__completed_on",
        "assessment_id",
    )
    series: dict[tuple[int, str, str], list[tuple[date, int, int]]] = defaultdict(list)
    for case, status, domain, score, completed, assessment in scores:
        # The filter leaves out assessments not completed.
        series[(case, status, domain)].append((cast(date, completed), assessment, score))
    pairs: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for (_case, status, domain), points in series.items():
        if len(points) >= 2:
            points.sort()
            pairs[(status, domain)].append((points[0][2], points[-1][2]))

    def cells(status: str, domain: str) -> list[Any]:
        found = pairs.get((status, domain), [])
        if not found:
            return [None, None, 0]
        return [
            round(mean(first for first, _latest in found), 1),
            round(mean(latest for _first, latest in found), 1),
            len(found),
        ]

    rows = [
        [label, *cells(CaseStatus.ACTIVE, value), *cells(CaseStatus.CLOSED, value)]
        for value, label in OutcomeDomain.choices
    ]
    return Table(
        "outcomes",
        _("Outcome scores: first and latest assessment (average, 1 to 5)"),
        [
            _("Area"),
            _("Active: first"),
            _("Active: latest"),
            _("Active: people"),
            _("Closed: first"),
            _("Closed: latest"),
            _("Closed: people"),
        ],
        rows,
        note=_("People assessed at least twice by the end of the period."),
        averages_counted_in={1: 3, 2: 3, 4: 6, 5: 6},
    )


def stage_distribution(organisation_id: int) -> list[tuple[StrOrPromise, int]]:
    counts = Counter(
        Beneficiary.objects.filter(
            organisation_id=organisation_id, status=CaseStatus.ACTIVE
        ).values_list("stage", flat=True)
    )
    return [(label, counts.get(value, 0)) for value, label in Stage.choices]
