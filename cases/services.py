"""Every change to a case file goes through these functions.

Views, the demo-data command and later apps call them alike. Each one validates the
rules that involve more than one field or row, runs in one transaction, and records the
acting user in the change history. Rule violations raise ValidationError keyed by field
name, so forms can show the message next to the field and nothing is half-saved.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext

from accounts.models import Organisation, Role, User
from core.records import save_record
from core.validators import not_in_future

from . import signals
from .choices import (
    AccessAction,
    CaseStatus,
    ClosureReason,
    ConsentGiver,
    ConsentMethod,
    ConsentScope,
    DeclineScope,
    DisclosureWho,
    DocumentStatus,
    Severity,
    Stage,
    TeamRole,
    ThreatStatus,
)
from .models import (
    ADULT_AGE,
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
    FamilyMember,
    RefusedAccess,
    RiskFlag,
    SafetyPlan,
    Setback,
    StageChange,
    TeamMembership,
    Threat,
    age_on,
)

# Guards against typing slips such as 0199 for 1999.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def _not_before_admission(beneficiary: Beneficiary, value: date, field: str, message: str) -> None:
    """`message` is a whole sentence with a `%(date)s` for the admission date."""
    if value < beneficiary.admitted_on:
        raise ValidationError(
            {field: message % {"date": format_date(beneficiary.admitted_on, "d M Y")}}
        )


def require_active(beneficiary: Beneficiary) -> None:
    """Refuse changes to a closed case. Shared by every app's services."""
    if beneficiary.status != CaseStatus.ACTIVE:
        raise ValidationError(gettext("The case is closed. Reopen it first."))


# --- Registration and profile ------------------------------------------------


def check_profile_dates(profile: dict[str, Any]) -> None:
    """The date rules of a profile; forms call it too, so the message sits next to its field."""
    born = profile.get("date_of_birth")
    admitted = profile.get("admitted_on")
    ended = profile.get("exploitation_ended_on")
    not_in_future(born, "date_of_birth", gettext("date of birth"))
    if born and born < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            {"date_of_birth": gettext("Check the date of birth: it is more than a century ago.")}
        )
    not_in_future(admitted, "admitted_on", gettext("admission date"))
    not_in_future(ended, "exploitation_ended_on", gettext("date the exploitation ended"))
    if born and admitted and admitted < born:
        raise ValidationError(
            {"admitted_on": gettext("The admission date cannot be before the date of birth.")}
        )
    if born and ended and ended < born:
        raise ValidationError(
            {
                "exploitation_ended_on": gettext(
                    "The date the exploitation ended cannot be before the date of birth."
                )
            }
        )


