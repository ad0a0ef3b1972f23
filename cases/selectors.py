"""Reads of case data, scoped to the user asking and shaped for the page that shows them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    Field,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from accounts.models import Discipline, Role, User

from .choices import RISK_ORDER, ConsentGiver, GuardianKind, RiskLevel, TeamRole
from .models import (
    AssistanceDecline,
    Beneficiary,
    BestInterestsDetermination,
    CaseAccess,
    CaseReview,
    Child,
    Closure,
    Consent,
    CrisisAlarm,
    Disclosure,
    Document,
    DocumentStep,
    EmergencyAccess,
    FamilyMember,
    Guardian,
    Hearing,
    LegalProceeding,
    RefusedAccess,
    RiskFlag,
    SafetyPlan,
    Setback,
    StageChange,
    TeamMembership,
    Threat,
)

if TYPE_CHECKING:  # django-stubs-ext is a development tool, not installed in production
    from django_stubs_ext import StrOrPromise


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


def case_managers_in(organisation_id: int) -> QuerySet[User]:
    """Staff who may hold a caseload in an organisation."""
    return User.objects.filter(
        organisation_id=organisation_id,
        is_active=True,
        role__in=[Role.CASE_WORKER, Role.SUPERVISOR],
    ).order_by("first_name", "last_name", "username")


def team_candidates_in(organisation_id: int) -> QuerySet[User]:
    """Staff who may join a case team: everyone active but administrators."""
    return (
        User.objects.filter(organisation_id=organisation_id, is_active=True)
        .exclude(role=Role.ADMINISTRATOR)
        .order_by("first_name", "last_name", "username")
    )


@dataclass(frozen=True)
class SafetyFile:
    """The threats and the safety plan of a case: for the case manager and supervisors."""

    security_risk: str  # the profile's overall level (RiskLevel)
    threats: list[Threat]
    plan: SafetyPlan | None

    @property
    def open_threats(self) -> list[Threat]:
        """The most serious first, then the most recent."""
        open_threats = [t for t in self.threats if t.is_open]
        return sorted(open_threats, key=lambda t: -RISK_ORDER[t.level])

    @property
    def resolved_threats(self) -> list[Threat]:
        return [t for t in self.threats if not t.is_open]

    @property
    def highest_open_level(self) -> str | None:
        return highest_threat_level(self.threats)

    @property
    def highest_open_level_label(self) -> StrOrPromise:
        highest = self.highest_open_level
        return RiskLevel(highest).label if highest else ""

    @property
    def risk_below_threats(self) -> bool:
        """An open threat is more serious than the case's overall security risk says."""
        highest = self.highest_open_level
        return highest is not None and RISK_ORDER[highest] > RISK_ORDER[self.security_risk]


def highest_threat_level(threats: list[Threat]) -> str | None:
    """The level (RiskLevel) of the most serious open threat; None when none is open."""
    levels = [t.level for t in threats if t.is_open]
    return max(levels, key=RISK_ORDER.__getitem__) if levels else None


def safety_file_for(beneficiary: Beneficiary) -> SafetyFile:
    """The case's threats and safety plan. Call it only for a viewer who may read them
    (`reads_safety`): leaving them out is the caller's decision, not the template's."""
    return SafetyFile(
        security_risk=beneficiary.security_risk,
        threats=list(beneficiary.threats.all()),
        plan=safety_plan_of(beneficiary),
    )


def safety_plan_of(beneficiary: Beneficiary) -> SafetyPlan | None:
    """A case has one safety plan at most, reviewed and updated rather than replaced."""
    return (
        SafetyPlan.objects.filter(beneficiary=beneficiary)
        .select_related("recorded_by", "updated_by")
        .first()
    )


def reads_safety(beneficiary: Beneficiary) -> bool:
    """Whether the viewer of a case fetched by `get_beneficiary_for` reads its threats and
    safety plan: the case manager and supervisors. A case fetched otherwise: nobody."""
    return bool(getattr(beneficiary, "can", {}).get("manage"))


