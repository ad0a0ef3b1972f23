"""Reads of case data, scoped to the user asking and shaped for the page that shows them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    Field,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from accounts.models import Role, User

from .choices import RISK_ORDER, RiskLevel, TeamRole
from .models import (
    AssistanceDecline,
    Beneficiary,
    CaseAccess,
    Child,
    Closure,
    Consent,
    CrisisAlarm,
    Disclosure,
    Document,
    DocumentStep,
    EmergencyAccess,
    FamilyMember,
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


def disclosures_for(beneficiary: Beneficiary) -> list[Disclosure]:
    """Who knows about the person's past, for everyone on the case who may meet them."""
    return list(beneficiary.disclosures.all())


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
    # None for a viewer who may not read threats and the safety plan: not even loaded.
    safety: SafetyFile | None

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


def case_file_for(beneficiary: Beneficiary) -> CaseFile:
    """The case's own parts; `casework.selectors.case_overview_for` adds the other apps'."""
    return CaseFile(
        beneficiary=beneficiary,
        team=list(beneficiary.team.select_related("user", "added_by", "ended_by")),
        family=list(beneficiary.family.all()),
        children=list(beneficiary.children.all()),
        consents=list(
            beneficiary.consents.select_related("recorded_by", "withdrawn_by", "provider")
        ),
        stage_changes=list(beneficiary.stage_changes.select_related("changed_by", "setback")),
        setbacks=list(
            beneficiary.setbacks.select_related(
                "recorded_by", "stage_change", "alarm__acknowledged_by"
            )
        ),
        alarms=list(beneficiary.crisis_alarms.select_related("setback", "acknowledged_by")),
        risk_flags=list(beneficiary.risk_flags.select_related("raised_by", "cleared_by")),
        closures=list(beneficiary.closures.select_related("closed_by", "reopened_by")),
        declines=list(beneficiary.declines.select_related("recorded_by")),
        disclosures=disclosures_for(beneficiary),
        documents=documents_for(beneficiary),
        safety=safety_file_for(beneficiary) if reads_safety(beneficiary) else None,
    )


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
    Threat,
    SafetyPlan,
    Disclosure,
    Document,
    DocumentStep,
    CrisisAlarm,
    RiskFlag,
)
# How rows of a kind of record lead to their case, where not by a `beneficiary` column.
_HISTORY_CASE_PATH: dict[type[Any], str] = {
    Beneficiary: "id",
    DocumentStep: "document__beneficiary_id",
}
_HIDDEN_HISTORY_FIELDS = {
    "id",
    "document",
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
RESTRICTED_MODELS: tuple[type[Any], ...] = (Threat, SafetyPlan)


def case_history_for(beneficiary: Beneficiary, *, restricted: bool = False) -> list[HistoryEntry]:
    """Every recorded change to the case, newest first.

    One query per kind of record, plus one for the names of staff the changes mention.
    `restricted` leaves out the restricted profile fields and the restricted records, for
    viewers who may not read them.
    """
    # Each entry with its changes still keyed by field: shown once the staff names are read.
    entries: list[tuple[HistoryEntry, list[tuple[Field[Any, Any], Any, Any]]]] = []
    staff_ids: set[int] = set()
    for model in _HISTORY_MODELS:
        if restricted and model in RESTRICTED_MODELS:
            continue
        rows = model.history.model.objects.select_related("history_user")
        rows = rows.filter(**{_HISTORY_CASE_PATH.get(model, "beneficiary_id"): beneficiary.pk})
        hidden = _HIDDEN_HISTORY_FIELDS | (
            RESTRICTED_PROFILE_FIELDS if model is Beneficiary and restricted else set()
        )
        fields = [f for f in model._meta.concrete_fields if f.name not in hidden]
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
