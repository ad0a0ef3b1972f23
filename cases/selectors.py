"""Reads of case data, scoped to the user asking and shaped for the page that shows them."""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Role, User
from assessments.models import Assessment
from assessments.selectors import assessments_of, with_progress
from monitoring.selectors import with_last_contact
from plans.models import PlanVersion
from plans.selectors import PlanSummary, plan_summary

from .choices import CaseStatus, TeamRole
from .models import (
    AssistanceDecline,
    Beneficiary,
    CaseAccess,
    Child,
    Closure,
    Consent,
    EmergencyAccess,
    FamilyMember,
    Setback,
    StageChange,
    TeamMembership,
)


def beneficiaries_visible_to(user: User) -> QuerySet[Beneficiary]:
    """The one rule for who sees which case.

    A case is visible to the members of its team whose membership has not ended, to the
    supervisors of its organisation, and, for a few hours, to a colleague who opened it in
    an emergency with a reason (`cases.emergency`). Nobody else: not other case workers,
    not administrators, not superusers.
    """
    if not user.is_authenticated or not user.is_active:
        return Beneficiary.objects.none()
    # Plain subqueries rather than per-row EXISTS: the database reads the user's
    # memberships once, whatever the number of cases.
    on_team = TeamMembership.objects.filter(user=user, ended_on__isnull=True).values(
        "beneficiary_id"
    )
    in_emergency = EmergencyAccess.objects.filter(user=user, ends_at__gt=timezone.now()).values(
        "beneficiary_id"
    )
    rule = Q(pk__in=on_team) | Q(pk__in=in_emergency)
    if user.role == Role.SUPERVISOR and user.organisation_id is not None:
        rule |= Q(organisation_id=user.organisation_id)
    return Beneficiary.objects.filter(rule)


def _on_team(user: User) -> Exists:
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


def caseload_for(user: User, *, filters: dict[str, Any] | None = None) -> QuerySet[Beneficiary]:
    """The caseload list's cases: visible, filtered, in list order.

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
        cases = cases.filter(_on_team(user))
    if query := (filters.get("q") or "").strip():
        cases = cases.filter(
            Q(case_code__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(alias__icontains=query)
        )
    return cases.order_by("status", "case_code")


# The columns a caseload row reads (the follow-up, stage and age badges included).
CASELOAD_ROW_FIELDS = (
    "public_id", "organisation_id", "case_code", "first_name", "last_name", "date_of_birth",
    "stage", "status", "admitted_on", "complex_factors", "security_risk",
)  # fmt: skip


def caseload_rows(user: User, case_ids: list[int]) -> list[Beneficiary]:
    """The rows of one caseload page, in the page's order, with everything they show.

    Four small queries for the page's cases only, reading only the columns a row shows:
    whole case files and the prefetch machinery cost more than the rows' data.
    """
    rows = (
        with_last_contact(Beneficiary.objects.filter(pk__in=case_ids))
        .only(*CASELOAD_ROW_FIELDS, "cadence_override__days")
        .annotate(viewer_on_team=_on_team(user))
    )
    by_id = {case.pk: case for case in rows}
    managers = _grouped(
        TeamMembership.objects.filter(
            beneficiary_id__in=case_ids, role=TeamRole.CASE_MANAGER, ended_on__isnull=True
        )
        .select_related("user")
        .only("beneficiary_id", "user__first_name", "user__last_name", "user__username")
    )
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
        case.active_case_managers = managers[pk]
        case.assessment_list = assessments[pk]
        case.plan_version_list = plan_versions[pk]
    return [by_id[pk] for pk in case_ids]


def _grouped(records: QuerySet[Any]) -> defaultdict[int, list[Any]]:
    """Records by the case they belong to, in the queryset's order."""
    grouped: defaultdict[int, list[Any]] = defaultdict(list)
    for record in records:
        grouped[record.beneficiary_id].append(record)
    return grouped


def case_managers_in(organisation_id: int | None) -> QuerySet[User]:
    """Staff who may hold a caseload in an organisation."""
    return User.objects.filter(
        organisation_id=organisation_id,
        is_active=True,
        role__in=[Role.CASE_WORKER, Role.SUPERVISOR],
    ).order_by("first_name", "last_name", "username")


def team_candidates_in(organisation_id: int | None) -> QuerySet[User]:
    """Staff who may join a case team: everyone active but administrators."""
    return (
        User.objects.filter(organisation_id=organisation_id, is_active=True)
        .exclude(role=Role.ADMINISTRATOR)
        .order_by("first_name", "last_name", "username")
    )


@dataclass(frozen=True)
class CaseFile:
    """Everything the case file page shows, loaded in a fixed number of queries."""

    beneficiary: Beneficiary
    team: list[TeamMembership]
    family: list[FamilyMember]
    children: list[Child]
    consents: list[Consent]
    stage_changes: list[StageChange]
    setbacks: list[Setback]
    closures: list[Closure]
    declines: list[AssistanceDecline]
    assessments: list[Assessment]
    plan: PlanSummary

    @property
    def active_team(self) -> list[TeamMembership]:
        return [m for m in self.team if m.is_active]

    @property
    def past_team(self) -> list[TeamMembership]:
        return [m for m in self.team if not m.is_active]

    @property
    def case_manager(self) -> TeamMembership | None:
        return next((m for m in self.active_team if m.role == TeamRole.CASE_MANAGER), None)

    @property
    def active_consents(self) -> list[Consent]:
        return [c for c in self.consents if c.is_active]

    @property
    def current_assessment(self) -> Assessment | None:
        """The open assessment if there is one, else the latest."""
        return next((a for a in self.assessments if not a.is_complete), None) or next(
            iter(self.assessments), None
        )

    @property
    def reopen_count(self) -> int:
        return sum(1 for c in self.closures if c.reopened_on)