def reads_legal(beneficiary: Beneficiary) -> bool:
    """Whether the viewer of a case fetched by `get_beneficiary_for` reads (and writes) its
    legal proceedings and hearings: the case manager, a lawyer on the team (while their
    membership is active) and supervisors; not on an erased file. A case fetched otherwise:
    nobody. (The annotations `cases.access.viewer_role`/`viewer_discipline` read, by name:
    that module builds on this one.)"""
    can = getattr(beneficiary, "can", {})
    lawyer = getattr(beneficiary, "my_discipline", None) == Discipline.LAWYER
    return bool(can.get("manage") or (lawyer and can.get("edit")))


@dataclass(frozen=True)
class HearingDate:
    """A hearing as the case file lists it: how many days away it is (negative: past)."""

    hearing: Hearing
    days_away: int

    @property
    def soon(self) -> bool:
        """Within HEARING_NOTICE_DAYS, today included: prepare the person for it."""
        return 0 <= self.days_away <= settings.HEARING_NOTICE_DAYS


@dataclass(frozen=True)
class ProceedingFile:
    """One set of proceedings with its hearings: those ahead (the next first), then those
    past (the latest first)."""

    proceeding: LegalProceeding
    upcoming: list[HearingDate]
    past: list[Hearing]


def proceedings_for(beneficiary: Beneficiary) -> list[ProceedingFile]:
    """The case's legal proceedings, latest started first, with their hearings: two queries
    however many there are. Call it only for a viewer who may read them (`reads_legal`)."""
    today = timezone.localdate()
    proceedings = beneficiary.proceedings.prefetch_related(
        Prefetch("hearings", queryset=Hearing.objects.all(), to_attr="hearing_list")
    )
    files = []
    for proceeding in proceedings:
        hearings: list[Hearing] = proceeding.hearing_list  # the prefetch's
        files.append(
            ProceedingFile(
                proceeding=proceeding,
                upcoming=[
                    HearingDate(h, (h.held_on - today).days) for h in hearings if h.held_on >= today
                ],
                past=[h for h in reversed(hearings) if h.held_on < today],
            )
        )
    return files


def disclosures_for(beneficiary: Beneficiary) -> list[Disclosure]:
    """Who knows about the person's past, for everyone on the case who may meet them."""
    return list(beneficiary.disclosures.all())


@dataclass(frozen=True)
class CaseReviews:
    """A case's multidisciplinary reviews: the one due, if any, and those held."""

    pending: CaseReview | None
    held: list[CaseReview]

    @property
    def overdue(self) -> bool:
        return self.pending is not None and self.pending.due_on < timezone.localdate()


def case_reviews_for(beneficiary: Beneficiary) -> CaseReviews:
    """For the whole team: one query however many reviews were held."""
    reviews = list(beneficiary.case_reviews.select_related("recorded_by"))
    return CaseReviews(
        pending=next((r for r in reviews if r.is_pending), None),
        held=sorted(
            (r for r in reviews if not r.is_pending),
            key=lambda r: (r.held_on, r.pk),
            reverse=True,
        ),
    )


def documents_for(beneficiary: Beneficiary) -> list[Document]:
    """The person's documents, then their children's, each with its steps latest first
    (`step_list`): two queries however many there are."""
    return list(
        beneficiary.documents.select_related("child").prefetch_related(
            Prefetch(
                "steps",
                queryset=DocumentStep.objects.select_related("recorded_by"),
                to_attr="step_list",
            )
        )
    )


def guardians_holding_authority(guardians: Iterable[Guardian], day: date) -> list[Guardian]:
    """Of these guardians, those whose authority holds on `day`, latest appointed first."""
    return [g for g in guardians if g.holds_authority_on(day)]


def guardian_on(beneficiary: Beneficiary, day: date) -> Guardian | None:
    """The guardian who acts for the person on `day`: the latest appointed whose authority
    holds that day (None: none recorded holds it)."""
    return next(iter(guardians_holding_authority(beneficiary.guardians.all(), day)), None)


def children_to_register(user: User) -> QuerySet[Child]:
    """Children of beneficiaries whose files `user` sees in their own organisation, with no
    case of their own yet: those the user may register as one."""
    return Child.objects.filter(
        beneficiary__in=beneficiaries_visible_to(user),
        beneficiary__organisation_id=user.organisation_id,
        own_case__isnull=True,
    ).select_related("beneficiary")


def guardians_for_consent(beneficiary: Beneficiary) -> list[Guardian]:
    """For a child: the guardians holding authority today, offered on the consent form (the
    first prefilled as the one giving consent). For an adult: none."""
    if not beneficiary.is_minor:
        return []
    return guardians_holding_authority(beneficiary.guardians.all(), timezone.localdate())


