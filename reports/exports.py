"""CSV exports for funders: aggregate reports with small counts suppressed, and a
de-identified case list. Every export is logged (who, what, period, rows) before it is sent."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, IntegerField, Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from assessments.choices import AssessmentKind
from assessments.models import Assessment
from cases.choices import Stage
from cases.deadlines import first_plan_due, initial_assessment_due
from cases.models import Beneficiary, Closure, ExportLog, Setback, age_on
from cases.services import export_record
from core.anonymity import k_anonymise
from core.ids import export_ids
from monitoring.models import Contact
from monitoring.timeline import attach_timelines
from plans.models import PlanVersion
from referrals.models import Referral, UnmetNeed

from .deidentified import CASE_LIST_QUASI_IDENTIFIERS, forms_key
from .table import Table

if TYPE_CHECKING:
    from accounts.http import OrganisationStaff

AGE_BANDS = [(0, 11, "0-11"), (12, 17, "12-17"), (18, 24, "18-24"), (25, 34, "25-34"), (35, 49, "35-49"), (50, 200, "50+")]  # fmt: skip


def _csv(rows: list[list[Any]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


@transaction.atomic
def report_csv(
    *, table: Table, threshold: int, actor: OrganisationStaff, start: date, end: date
) -> str:
    rows = table.suppressed(threshold)
    # The export log is a record kept in English, whatever the language of the page.
    with translation.override("en-gb"):
        what = f"Report: {table.title}"
    ExportLog.objects.create(
        organisation_id=actor.organisation_id,
        user=actor,
        what=what,
        period_start=start,
        period_end=end,
        rows=len(rows),
    )
    note = [
        [
            gettext("Counts from 1 to %(highest)d are shown as <%(threshold)d.")
            % {"highest": threshold - 1, "threshold": threshold}
        ]
    ]
    period = gettext("%(start)s to %(end)s") % {
        "start": f"{start:%Y-%m-%d}",
        "end": f"{end:%Y-%m-%d}",
    }
    return _csv([[table.title], [period], table.headers, *rows, [], *note])


def breakdown_csv(
    *, table: Table, threshold: int, actor: OrganisationStaff, start: date, end: date
) -> str:
    """A table of averages by group (reports.breakdowns): exported, suppressed and logged as
    any report, and saying why some averages are blank and which people are counted."""
    text = report_csv(table=table, threshold=threshold, actor=actor, start=start, end=end)
    hidden = gettext("Averages of fewer than %(threshold)d people are left out.") % {
        "threshold": threshold
    }
    return text + _csv([[hidden], [str(table.note)]])


def age_band(born: date | None, on: date) -> str:
    if born is None:
        return gettext("not known")
    age = age_on(born, on)
    return next(
        (label for low, high, label in AGE_BANDS if low <= age <= high), gettext("not known")
    )


def _count(model: Any, path: str = "beneficiary", **conditions: Any) -> Coalesce:
    rows = (
        model.objects.filter(**{path: OuterRef("pk")}, **conditions)
        .values(path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


CASE_LIST_HEADERS = [
    "export_id", "status", "stage", "expected_stage", "admitted_quarter", "age_band_at_admission",
    "sex", "nationality", "region", "exploitation_forms", "complex_factors", "contacts_made",
    "assessment_within_14_days",
    "plan_signed_within_30_days", "setbacks", "referrals", "unmet_needs", "returns_after_closure",
    "closure_reason",
]  # fmt: skip


def _met(deadline_passed: bool, done_on: date | None, deadline: date) -> str:
    if done_on is not None and done_on <= deadline:
        return gettext("yes")
    return gettext("no") if deadline_passed else gettext("not yet due")


@transaction.atomic
def deidentified_cases_csv(*, actor: OrganisationStaff) -> str:
    """Every case of the organisation without names, contacts, addresses or case codes.

    Each row gets a random id valid for this export only, so two exports cannot be joined;
    ages are in bands and the admission date is reduced to its quarter. The export is
    k-anonymous (k = settings.EXPORT_MIN_GROUP) for its quasi-identifiers (reports.deidentified):
    notes at the end say what was generalised and how many rows were withheld. Withheld cases
    were not exported: they are neither counted in the export log nor in their access log.
    """
    today = timezone.localdate()
    initial = Assessment.objects.filter(beneficiary=OuterRef("pk"), kind=AssessmentKind.INITIAL)
    last_closure = Closure.objects.filter(beneficiary=OuterRef("pk")).order_by("-closed_on", "-id")
    cases = (
        Beneficiary.objects.filter(organisation_id=actor.organisation_id)
        .annotate(
            contacts_made=_count(Contact, made=True),
            setback_count=_count(Setback),
            referral_count=_count(Referral),
            unmet_count=_count(UnmetNeed),
            returns=_count(Closure, reopened_on__isnull=False),
            assessed_on=Subquery(initial.order_by("started_on").values("completed_on")[:1]),
            first_signed_on=Subquery(
                PlanVersion.objects.filter(beneficiary=OuterRef("pk"), signed_on__isnull=False)
                .values("beneficiary")
                .annotate(first=Min("signed_on"))
                .values("first")
            ),
            closure_reason=Subquery(last_closure.values("reason")[:1]),
        )
        .order_by("?")  # no order that could hint at the case codes
    )
    stages = dict(Stage.choices)
    rows: list[dict[str, Any]] = []
    # The expected stage with the organisation's extra months for children and complex cases.
    for case in attach_timelines(list(cases), today):
        assessment_deadline = initial_assessment_due(case.admitted_on)
        plan_deadline = first_plan_due(case.admitted_on)
        rows.append(
            {
                "case": case.pk,  # not a column: which cases were released, for the logs
                "status": case.status,
                "stage": stages[case.stage],
                "expected_stage": stages[case.timeline.expected],
                "admitted_quarter": (
                    f"{case.admitted_on.year}-Q{(case.admitted_on.month - 1) // 3 + 1}"
                ),
                "age_band_at_admission": age_band(case.date_of_birth, case.admitted_on),
                "sex": case.sex,
                "nationality": case.nationality,
                "region": case.registration_place,
                "exploitation_forms": forms_key(case.exploitation_forms),
                "complex_factors": len(case.complex_factors),
                "contacts_made": case.contacts_made,
                "assessment_within_14_days": _met(
                    assessment_deadline < today, case.assessed_on, assessment_deadline
                ),
                "plan_signed_within_30_days": _met(
                    plan_deadline < today, case.first_signed_on, plan_deadline
                ),
                "setbacks": case.setback_count,
                "referrals": case.referral_count,
                "unmet_needs": case.unmet_count,
                "returns_after_closure": case.returns,
                "closure_reason": case.closure_reason if case.is_closed else "",
            }
        )
    released = k_anonymise(rows, CASE_LIST_QUASI_IDENTIFIERS, settings.EXPORT_MIN_GROUP)
    for row, export_id in zip(released.rows, export_ids(len(released.rows)), strict=True):
        row["export_id"] = export_id
    export_record(
        actor=actor,
        what=gettext_noop("De-identified case list"),
        case_what="de-identified case list",
        beneficiary_ids=[row["case"] for row in released.rows],
    )
    table = [[row[column] for column in CASE_LIST_HEADERS] for row in released.rows]
    return _csv([CASE_LIST_HEADERS, *table, [], *([note] for note in released.notes())])