def case_file_for(beneficiary: Beneficiary) -> CaseFile:
    return CaseFile(
        beneficiary=beneficiary,
        team=list(beneficiary.team.select_related("user", "added_by", "ended_by")),
        family=list(beneficiary.family.all()),
        children=list(beneficiary.children.all()),
        consents=list(
            beneficiary.consents.select_related("recorded_by", "withdrawn_by", "provider")
        ),
        stage_changes=list(beneficiary.stage_changes.select_related("changed_by", "setback")),
        setbacks=list(beneficiary.setbacks.select_related("recorded_by", "stage_change")),
        closures=list(beneficiary.closures.select_related("closed_by", "reopened_by")),
        declines=list(beneficiary.declines.select_related("recorded_by")),
        assessments=assessments_of(beneficiary),
        plan=plan_summary(beneficiary),
    )


def _normalised(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


# Names this alike (difflib ratio) are shown as possible duplicates: catches a letter or
# two of difference in transliterated names, e.g. "Elena Popescu" and "Elena Popesku".
SIMILAR_NAME_RATIO = 0.85


@dataclass(frozen=True)
class LikelyDuplicate:
    case_code: str
    public_id: Any
    status: str
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
    wanted = _normalised(f"{first_name} {last_name}")
    swapped = _normalised(f"{last_name} {first_name}")
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
        names = {_normalised(f"{first} {last}"), _normalised(alias)} - {""}
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
class HistoryEntry:
    at: Any
    user: Any
    record: str
    kind: str
    changes: list[tuple[str, Any, Any]]


_HISTORY_MODELS = (
    Beneficiary,
    TeamMembership,
    FamilyMember,
    Child,
    Consent,
    Setback,
    StageChange,
    Closure,
    AssistanceDecline,
)
_HIDDEN_HISTORY_FIELDS = {
    "id",
    "public_id",
    "created_at",
    "updated_at",
    "beneficiary",
    "organisation",
}


# Exact whereabouts and details of threats: read by the case manager and supervisors only.
RESTRICTED_PROFILE_FIELDS = {"address", "security_notes"}


def case_history_for(beneficiary: Beneficiary, *, restricted: bool = False) -> list[HistoryEntry]:
    """Every recorded change to the case, newest first.

    One query per kind of record, plus one for the names of staff the changes mention.
    `restricted` leaves out the restricted profile fields, for viewers who may not read them.
    """
    entries: list[HistoryEntry] = []
    staff_ids: set[int] = set()
    for model in _HISTORY_MODELS:
        rows = model.history.model.objects.select_related("history_user")
        rows = (
            rows.filter(id=beneficiary.pk)
            if model is Beneficiary
            else rows.filter(beneficiary_id=beneficiary.pk)
        )
        hidden = _HIDDEN_HISTORY_FIELDS | (
            RESTRICTED_PROFILE_FIELDS if model is Beneficiary and restricted else set()
        )
        fields = [f for f in model._meta.concrete_fields if f.name not in hidden]
        previous: dict[int, Any] = {}
        for row in rows.order_by("id", "history_date", "history_id"):
            before = previous.get(row.id)
            changes = []
            for field in fields:
                after_value = getattr(row, field.attname)
                before_value = getattr(before, field.attname) if before is not None else None
                if before is None and after_value in (None, "", [], False):
                    continue
                if before is None or before_value != after_value:
                    if field.is_relation and field.related_model is User:
                        staff_ids.update(v for v in (before_value, after_value) if v)
                    changes.append((field, before_value, after_value))
            previous[row.id] = row
            if changes or before is None:
                entries.append(
                    HistoryEntry(
                        at=row.history_date,
                        user=row.history_user,
                        record=str(model._meta.verbose_name).capitalize(),
                        kind={"+": "created", "~": "changed", "-": "deleted"}[row.history_type],
                        changes=changes,
                    )
                )
    staff = {u.pk: str(u) for u in User.objects.filter(pk__in=staff_ids)} if staff_ids else {}
    for entry in entries:
        entry.changes[:] = [
            (str(field.verbose_name), _display(field, before, staff), _display(field, after, staff))
            for field, before, after in entry.changes
        ]
    return sorted(entries, key=lambda e: e.at, reverse=True)


def _display(field: Any, value: Any, staff: dict[int, str]) -> Any:
    """A stored value as a person reads it: choice labels, staff names, lists joined."""
    if value is None:
        return ""
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation:
        return staff.get(value, "") if field.related_model is User else "(linked record)"
    if isinstance(value, list):
        validator = next((v for v in field.validators if hasattr(v, "choices")), None)
        labels = dict(validator.choices.choices) if validator else {}
        return ", ".join(str(labels.get(v, v)) for v in value)
    return value


def access_log_for(beneficiary: Beneficiary, *, limit: int = 500) -> list[CaseAccess]:
    return list(
        CaseAccess.objects.filter(beneficiary=beneficiary)
        .select_related("user")
        .order_by("-at", "-id")[:limit]
    )


def access_log_for_organisation(
    organisation_id: int | None, *, user_id: int | None = None, limit: int = 500
) -> list[CaseAccess]:
    """Accesses to an organisation's cases, optionally by one member of staff: for supervisors."""
    rows = CaseAccess.objects.filter(beneficiary__organisation_id=organisation_id)
    if user_id:
        rows = rows.filter(user_id=user_id)
    return list(rows.select_related("user", "beneficiary").order_by("-at", "-id")[:limit])