def consent_giver_initial(guardians: list[Guardian]) -> dict[str, Any]:
    """The consent form's giver, prefilled from the first of these guardians."""
    if not guardians:
        return {}
    guardian = guardians[0]
    giver = ConsentGiver.PARENT if guardian.kind == GuardianKind.PARENT else ConsentGiver.GUARDIAN
    return {"given_by": giver, "given_by_name": guardian.name}


def best_interests_for(beneficiary: Beneficiary) -> list[BestInterestsDetermination]:
    """The best-interests determinations, latest first, each with `review_overdue`: its review
    date has passed and no later determination on the same question followed."""
    today = timezone.localdate()
    determinations = list(beneficiary.best_interests.select_related("recorded_by"))
    seen: set[str] = set()
    for determination in determinations:  # latest first: the first of each question counts
        question = determination.question.strip().casefold()
        review = determination.review_on
        determination.review_overdue = bool(  # type: ignore[attr-defined]  # shown, not stored
            review and review < today and question not in seen
        )
        seen.add(question)
    return determinations


@dataclass(frozen=True)
class CaseFile:
    """The parts of a case file this app keeps, loaded in a fixed number of queries."""

    beneficiary: Beneficiary
    team: list[TeamMembership]
    family: list[FamilyMember]
    children: list[Child]
    consents: list[Consent]
    stage_changes: list[StageChange]
    setbacks: list[Setback]
    alarms: list[CrisisAlarm]
    risk_flags: list[RiskFlag]
    closures: list[Closure]
    declines: list[AssistanceDecline]
    disclosures: list[Disclosure]
    documents: list[Document]
    guardians: list[Guardian]
    best_interests: list[BestInterestsDetermination]
    # Where this file is a child's case of their own: the child's row on the parent's file.
    child_of: Child | None
    # None for a viewer who may not read threats and the safety plan: not even loaded.
    safety: SafetyFile | None
    # None for a viewer who may not read legal proceedings (`reads_legal`): not even loaded;
    # they learn only whether there are any (`has_proceedings`).
    proceedings: list[ProceedingFile] | None
    has_proceedings: bool

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
    def open_risk(self) -> RiskFlag | None:
        return next((flag for flag in self.risk_flags if flag.is_open), None)

    @property
    def open_alarms(self) -> list[CrisisAlarm]:
        return [alarm for alarm in self.alarms if alarm.is_open]

    @property
    def reopen_count(self) -> int:
        return sum(1 for c in self.closures if c.reopened_on)

    @property
    def guardians_today(self) -> list[Guardian]:
        return guardians_holding_authority(self.guardians, timezone.localdate())

    @property
    def shows_child_safeguards(self) -> bool:
        return self.beneficiary.is_minor or bool(self.guardians or self.best_interests)

    @property
    def minor_without_guardian(self) -> bool:
        """A child with no guardian whose authority holds today: nobody to consent or sign."""
        return self.beneficiary.is_minor and not self.guardians_today


def case_file_for(beneficiary: Beneficiary) -> CaseFile:
    """The case's own parts; `casework.selectors.case_overview_for` adds the other apps'."""
    proceedings = proceedings_for(beneficiary) if reads_legal(beneficiary) else None
    # The case's children and, where the case is a child's own, the child's row on the
    # parent's file: one query for both.
    children = list(
        Child.objects.filter(Q(beneficiary=beneficiary) | Q(own_case=beneficiary)).select_related(
            "own_case", "beneficiary"
        )
    )
    setbacks = list(
        beneficiary.setbacks.select_related("recorded_by", "stage_change", "alarm__acknowledged_by")
    )
    return CaseFile(
        beneficiary=beneficiary,
        team=list(beneficiary.team.select_related("user", "added_by", "ended_by")),
        family=list(beneficiary.family.all()),
        children=[child for child in children if child.beneficiary_id == beneficiary.pk],
        consents=list(
            beneficiary.consents.select_related("recorded_by", "withdrawn_by", "provider")
        ),
        stage_changes=list(beneficiary.stage_changes.select_related("changed_by", "setback")),
        setbacks=setbacks,
        alarms=_alarms_of(setbacks),
        risk_flags=list(beneficiary.risk_flags.select_related("raised_by", "cleared_by")),
        closures=list(beneficiary.closures.select_related("closed_by", "reopened_by")),
        declines=list(beneficiary.declines.select_related("recorded_by")),
        disclosures=disclosures_for(beneficiary),
        documents=documents_for(beneficiary),
        guardians=list(beneficiary.guardians.all()),
        best_interests=best_interests_for(beneficiary),
        child_of=next((child for child in children if child.own_case_id == beneficiary.pk), None),
        safety=safety_file_for(beneficiary) if reads_safety(beneficiary) else None,
        proceedings=proceedings,
        has_proceedings=bool(proceedings)
        if proceedings is not None
        else beneficiary.proceedings.exists(),
    )