def _next_case_code(organisation: Organisation, year: int) -> str:
    prefix = f"{organisation.code}-{year}-"
    last = (
        Beneficiary.objects.filter(case_code__startswith=prefix)
        .order_by("-case_code")
        .values_list("case_code", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _check_case_manager(case_manager: User, organisation_id: int | None) -> None:
    if (
        case_manager.organisation_id != organisation_id
        or not case_manager.is_active
        or case_manager.role not in {Role.CASE_WORKER, Role.SUPERVISOR}
    ):
        raise ValidationError(
            {
                "case_manager": gettext(
                    "Choose an active case worker or supervisor of your organisation."
                )
            }
        )


@transaction.atomic
def beneficiary_register(
    *, actor: User, case_manager: User, profile: dict[str, Any], assigned_on: date | None = None
) -> Beneficiary:
    """Open a new case file with its case code, first stage and case manager.

    The case manager is on the team from `assigned_on`: today, unless an older file is
    being entered after the fact.
    """
    if not actor.can_register_cases or actor.organisation_id is None:
        raise ValidationError(gettext("Only case workers and supervisors can register a new case."))
    _check_case_manager(case_manager, actor.organisation_id)
    check_profile_dates(profile)
    not_in_future(assigned_on, "assigned_on", gettext("assignment date"))
    organisation = Organisation.objects.select_for_update().get(pk=actor.organisation_id)
    admitted_on = profile["admitted_on"]
    beneficiary = Beneficiary(
        **profile,
        organisation=organisation,
        # The code is numbered within the year the file is opened, not the admission year,
        # so a late-registered admission cannot collide with codes already handed out.
        case_code=_next_case_code(organisation, timezone.localdate().year),
        stage=Stage.CRISIS,
        stage_since=admitted_on,
        status=CaseStatus.ACTIVE,
        created_by=actor,
    )
    save_record(beneficiary, actor)
    save_record(
        StageChange(
            beneficiary=beneficiary,
            from_stage="",
            to_stage=Stage.CRISIS,
            changed_on=admitted_on,
            reason="Admitted to the programme.",
            changed_by=actor,
        ),
        actor,
    )
    save_record(
        TeamMembership(
            beneficiary=beneficiary,
            user=case_manager,
            role=TeamRole.CASE_MANAGER,
            discipline=case_manager.effective_discipline,
            started_on=assigned_on or timezone.localdate(),
            added_by=actor,
        ),
        actor,
    )
    # The MDT needs assessment is due two weeks after admission: it exists from the start.
    signals.beneficiary_registered.send(sender=Beneficiary, beneficiary=beneficiary, actor=actor)
    return beneficiary


@transaction.atomic
def beneficiary_update(
    *, beneficiary: Beneficiary, actor: User, profile: dict[str, Any], opened_at: str
) -> Beneficiary:
    """Change profile fields; stage, status and admission history have their own services."""
    check_profile_dates(profile)
    changes = list(beneficiary.stage_changes.order_by("changed_on", "id"))
    new_admission = profile.get("admitted_on", beneficiary.admitted_on)
    if len(changes) > 1 and new_admission > changes[1].changed_on:
        raise ValidationError(
            {
                "admitted_on": gettext(
                    "The admission date cannot be after the first recorded stage change."
                )
            }
        )
    for field, value in profile.items():
        setattr(beneficiary, field, value)
    if len(changes) == 1 and changes[0].changed_on != new_admission:
        # Still in the stage it was admitted to: that stage began on the corrected date.
        beneficiary.stage_since = new_admission
        changes[0].changed_on = new_admission
        save_record(changes[0], actor)
    save_record(beneficiary, actor, opened_at=opened_at)
    return beneficiary


# --- Case team ------------------------------------------------------------------


@transaction.atomic
def team_member_add(
    *, beneficiary: Beneficiary, actor: User, user: User, discipline: str, started_on: date
) -> TeamMembership:
    if (
        user.organisation_id != beneficiary.organisation_id
        or not user.is_active
        or user.role == Role.ADMINISTRATOR
    ):
        raise ValidationError(
            {"user": gettext("Choose an active member of staff of the case's organisation.")}
        )
    if beneficiary.team.filter(user=user, ended_on__isnull=True).exists():
        raise ValidationError(
            {"user": gettext("%(name)s is already on the case team.") % {"name": user}}
        )
    not_in_future(started_on, "started_on", gettext("start date"))
    membership = TeamMembership(
        beneficiary=beneficiary,
        user=user,
        role=TeamRole.MDT,
        discipline=discipline,
        started_on=started_on,
        added_by=actor,
    )
    save_record(membership, actor)
    return membership


@transaction.atomic
def team_member_end(
    *, membership: TeamMembership, actor: User, ended_on: date, reason: str
) -> TeamMembership:
    """Take someone off the case team; they lose access to the case from now on."""
    if membership.role == TeamRole.CASE_MANAGER:
        raise ValidationError(
            gettext("The case manager leaves the team only by handing the case over.")
        )
    if membership.ended_on:
        raise ValidationError(gettext("This person has already left the case team."))
    not_in_future(ended_on, "ended_on", gettext("end date"))
    if ended_on < membership.started_on:
        raise ValidationError(
            {"ended_on": gettext("The end date cannot be before the start date.")}
        )
    membership.ended_on = ended_on
    membership.end_reason = reason
    membership.ended_by = actor
    save_record(membership, actor)
    return membership


@transaction.atomic
def case_manager_handover(
    *, beneficiary: Beneficiary, actor: User, new_manager: User, handover_on: date, note: str
) -> TeamMembership:
    """Hand the case to another case manager; the outgoing one leaves the team."""
    _check_case_manager(new_manager, beneficiary.organisation_id)
    not_in_future(handover_on, "handover_on", gettext("handover date"))
    current = beneficiary.team.filter(role=TeamRole.CASE_MANAGER, ended_on__isnull=True).first()
    if current and current.user_id == new_manager.pk:
        raise ValidationError(
            {
                "case_manager": gettext("%(name)s is already the case manager.")
                % {"name": new_manager}
            }
        )
    if current:
        if handover_on < current.started_on:
            raise ValidationError(
                {
                    "handover_on": gettext(
                        "The handover cannot be before the current case manager started."
                    )
                }
            )
        current.ended_on = handover_on
        current.end_reason = f"Handed over to {new_manager}. {note}".strip()
        current.ended_by = actor
        save_record(current, actor)
    # Someone already on the team as an MDT member becomes the case manager instead.
    for membership in beneficiary.team.filter(user=new_manager, ended_on__isnull=True):
        membership.ended_on = handover_on
        membership.end_reason = "Became the case manager."
        membership.ended_by = actor
        save_record(membership, actor)
    membership = TeamMembership(
        beneficiary=beneficiary,
        user=new_manager,
        role=TeamRole.CASE_MANAGER,
        discipline=new_manager.effective_discipline,
        started_on=handover_on,
        added_by=actor,
    )
    save_record(membership, actor)
    return membership


@transaction.atomic
def cases_reassign(
    *, cases: list[Beneficiary], actor: User, new_manager: User, handover_on: date, note: str
) -> int:
    """A supervisor hands one or many cases to another case manager: all of them, or none."""
    if not note.strip():
        raise ValidationError({"note": gettext("Write a handover note for the new case manager.")})
    if not cases:
        raise ValidationError(gettext("Choose at least one case."))
    for beneficiary in cases:
        if not actor.supervises(beneficiary.organisation_id):
            raise ValidationError(
                gettext("Only a supervisor of the case's organisation reassigns it.")
            )
        try:
            case_manager_handover(
                beneficiary=beneficiary,
                actor=actor,
                new_manager=new_manager,
                handover_on=handover_on,
                note=note,
            )
        except ValidationError as error:
            # Say which case stopped the batch; nothing of it has been saved.
            raise ValidationError(f"{beneficiary.case_code}: {' '.join(error.messages)}") from error
    return len(cases)


# --- Family and children -------------------------------------------------------


@transaction.atomic
def family_member_save(
    *,
    beneficiary: Beneficiary,
    actor: User,
    data: dict[str, Any],
    member: FamilyMember | None = None,
    opened_at: str = "",
) -> FamilyMember:
    """Add a family member (member=None) or change one, as opened at version `opened_at`."""
    member = member or FamilyMember(beneficiary=beneficiary)
    for field, value in data.items():
        setattr(member, field, value)
    save_record(member, actor, opened_at=opened_at)
    return member


@transaction.atomic
def child_save(
    *,
    beneficiary: Beneficiary,
    actor: User,
    data: dict[str, Any],
    child: Child | None = None,
    opened_at: str = "",
) -> Child:
    """Add a child of the beneficiary (child=None) or change one, as opened at `opened_at`."""
    not_in_future(data.get("date_of_birth"), "date_of_birth", gettext("date of birth"))
    child = child or Child(beneficiary=beneficiary)
    for field, value in data.items():
        setattr(child, field, value)
    save_record(child, actor, opened_at=opened_at)
    return child


# --- Consent ---------------------------------------------------------------------


@transaction.atomic
def consent_record(*, beneficiary: Beneficiary, actor: User, data: dict[str, Any]) -> Consent:
    consent = Consent(beneficiary=beneficiary, recorded_by=actor, **data)
    not_in_future(consent.given_on, "given_on", gettext("consent date"))
    errors: dict[str, str] = {}
    if consent.scope == ConsentScope.SHARING:
        if not consent.provider_id and not consent.shared_with.strip():
            errors["provider"] = gettext(
                "Choose the organisation from the directory, or name it under 'Shared with'."
            )
        if not consent.information:
            errors["information"] = gettext("Tick the information the person agrees to share.")
    else:
        # Only a consent to share names a recipient and what they may receive.
        consent.provider, consent.shared_with, consent.information = None, "", []
    if consent.method == ConsentMethod.VERBAL_WITNESSED and not consent.witness.strip():
        errors["witness"] = gettext("Name the witness of a verbal consent.")
    if consent.given_by != ConsentGiver.BENEFICIARY and not consent.given_by_name.strip():
        errors["given_by_name"] = gettext("Name the parent or guardian who gave consent.")
    born = beneficiary.date_of_birth
    if born and consent.given_on and age_on(born, consent.given_on) < ADULT_AGE:
        if consent.given_by == ConsentGiver.BENEFICIARY:
            errors["given_by"] = gettext(
                "For a child, consent is given by a parent or legal guardian."
            )
        if not consent.child_view.strip():
            errors["child_view"] = gettext("Record the child's own view.")
    if errors:
        raise ValidationError(errors)
    save_record(consent, actor)
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, actor: User, withdrawn_on: date, reason: str) -> Consent:
    if consent.withdrawn_on:
        raise ValidationError(gettext("This consent has already been withdrawn."))
    not_in_future(withdrawn_on, "withdrawn_on", gettext("withdrawal date"))
    if withdrawn_on < consent.given_on:
        raise ValidationError(
            {"withdrawn_on": gettext("A consent cannot be withdrawn before it was given.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": gettext("Record why the consent was withdrawn.")})
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_reason = reason
    consent.withdrawn_by = actor
    save_record(consent, actor)
    if consent.provider_id:
        signals.consent_withdrawn.send(sender=Consent, consent=consent, actor=actor)
    return consent


# --- Stage and setbacks ----------------------------------------------------------


@transaction.atomic
def stage_change(
    *,
    beneficiary: Beneficiary,
    actor: User,
    to_stage: str,
    changed_on: date,
    reason: str,
    setback: Setback | None = None,
) -> StageChange:
    """Move the case to another stage, forward or back, with the date and reason."""
    require_active(beneficiary)
    if to_stage == beneficiary.stage:
        raise ValidationError({"to_stage": gettext("The case is already in this stage.")})
    not_in_future(changed_on, "changed_on", gettext("date of the change"))
    _not_before_admission(
        beneficiary,
        changed_on,
        "changed_on",
        gettext("The date of the change cannot be before admission (%(date)s)."),
    )
    if changed_on < beneficiary.stage_since:
        raise ValidationError(
            {
                "changed_on": gettext(
                    "The case entered its current stage on %(date)s; "
                    "a change cannot be dated earlier."
                )
                % {"date": format_date(beneficiary.stage_since, "d M Y")}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": gettext("Record why the stage changes.")})
    change = StageChange(
        beneficiary=beneficiary,
        from_stage=beneficiary.stage,
        to_stage=to_stage,
        changed_on=changed_on,
        reason=reason,
        setback=setback,
        changed_by=actor,
    )
    save_record(change, actor)
    beneficiary.stage = to_stage
    beneficiary.stage_since = changed_on
    save_record(beneficiary, actor)
    return change


@transaction.atomic
def setback_record(
    *, beneficiary: Beneficiary, actor: User, data: dict[str, Any], move_to_stage: str = ""
) -> Setback:
    """Record a setback or crisis; optionally move the case back (or on) because of it.

    A sign of danger raises a crisis alarm in the same transaction (see `signals_danger`).
    """
    setback = Setback(beneficiary=beneficiary, recorded_by=actor, **data)
    not_in_future(setback.occurred_on, "occurred_on", gettext("date"))
    save_record(setback, actor)
    if signals_danger(setback):
        alarm = CrisisAlarm(beneficiary=beneficiary, setback=setback)
        save_record(alarm, actor)
        signals.crisis_alarm_raised.send(sender=CrisisAlarm, alarm=alarm)
    if move_to_stage:
        # The stage history's reasons are stored data, written in English like the other
        # reasons the services write, whatever the language of the page.
        with translation.override("en"):
            category = str(setback.get_category_display())
        try:
            stage_change(
                beneficiary=beneficiary,
                actor=actor,
                to_stage=move_to_stage,
                changed_on=max(setback.occurred_on, beneficiary.stage_since),
                reason=f"Setback: {category}.",
                setback=setback,
            )
        except ValidationError as error:
            raise ValidationError({"move_to_stage": error.messages}) from error
    return setback


def signals_danger(setback: Setback) -> bool:
    """Critical severity, or a category the organisation treats as danger whatever its
    severity (CRISIS_ALARM_CATEGORIES)."""
    return (
        setback.severity == Severity.CRITICAL
        or setback.category in settings.CRISIS_ALARM_CATEGORIES
    )


@transaction.atomic
def crisis_alarm_acknowledge(*, alarm: CrisisAlarm, actor: User, action_taken: str) -> CrisisAlarm:
    """Take the alarm down, saying what was done. Once: a second acknowledgement is refused."""
    alarm = (
        CrisisAlarm.objects.select_for_update(of=("self",))
        .select_related("acknowledged_by")
        .get(pk=alarm.pk)
    )
    if not alarm.is_open:
        raise ValidationError(
            gettext("%(name)s acknowledged this alarm on %(date)s.")
            % {
                "name": alarm.acknowledged_by,
                "date": format_date(timezone.localtime(alarm.acknowledged_at), "d M Y H:i"),
            }
        )
    if not action_taken.strip():
        raise ValidationError({"action_taken": gettext("Say what was done about it.")})
    alarm.acknowledged_at, alarm.acknowledged_by = timezone.now(), actor
    alarm.action_taken = action_taken
    save_record(alarm, actor)
    return alarm


# --- Closure, reopening and declining ----------------------------------------------


@transaction.atomic
def case_close(
    *,
    beneficiary: Beneficiary,
    actor: User,
    closed_on: date,
    reason: str,
    mutually_agreed: bool,
    notes: str = "",
) -> Closure:
    require_active(beneficiary)
    not_in_future(closed_on, "closed_on", gettext("closing date"))
    _not_before_admission(
        beneficiary,
        closed_on,
        "closed_on",
        gettext("The closing date cannot be before admission (%(date)s)."),
    )
    last_reopened_on = (
        beneficiary.closures.exclude(reopened_on=None)
        .order_by("-reopened_on")
        .values_list("reopened_on", flat=True)
        .first()
    )
    if last_reopened_on and closed_on < last_reopened_on:
        raise ValidationError(
            {"closed_on": gettext("The case cannot be closed before it was last reopened.")}
        )
    closure = Closure(
        beneficiary=beneficiary,
        closed_on=closed_on,
        reason=reason,
        mutually_agreed=mutually_agreed,
        notes=notes,
        closed_by=actor,
    )
    save_record(closure, actor)
    beneficiary.status = CaseStatus.CLOSED
    save_record(beneficiary, actor)
    return closure


@transaction.atomic
def case_reopen(
    *, beneficiary: Beneficiary, actor: User, reopened_on: date, reason: str
) -> Closure:
    """Reopen a closed case. Its history stays; the reopening is counted as a return."""
    closure = beneficiary.closures.filter(reopened_on__isnull=True).first()
    if beneficiary.status != CaseStatus.CLOSED or closure is None:
        raise ValidationError(gettext("Only a closed case can be reopened."))
    not_in_future(reopened_on, "reopened_on", gettext("reopening date"))
    if reopened_on < closure.closed_on:
        raise ValidationError(
            {"reopened_on": gettext("The case cannot be reopened before it was closed.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": gettext("Record why the case is reopened.")})
    closure.reopened_on = reopened_on
    closure.reopen_reason = reason
    closure.reopened_by = actor
    save_record(closure, actor)
    beneficiary.status = CaseStatus.ACTIVE
    save_record(beneficiary, actor)
    return closure


@transaction.atomic
def assistance_decline_record(
    *, beneficiary: Beneficiary, actor: User, data: dict[str, Any]
) -> AssistanceDecline:
    """Record that the person declined help. Declining all of it also closes the case."""
    decline = AssistanceDecline(beneficiary=beneficiary, recorded_by=actor, **data)
    not_in_future(decline.declined_on, "declined_on", gettext("date"))
    if decline.declined_on and decline.declined_on < beneficiary.admitted_on:
        raise ValidationError({"declined_on": gettext("The date cannot be before admission.")})
    if decline.scope == DeclineScope.PARTIAL and not decline.services_declined.strip():
        raise ValidationError({"services_declined": gettext("Say which services were declined.")})
    if decline.scope == DeclineScope.FULL:
        require_active(beneficiary)
    save_record(decline, actor)
    if decline.scope == DeclineScope.FULL:
        case_close(
            beneficiary=beneficiary,
            actor=actor,
            closed_on=decline.declined_on,
            reason=ClosureReason.DECLINED,
            mutually_agreed=False,
            notes=decline.reasons,
        )
    return decline


# --- Access log ---------------------------------------------------------------------


@transaction.atomic
def access_refused_record(*, user: User, asked_for: uuid.UUID, status: int, what: str) -> None:
    """Record a refused request for a case page, in a transaction of its own (the refused
    request's is rolled back)."""
    refused = RefusedAccess.objects.create(
        user=user,
        organisation_id=user.organisation_id,
        asked_for=asked_for,
        case=Beneficiary.objects.filter(public_id=asked_for).first(),
        status=status,
        what=what[:100],
    )
    since = refused.at - timedelta(minutes=settings.REFUSED_ACCESS_ALERT_MINUTES)
    # Exactly at the threshold: one alert per burst, not one per refusal after it.
    if (
        RefusedAccess.objects.filter(user=user, at__gt=since).count()
        == settings.REFUSED_ACCESS_ALERT_COUNT
    ):
        signals.refused_access_burst.send(sender=RefusedAccess, user=user, refused=refused)


def access_record(
    *, beneficiary: Beneficiary, user: User, action: AccessAction, what: str
) -> CaseAccess:
    """Write one access-log row. Called inside the caller's transaction, never on its own."""
    return CaseAccess.objects.create(
        beneficiary=beneficiary, user=user, action=action, what=what[:100]
    )


# --- Re-trafficking risk -----------------------------------------------------------


@transaction.atomic
def risk_flag_raise(
    *, beneficiary: Beneficiary, actor: User, indicators: list[str], reason: str, raised_on: date
) -> RiskFlag:
    """Raise the case's re-trafficking risk flag: its signs and why. The supervisors hear of
    it at once; while it is raised each contact made says how the risk looks."""
    # Locked: two people raising it at once would otherwise both find none open.
    Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).first()
    if beneficiary.risk_flags.filter(cleared_on__isnull=True).exists():
        raise ValidationError(
            gettext("A re-trafficking risk is already raised on this case: clear it first.")
        )
    errors = {}
    if not indicators:
        errors["indicators"] = gettext("Tick at least one sign of the risk.")
    if not reason.strip():
        errors["reason"] = gettext("Say what was seen or heard.")
    if errors:
        raise ValidationError(errors)
    within_the_file(beneficiary, raised_on, "raised_on", gettext("date raised"))
    flag = RiskFlag(
        beneficiary=beneficiary,
        indicators=indicators,
        raised_on=raised_on,
        raised_reason=reason,
        raised_by=actor,
    )
    save_record(flag, actor)
    signals.risk_flag_raised.send(sender=RiskFlag, flag=flag)
    return flag


@transaction.atomic
def risk_flag_clear(*, flag: RiskFlag, actor: User, reason: str, cleared_on: date) -> RiskFlag:
    """The risk has passed: say why and since when. Once: a cleared flag stays as it was."""
    flag = RiskFlag.objects.select_for_update().get(pk=flag.pk)
    if not flag.is_open:
        raise ValidationError(gettext("This risk flag is already cleared."))
    if not reason.strip():
        raise ValidationError({"reason": gettext("Say why the risk has passed.")})
    not_in_future(cleared_on, "cleared_on", gettext("date cleared"))
    if cleared_on < flag.raised_on:
        raise ValidationError(
            {
                "cleared_on": gettext("A flag cannot be cleared before it was raised (%(date)s).")
                % {"date": format_date(flag.raised_on, "d M Y")}
            }
        )
    flag.cleared_on, flag.cleared_reason, flag.cleared_by = cleared_on, reason, actor
    save_record(flag, actor)
    return flag


def within_the_file(beneficiary: Beneficiary, day: date, field: str, name: str) -> None:
    """A date on the case file: not in the future, not before admission. Every app's services
    use it for what happens on a case (`name` says which date, for the message)."""
    not_in_future(day, field, name)
    _not_before_admission(
        beneficiary, day, field, gettext("The date cannot be before admission (%(date)s).")
    )


# --- Safety: threats, the safety plan, who knows ------------------------------------


def check_threat_dates(data: dict[str, Any]) -> None:
    """The date rules of a threat, on its fields by name (an open threat's resolution date
    is cleared). The form calls it too: the database holds the same rules as constraints,
    and a form would otherwise show the constraint's message instead of this one."""
    identified, resolved = data.get("identified_on"), data.get("resolved_on")
    not_in_future(identified, "identified_on", gettext("date the threat was identified"))
    if data.get("status") != ThreatStatus.RESOLVED:
        # Reopened, or never resolved: an old resolution date would say it was over.
        data["resolved_on"] = None
        return
    if resolved is None:
        raise ValidationError({"resolved_on": gettext("Give the date the threat was resolved.")})
    not_in_future(resolved, "resolved_on", gettext("resolution date"))
    if identified and resolved < identified:
        raise ValidationError(
            {
                "resolved_on": gettext(
                    "A threat cannot be resolved before it was identified (%(date)s)."
                )
                % {"date": format_date(identified, "d M Y")}
            }
        )


def _check_threat(beneficiary: Beneficiary, threat: Threat) -> None:
    dates: dict[str, Any] = {
        "identified_on": threat.identified_on,
        "status": threat.status,
        "resolved_on": threat.resolved_on,
    }
    check_threat_dates(dates)
    threat.resolved_on = dates["resolved_on"]
    if threat.identified_on:
        _not_before_admission(
            beneficiary,
            threat.identified_on,
            "identified_on",
            gettext("A threat cannot be identified before admission (%(date)s)."),
        )


@transaction.atomic
def threat_record(*, beneficiary: Beneficiary, actor: User, data: dict[str, Any]) -> Threat:
    """Add a threat to the case's register."""
    threat = Threat(beneficiary=beneficiary, recorded_by=actor, **data)
    _check_threat(beneficiary, threat)
    save_record(threat, actor)
    return threat


@transaction.atomic
def threat_update(*, threat: Threat, actor: User, data: dict[str, Any], opened_at: str) -> Threat:
    """Change a threat as opened at version `opened_at`; resolving it is such a change."""
    for field, value in data.items():
        setattr(threat, field, value)
    _check_threat(threat.beneficiary, threat)
    save_record(threat, actor, opened_at=opened_at)
    return threat


def check_safety_plan_dates(data: dict[str, Any]) -> None:
    """The date rules of a safety plan, on its fields by name: agreed, then reviewed, then
    the next review. The form calls it too (the database holds them as constraints)."""
    agreed, reviewed, review = data.get("agreed_on"), data.get("reviewed_on"), data.get("review_on")
    not_in_future(agreed, "agreed_on", gettext("date the plan was agreed"))
    not_in_future(reviewed, "reviewed_on", gettext("review date"))
    if agreed and reviewed and reviewed < agreed:
        raise ValidationError(
            {"reviewed_on": gettext("The plan cannot be reviewed before it was agreed.")}
        )
    last = reviewed or agreed
    if last and review and review <= last:
        raise ValidationError(
            {
                "review_on": gettext(
                    "The next review must come after the plan was agreed or last reviewed "
                    "(%(date)s)."
                )
                % {"date": format_date(last, "d M Y")}
            }
        )


def _check_safety_plan(beneficiary: Beneficiary, plan: SafetyPlan) -> None:
    check_safety_plan_dates(
        {"agreed_on": plan.agreed_on, "reviewed_on": plan.reviewed_on, "review_on": plan.review_on}
    )
    if plan.agreed_on:
        _not_before_admission(
            beneficiary,
            plan.agreed_on,
            "agreed_on",
            gettext("A safety plan cannot be agreed before admission (%(date)s)."),
        )


@transaction.atomic
def safety_plan_record(
    *, beneficiary: Beneficiary, actor: User, data: dict[str, Any]
) -> SafetyPlan:
    """Record the safety plan agreed with the person. A case has one: later changes and
    reviews update it (`safety_plan_update`), and its history keeps the earlier versions."""
    # Locked: two people recording a first plan at once would otherwise both pass the check.
    Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).first()
    if SafetyPlan.objects.filter(beneficiary=beneficiary).exists():
        raise ValidationError(
            gettext("This case already has a safety plan: review and update that one.")
        )
    plan = SafetyPlan(beneficiary=beneficiary, recorded_by=actor, **data)
    _check_safety_plan(beneficiary, plan)
    save_record(plan, actor)
    return plan


@transaction.atomic
def safety_plan_update(
    *, plan: SafetyPlan, actor: User, data: dict[str, Any], opened_at: str
) -> SafetyPlan:
    """Change the safety plan as opened at `opened_at`. Reviewing it is such a change: the
    date of the review and a new review date."""
    for field, value in data.items():
        setattr(plan, field, value)
    plan.updated_by = actor
    _check_safety_plan(plan.beneficiary, plan)
    save_record(plan, actor, opened_at=opened_at)
    return plan


def _check_disclosure(disclosure: Disclosure) -> None:
    if disclosure.who == DisclosureWho.OTHER and not disclosure.name_or_role.strip():
        raise ValidationError({"name_or_role": gettext("Say who they are.")})


@transaction.atomic
def disclosure_add(*, beneficiary: Beneficiary, actor: User, data: dict[str, Any]) -> Disclosure:
    """Add someone to the map of who knows about the person's past."""
    disclosure = Disclosure(beneficiary=beneficiary, recorded_by=actor, **data)
    _check_disclosure(disclosure)
    save_record(disclosure, actor)
    return disclosure


@transaction.atomic
def disclosure_update(
    *, disclosure: Disclosure, actor: User, data: dict[str, Any], opened_at: str
) -> Disclosure:
    """Change an entry of the map as opened at `opened_at`."""
    for field, value in data.items():
        setattr(disclosure, field, value)
    _check_disclosure(disclosure)
    save_record(disclosure, actor, opened_at=opened_at)
    return disclosure


# --- Documents and legal status ------------------------------------------------------


def check_document_dates(data: dict[str, Any]) -> None:
    """The date rules of a document, on its fields by name: an issued document has its date
    of issue, and expires after it. The form calls it too (the database holds the same rules
    as constraints, whose own messages would otherwise show)."""
    applied, issued, expires = data.get("applied_on"), data.get("issued_on"), data.get("expires_on")
    not_in_future(applied, "applied_on", gettext("date of the application"))
    not_in_future(issued, "issued_on", gettext("date of issue"))
    if data.get("status") == DocumentStatus.ISSUED and issued is None:
        raise ValidationError({"issued_on": gettext("Give the date the document was issued.")})
    if issued and expires and expires <= issued:
        raise ValidationError(
            {
                "expires_on": gettext("A document cannot expire before it was issued (%(date)s).")
                % {"date": format_date(issued, "d M Y")}
            }
        )


def _check_document(beneficiary: Beneficiary, document: Document) -> None:
    if document.child is not None and document.child.beneficiary_id != beneficiary.pk:
        raise ValidationError({"child": gettext("Choose one of this person's children.")})
    check_document_dates(
        {
            "status": document.status,
            "applied_on": document.applied_on,
            "issued_on": document.issued_on,
            "expires_on": document.expires_on,
        }
    )


@transaction.atomic
def document_record(*, beneficiary: Beneficiary, actor: User, data: dict[str, Any]) -> Document:
    """Add a document the person (or one of their children) has, lacks or is applying for."""
    document = Document(beneficiary=beneficiary, recorded_by=actor, **data)
    _check_document(beneficiary, document)
    save_record(document, actor)
    return document


@transaction.atomic
def document_update(
    *, document: Document, actor: User, data: dict[str, Any], opened_at: str
) -> Document:
    """Change a document as opened at version `opened_at`: its status, who sees to it, its
    dates. A renewed document is this one with its new dates."""
    for field, value in data.items():
        setattr(document, field, value)
    _check_document(document.beneficiary, document)
    save_record(document, actor, opened_at=opened_at)
    return document


@transaction.atomic
def document_step_add(*, document: Document, actor: User, data: dict[str, Any]) -> DocumentStep:
    """Record a step taken towards a document, on the day it was taken."""
    step = DocumentStep(document=document, recorded_by=actor, **data)
    if not step.step.strip():
        raise ValidationError({"step": gettext("Say what was done.")})
    if step.taken_on:
        within_the_file(
            document.beneficiary, step.taken_on, "taken_on", gettext("date of the step")
        )
    save_record(step, actor)
    return step
