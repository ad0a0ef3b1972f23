"""Reads for the case worker's desk: the caseload, possible duplicates at intake, and the
case-file overview that brings every app's part of a file together."""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from assessments.models import Assessment
from assessments.selectors import assessments_of, with_progress
from cases.choices import CaseStatus, RiskLevel, Stage, TeamRole
from cases.models import Beneficiary, TeamMembership
from cases.selectors import CaseFile, beneficiaries_visible_to, case_file_for, risk_raised
from monitoring.due_dates import with_next_contact_due
from monitoring.selectors import with_follow_up_facts
from monitoring.timeline import attach_timelines
from plans.models import PlanVersion
from plans.selectors import PlanSummary, plan_summary, summarise

if TYPE_CHECKING:  # django-stubs-ext is a development tool, not installed in production
    from django_stubs_ext import StrOrPromise


def on_team(user: User) -> Exists:
    return Exists(
        TeamMembership.objects.filter(beneficiary=OuterRef("pk"), user=user, ended_on__isnull=True)
    )


def _visible_for_listing(user: User) -> QuerySet[Beneficiary]:
    """The same cases as `beneficiaries_visible_to`, in a form the database can page fast.

    A supervisor sees the organisation's cases and, rarely, cases elsewhere whose team they
    are on. Fetching those few ids first leaves a plain organisation filter that the
    caseload's index serves, instead of an OR that makes the database read every case.
    """
    if not (
        user.is_authenticated and user.is_active and user.is_supervisor and user.organisation_id
    ):
        return beneficiaries_visible_to(user)
    elsewhere = list(
        TeamMembership.objects.filter(user=user, ended_on__isnull=True)
        .exclude(beneficiary__organisation_id=user.organisation_id)
        .values_list("beneficiary_id", flat=True)
    )
    rule = Q(organisation_id=user.organisation_id)
    return Beneficiary.objects.filter(rule | Q(pk__in=elsewhere) if elsewhere else rule)


# The caseload's sortable columns (`?sort=<key>`, or `-<key>` for the other way): the
# ordering, each ending with the case code so that pages never overlap. Anything else in the
# address sorts as by default (status, then case code).
CASELOAD_SORTS = ("code", "name", "stage", "next_contact", "admitted")
STAGE_ORDER = Case(
    *(When(stage=stage, then=Value(n)) for n, stage in enumerate(Stage.values)),
    output_field=IntegerField(),
)


def _sorted(cases: QuerySet[Beneficiary], user: User, sort: str) -> QuerySet[Beneficiary]:
    key = sort.removeprefix("-")
    if key not in CASELOAD_SORTS:
        return cases.order_by("status", "case_code")
    descending = sort.startswith("-")

    def by(expression: Any) -> Any:
        # Empty values (no next contact due, a name the viewer may not see) last either way.
        return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)

    code = by(F("case_code"))
    if key == "code":
        return cases.order_by(code)
    if key == "admitted":
        return cases.order_by(by(F("admitted_on")), code)
    if key == "stage":
        return cases.order_by(by(STAGE_ORDER), code)
    if key == "next_contact":
        # In the database, exactly as the rows work it out (`monitoring.due_dates`), so the
        # order holds across pages.
        return with_next_contact_due(cases).order_by(by(F("next_contact_due")), code)

    # By name only where the viewer sees the name (on the case team): the order must not
    # tell anything of the names of the other cases, which follow by case code.
    def hidden(field: str) -> Case:
        return Case(When(on_team(user), then=Lower(field)), default=Value(None))

    return cases.order_by(by(hidden("last_name")), by(hidden("first_name")), code)