def _alarms_of(setbacks: list[Setback]) -> list[CrisisAlarm]:
    """The case's crisis alarms, latest first, from its setbacks: each alarm is raised by one
    of them (`services.setback_record`), and the setbacks' query has read it already."""
    alarms = [setback.alarm for setback in setbacks if hasattr(setback, "alarm")]
    return sorted(alarms, key=lambda alarm: (alarm.raised_at, alarm.pk), reverse=True)


@dataclass(frozen=True)
class HistoryEntry:
    at: Any
    user: Any
    record: str
    kind: str
    changes: list[tuple[str, Any, Any]]
    reason: str = ""


# Recorded reasons are kept in English, as the history is a record; the ones the product
# writes itself are shown in the reader's language.
IMPORTED_FROM_HTCDS = "Imported from an HTCDS v2.0 workbook, row %(row)d"
_IMPORTED_FROM_HTCDS = re.compile(r"Imported from an HTCDS v2\.0 workbook, row (?P<row>\d+)")


def _reason(recorded: str | None) -> str:
    if not recorded:
        return ""
    if imported := _IMPORTED_FROM_HTCDS.fullmatch(recorded):
        return gettext("Imported from an HTCDS v2.0 workbook, row %(row)s") % {
            "row": imported["row"]
        }
    return recorded


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
    Threat,
    SafetyPlan,
    Disclosure,
    Document,
    DocumentStep,
    Guardian,
    BestInterestsDetermination,
    LegalProceeding,
    Hearing,
    CaseReview,
    CrisisAlarm,
    RiskFlag,
)
# How rows of a kind of record lead to their case, where not by a `beneficiary` column.
_HISTORY_CASE_PATH: dict[type[Any], str] = {
    Beneficiary: "id",
    DocumentStep: "document__beneficiary_id",
    Hearing: "proceeding__beneficiary_id",
}
_HIDDEN_HISTORY_FIELDS = {
    "id",
    "document",
    "proceeding",
    "public_id",
    "created_at",
    "updated_at",
    "beneficiary",
    "organisation",
}


# Exact whereabouts and details of threats: read by the case manager and supervisors only.
RESTRICTED_PROFILE_FIELDS = {"address", "security_notes"}
# Records read by the same people only: restricted viewers do not see their rows at all,
# in the case file or in its history.
# Legal proceedings and hearings: read by the case manager, a lawyer on the team and
# supervisors (`reads_legal`), so not by the same people: see `legal` below.
LEGAL_MODELS: tuple[type[Any], ...] = (LegalProceeding, Hearing)
RESTRICTED_MODELS: tuple[type[Any], ...] = (Threat, SafetyPlan, *LEGAL_MODELS)