def caseload_for(
    user: User, *, filters: dict[str, Any] | None = None, sort: str = ""
) -> QuerySet[Beneficiary]:
    """The caseload list's cases: visible, filtered, in list order (`sort`: one of
    CASELOAD_SORTS, `-` before it for the other way; anything else: the default order).

    Only the ids are needed to cut a page; `caseload_rows` then loads what the rows show
    for that page alone, so the cost of a page does not grow with the caseload.
    """
    filters = filters or {}
    cases = _visible_for_listing(user)
    if filters.get("stage"):
        cases = cases.filter(stage=filters["stage"])
    if filters.get("status"):
        cases = cases.filter(status=filters["status"])
    if filters.get("case_manager"):
        cases = cases.filter(
            team__user=filters["case_manager"],
            team__role=TeamRole.CASE_MANAGER,
            team__ended_on__isnull=True,
        )
    if filters.get("complex") == "yes":
        cases = cases.exclude(complex_factors=[])
    elif filters.get("complex") == "no":
        cases = cases.filter(complex_factors=[])
    if filters.get("mine"):
        cases = cases.filter(on_team(user))
    if query := (filters.get("q") or "").strip():
        cases = cases.filter(
            Q(case_code__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(alias__icontains=query)
        )
    if filters.get("follow_up") == "overdue":
        cases = with_next_contact_due(cases).filter(next_contact_due__lt=timezone.localdate())
    if risk := _risk(filters.get("risk")):
        cases = cases.filter(risk)
    return _sorted(cases, user, sort)


def _risk(choice: str | None) -> Q | None:
    """The risk filter's choice (`casework.forms.RISK_FILTER_CHOICES`) as a condition."""
    high, flagged = Q(security_risk=RiskLevel.HIGH), Q(risk_raised())
    return {"high": high, "retrafficking": flagged, "either": high | flagged}.get(choice or "")


# The columns a caseload row reads (the follow-up, stage and age badges included).
CASELOAD_ROW_FIELDS = (
    "public_id", "organisation_id", "case_code", "first_name", "last_name", "date_of_birth",
    "stage", "status", "admitted_on", "complex_factors", "security_risk", "last_contact_at",
)  # fmt: skip


def caseload_rows(user: User, case_ids: list[int]) -> list[Beneficiary]:
    """The rows of one caseload page, in the page's order, with everything they show.

    Five small queries for the page's cases only, reading only the columns a row shows:
    whole case files and the prefetch machinery cost more than the rows' data.
    """
    rows = (
        with_follow_up_facts(Beneficiary.objects.filter(pk__in=case_ids))
        .only(*CASELOAD_ROW_FIELDS, "cadence_override__days")
        .annotate(at_risk=risk_raised())
    )
    by_id = {case.pk: case for case in rows}
    # The case managers, and the viewer's own memberships (whether they see the names): one
    # query for both, cheaper than a subquery per row; plain values, as a row shows only
    # the case managers' names.
    team = (
        TeamMembership.objects.filter(beneficiary_id__in=case_ids, ended_on__isnull=True)
        .filter(Q(role=TeamRole.CASE_MANAGER) | Q(user=user))
        .values_list("beneficiary_id", "role", "user_id", *STAFF_NAME_FIELDS)
    )
    memberships: defaultdict[int, list[tuple[str, int, str]]] = defaultdict(list)
    for case_id, role, user_id, *name in team:
        memberships[case_id].append((role, user_id, staff_name(*name)))
    assessments = _grouped(
        with_progress(
            Assessment.objects.filter(beneficiary_id__in=case_ids)
            .only("beneficiary_id", "started_on", "due_on", "completed_on")
            .order_by("-started_on", "-id")
        )
    )
    plan_versions = _grouped(
        PlanVersion.objects.filter(beneficiary_id__in=case_ids)
        .only("beneficiary_id", "locked_at", "signed_on", "superseded_on")
        .order_by("-number")
    )
    for pk, case in by_id.items():
        # Their names: all the row shows of them.
        case.active_case_managers = [
            name for role, _, name in memberships[pk] if role == TeamRole.CASE_MANAGER
        ]
        # Set here, no longer annotated: the model declares no such attribute.
        cast(Any, case).viewer_on_team = any(
            user_id == user.pk for _, user_id, _ in memberships[pk]
        )
        case.assessment_list = assessments[pk]
        case.plan_summary = summarise(case, plan_versions[pk])
    # "Longer than typical" with the organisation's extra months: one more query.
    attach_timelines(list(by_id.values()))
    return [by_id[pk] for pk in case_ids]


STAFF_NAME_FIELDS = ("user__first_name", "user__last_name", "user__username")


def staff_name(first_name: str, last_name: str, username: str) -> str:
    """A staff member's name as `User.__str__` gives it, from the three columns alone."""
    return f"{first_name} {last_name}".strip() or username


def _grouped(records: QuerySet[Any]) -> defaultdict[int, list[Any]]:
    """Records by the case they belong to, in the queryset's order."""
    grouped: defaultdict[int, list[Any]] = defaultdict(list)
    for record in records:
        grouped[record.beneficiary_id].append(record)
    return grouped


def normalised_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


# Names this alike (difflib ratio) are shown as possible duplicates: catches a letter or
# two of difference in transliterated names, e.g. "Elena Popescu" and "Elena Popesku".
SIMILAR_NAME_RATIO = 0.85


@dataclass(frozen=True)
class LikelyDuplicate:
    case_code: str
    public_id: Any
    status: StrOrPromise  # the status's label, in the page's language
    admitted_on: date
    visible: bool
    exact: bool


def likely_duplicates(
    *,
    user: User,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
) -> list[LikelyDuplicate]:
    """Existing files in the user's organisation that may be the same person.

    Matches the same name (in either order, ignoring case and accents, or an alias) with
    a date of birth within about a year (or none on either side), and very similar names. Returns case codes only:
    the names of files the user cannot see are not shown, only who to ask.
    """
    if user.organisation_id is None:
        return []  # no organisation: no files to compare with
    wanted = normalised_name(f"{first_name} {last_name}")
    swapped = normalised_name(f"{last_name} {first_name}")
    candidates = Beneficiary.objects.filter(organisation_id=user.organisation_id)
    if date_of_birth:
        # Only files with no date of birth or one within about a year can match: keeps the scan small.
        year = timedelta(days=366)
        earliest = date_of_birth - year if date_of_birth > date.min + year else date.min
        latest = date_of_birth + year if date_of_birth < date.max - year else date.max
        candidates = candidates.filter(
            Q(date_of_birth__isnull=True) | Q(date_of_birth__range=(earliest, latest))
        )
    rows = candidates.values_list(
        "pk",
        "public_id",
        "case_code",
        "status",
        "admitted_on",
        "first_name",
        "last_name",
        "alias",
        "date_of_birth",
    )
    visible_ids = (
        set(beneficiaries_visible_to(user).values_list("pk", flat=True)) if rows else set()
    )
    found = []
    for pk, public_id, code, status, admitted_on, first, last, alias, born in rows:
        names = {normalised_name(f"{first} {last}"), normalised_name(alias)} - {""}
        same_name = bool({wanted, swapped} & names)
        similar = max((difflib.SequenceMatcher(None, wanted, n).ratio() for n in names), default=0)
        if same_name or similar >= SIMILAR_NAME_RATIO:
            found.append(
                LikelyDuplicate(
                    case_code=code,
                    public_id=public_id,
                    status=CaseStatus(status).label,
                    admitted_on=admitted_on,
                    visible=pk in visible_ids,
                    exact=same_name and date_of_birth is not None and born == date_of_birth,
                )
            )
    return sorted(found, key=lambda d: (not d.exact, d.case_code))


@dataclass(frozen=True)
class CaseOverview(CaseFile):
    """The case file page: the case's own parts, its assessments and its plan."""

    assessments: list[Assessment]
    plan: PlanSummary

    @property
    def current_assessment(self) -> Assessment | None:
        """The open assessment if there is one, else the latest."""
        return next((a for a in self.assessments if not a.is_complete), None) or next(
            iter(self.assessments), None
        )


def case_overview_for(beneficiary: Beneficiary) -> CaseOverview:
    file = case_file_for(beneficiary)
    return CaseOverview(
        **{name: getattr(file, name) for name in CaseFile.__dataclass_fields__},
        assessments=assessments_of(beneficiary),
        plan=plan_summary(beneficiary),
    )