def case_history_for(
    beneficiary: Beneficiary, *, restricted: bool = False, legal: bool | None = None
) -> list[HistoryEntry]:
    """Every recorded change to the case, newest first.

    One query per kind of record, plus one for the names of staff the changes mention.
    `restricted` leaves out the restricted profile fields and the restricted records, for
    viewers who may not read them. Legal proceedings follow `legal` where it is given (a
    lawyer on the team reads them but not the threats: `reads_legal`), else `restricted`.
    """
    reads_legal_records = not restricted if legal is None else legal
    # Each entry with its changes still keyed by field: shown once the staff names are read.
    entries: list[tuple[HistoryEntry, list[tuple[Field[Any, Any], Any, Any]]]] = []
    staff_ids: set[int] = set()
    for model in _HISTORY_MODELS:
        if model in LEGAL_MODELS:
            if not reads_legal_records:
                continue
        elif restricted and model in RESTRICTED_MODELS:
            continue
        rows = model.history.model.objects.select_related("history_user")
        rows = rows.filter(**{_HISTORY_CASE_PATH.get(model, "beneficiary_id"): beneficiary.pk})
        hidden = _HIDDEN_HISTORY_FIELDS | (
            RESTRICTED_PROFILE_FIELDS if model is Beneficiary and restricted else set()
        )
        # The fields history keeps (some derived ones, e.g. the last contact, it leaves out).
        fields = [f for f in model.history.model.tracked_fields if f.name not in hidden]
        previous: dict[int, Any] = {}
        for row in rows.order_by("id", "history_date", "history_id"):
            before = previous.get(row.id)
            changes: list[tuple[Field[Any, Any], Any, Any]] = []
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
                entry = HistoryEntry(
                    at=row.history_date,
                    user=row.history_user,
                    record=str(model._meta.verbose_name).capitalize(),
                    kind={"+": "created", "~": "changed", "-": "deleted"}[row.history_type],
                    changes=[],
                    reason=_reason(row.history_change_reason),
                )
                entries.append((entry, changes))
    staff = {u.pk: str(u) for u in User.objects.filter(pk__in=staff_ids)} if staff_ids else {}
    for entry, changes in entries:
        entry.changes.extend(
            (str(field.verbose_name), _display(field, before, staff), _display(field, after, staff))
            for field, before, after in changes
        )
    return sorted((entry for entry, _changes in entries), key=lambda e: e.at, reverse=True)


def _display(field: Any, value: Any, staff: dict[int, str]) -> Any:
    """A stored value as a person reads it: choice labels, staff names, lists joined."""
    if value is None:
        return ""
    if value is True:  # False reads as empty, like a blank field
        return pgettext("a yes-or-no field in the change history", "True")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation:
        return staff.get(value, "") if field.related_model is User else gettext("(linked record)")
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
    organisation_id: int, *, user_id: int | None = None, limit: int = 500
) -> list[CaseAccess]:
    """Accesses to an organisation's cases, optionally by one member of staff: for supervisors."""
    rows = CaseAccess.objects.filter(beneficiary__organisation_id=organisation_id)
    if user_id:
        rows = rows.filter(user_id=user_id)
    return list(rows.select_related("user", "beneficiary").order_by("-at", "-id")[:limit])


def open_risk_flag(beneficiary: Beneficiary) -> RiskFlag | None:
    return beneficiary.risk_flags.filter(cleared_on__isnull=True).first()


def current_case_manager() -> Subquery:
    """For annotating lists of cases: the user id of the case's current case manager (at most
    one, a constraint), or NULL."""
    return Subquery(
        TeamMembership.objects.filter(
            beneficiary=OuterRef("pk"), role=TeamRole.CASE_MANAGER, ended_on__isnull=True
        ).values("user_id")[:1]
    )


def risk_raised() -> Exists:
    """For annotating lists of cases (`at_risk=risk_raised()`): a re-trafficking risk is raised."""
    return Exists(RiskFlag.objects.filter(beneficiary=OuterRef("pk"), cleared_on__isnull=True))


def open_crisis_alarms(organisation_id: int) -> list[CrisisAlarm]:
    """Alarms of the organisation's cases nobody has acknowledged yet, the oldest first."""
    return list(
        CrisisAlarm.objects.filter(
            beneficiary__organisation_id=organisation_id, acknowledged_at__isnull=True
        )
        .select_related("beneficiary", "setback")
        .order_by("raised_at", "id")
    )


def refused_access_for_organisation(
    organisation_id: int, *, user_id: int | None = None, limit: int = 100
) -> list[RefusedAccess]:
    """Refused requests for case pages by the organisation's staff, or for its cases: for
    its supervisors and administrators. Another organisation's case is never named."""
    rows = RefusedAccess.objects.filter(
        Q(organisation_id=organisation_id) | Q(case__organisation_id=organisation_id)
    )
    if user_id:
        rows = rows.filter(user_id=user_id)
    # `ours`: the case asked for is this organisation's, and may be named.
    ours = ExpressionWrapper(Q(case__organisation_id=organisation_id), output_field=BooleanField())
    rows = rows.annotate(ours=ours).select_related("user__organisation", "case")
    return list(rows.order_by("-at", "-id")[:limit])
