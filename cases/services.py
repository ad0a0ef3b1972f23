"""Every change to a case file goes through these functions.

Views, the demo-data command and later apps call them alike. Each one validates the
rules that involve more than one field or row, runs in one transaction, and records the
acting user in the change history. Rule violations raise ValidationError keyed by field
name, so forms can show the message next to the field and nothing is half-saved.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

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
    ComplexFactor,
    ConsentGiver,
    ConsentMethod,
    ConsentScope,
    DeclineScope,
    DisclosureWho,
    DocumentStatus,
    ProceedingOutcome,
    ProceedingStage,
    Severity,
    Stage,
    TeamRole,
    ThreatStatus,
)
from .models import (
    ADULT_AGE,
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
    ExportLog,
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
    age_on,
)
from .selectors import beneficiaries_visible_to, guardians_holding_authority

if TYPE_CHECKING:
    from accounts.http import OrganisationStaff

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
    *,
    actor: User,
    case_manager: User,
    profile: dict[str, Any],
    assigned_on: date | None = None,
    as_child_of: Child | None = None,
) -> Beneficiary:
    """Open a new case file with its case code, first stage and case manager.

    The case manager is on the team from `assigned_on`: today, unless an older file is
    being entered after the fact. `as_child_of`: the file is a case of their own for this
    child of a beneficiary, linked to the parent's file in the same transaction.
    """
    if not actor.can_register_cases or actor.organisation_id is None:
        raise ValidationError(gettext("Only case workers and supervisors can register a new case."))
    _check_case_manager(case_manager, actor.organisation_id)
    check_profile_dates(profile)
    not_in_future(assigned_on, "assigned_on", gettext("assignment date"))
    child = _child_to_link(as_child_of, actor) if as_child_of is not None else None
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
    if child is not None:
        child.own_case = beneficiary
        save_record(child, actor)
    # The MDT needs assessment is due two weeks after admission: it exists from the start.
    signals.beneficiary_registered.send(sender=Beneficiary, beneficiary=beneficiary, actor=actor)
    # A complex case calls for a multidisciplinary case review from the start.
    case_review_request(beneficiary=beneficiary, factors=beneficiary.complex_factors, actor=actor)
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
    # As stored: an edit form has already put what was typed on the case it was given.
    factors_before = (
        Beneficiary.objects.filter(pk=beneficiary.pk)
        .values_list("complex_factors", flat=True)
        .get()
    )
    for field, value in profile.items():
        setattr(beneficiary, field, value)
    if len(changes) == 1 and changes[0].changed_on != new_admission:
        # Still in the stage it was admitted to: that stage began on the corrected date.
        beneficiary.stage_since = new_admission
        changes[0].changed_on = new_admission
        save_record(changes[0], actor)
    save_record(beneficiary, actor, opened_at=opened_at)
    # A factor newly set asks the team for a case review (the same transaction).
    case_review_request(
        beneficiary=beneficiary,
        factors=[f for f in beneficiary.complex_factors if f not in factors_before],
        actor=actor,
    )
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


# --- Child safeguards: guardians, best-interests determinations, a child's own case ---


def check_guardian_dates(data: dict[str, Any]) -> None:
    """The date rules of a guardian's authority, on its fields by name: it has begun, and it
    ends on or after the day it began. The form calls it too (the database holds the second
    as a constraint, whose own message would otherwise show)."""
    start, until = data.get("authority_from"), data.get("authority_until")
    not_in_future(start, "authority_from", gettext("start of the authority"))
    if start and until and until < start:
        raise ValidationError(
            {
                "authority_until": gettext("The authority cannot end before it began (%(date)s).")
                % {"date": format_date(start, "d M Y")}
            }
        )


def _check_guardian(guardian: Guardian) -> None:
    if not guardian.name.strip():
        raise ValidationError({"name": gettext("Give the guardian's name.")})
    check_guardian_dates(
        {"authority_from": guardian.authority_from, "authority_until": guardian.authority_until}
    )


@transaction.atomic
def guardian_add(*, beneficiary: Beneficiary, actor: User, data: dict[str, Any]) -> Guardian:
    """Record who holds parental authority for the person (a child), and since when."""
    guardian = Guardian(beneficiary=beneficiary, recorded_by=actor, **data)
    _check_guardian(guardian)
    save_record(guardian, actor)
    return guardian


@transaction.atomic
def guardian_update(
    *, guardian: Guardian, actor: User, data: dict[str, Any], opened_at: str
) -> Guardian:
    """Change a guardian as opened at `opened_at`; an authority that ends gets its last day."""
    for field, value in data.items():
        setattr(guardian, field, value)
    _check_guardian(guardian)
    save_record(guardian, actor, opened_at=opened_at)
    return guardian


def _authority_period(guardian: Guardian) -> str:
    start = format_date(guardian.authority_from, "d M Y")
    if guardian.authority_until:
        return gettext("%(name)s from %(start)s to %(end)s") % {
            "name": guardian.name,
            "start": start,
            "end": format_date(guardian.authority_until, "d M Y"),
        }
    return gettext("%(name)s from %(start)s") % {"name": guardian.name, "start": start}


def guardian_authority_problem(beneficiary: Beneficiary, day: date) -> str:
    """Why a parent or guardian cannot act for the person on `day` (a consent, a plan
    signature): where the person's guardians are recorded, one must hold authority that day.
    Empty when one does, or when none is recorded (nothing to check against)."""
    guardians = list(beneficiary.guardians.all())
    if not guardians or guardians_holding_authority(guardians, day):
        return ""
    return gettext(
        "No recorded guardian holds authority on %(date)s (%(periods)s). Record the guardian "
        "who does, or check the date."
    ) % {
        "date": format_date(day, "d M Y"),
        "periods": "; ".join(_authority_period(g) for g in guardians),
    }


def check_best_interests_dates(data: dict[str, Any]) -> None:
    """The review of a best-interests determination comes on or after the decision. The form
    calls it too (the database holds it as a constraint)."""
    decided, review = data.get("decided_on"), data.get("review_on")
    if decided and review and review < decided:
        raise ValidationError(
            {
                "review_on": gettext("The review cannot come before the decision (%(date)s).")
                % {"date": format_date(decided, "d M Y")}
            }
        )


def _check_best_interests(determination: BestInterestsDetermination) -> None:
    errors = {
        field: message
        for field, message in (
            ("question", gettext("Say what was decided about.")),
            ("decision", gettext("Record the decision.")),
            ("participants", gettext("Say who took part.")),
            ("child_view", gettext("Record the child's view, in their own words.")),
        )
        if not getattr(determination, field).strip()
    }
    if errors:
        raise ValidationError(errors)
    within_the_file(
        determination.beneficiary,
        determination.decided_on,
        "decided_on",
        gettext("date of the decision"),
    )
    check_best_interests_dates(
        {"decided_on": determination.decided_on, "review_on": determination.review_on}
    )


@transaction.atomic
def best_interests_record(
    *, beneficiary: Beneficiary, actor: User, data: dict[str, Any]
) -> BestInterestsDetermination:
    """Record a decision taken for the child's best interests: who took part, what the child
    said, and when it is looked at again."""
    determination = BestInterestsDetermination(beneficiary=beneficiary, recorded_by=actor, **data)
    _check_best_interests(determination)
    save_record(determination, actor)
    return determination


@transaction.atomic
def best_interests_update(
    *,
    determination: BestInterestsDetermination,
    actor: User,
    data: dict[str, Any],
    opened_at: str,
) -> BestInterestsDetermination:
    """Change a determination as opened at `opened_at`; a review moves its review date on."""
    for field, value in data.items():
        setattr(determination, field, value)
    _check_best_interests(determination)
    save_record(determination, actor, opened_at=opened_at)
    return determination


def _child_to_link(child: Child, actor: User) -> Child:
    """The child, locked, if `actor` may give them a case of their own: the parent's file is
    one they see, of their organisation, and the child has no case of their own yet."""
    # Locked: two people registering the same child at once would otherwise both pass.
    locked = Child.objects.select_for_update().get(pk=child.pk)
    parent = locked.beneficiary
    if (
        parent.organisation_id != actor.organisation_id
        or not beneficiaries_visible_to(actor).filter(pk=parent.pk).exists()
    ):
        raise ValidationError(
            gettext("Only someone who works on the parent's file can link the child's case.")
        )
    if locked.own_case is not None:
        raise ValidationError(
            gettext("%(name)s already has a case of their own (%(code)s).")
            % {"name": locked.first_name, "code": locked.own_case.case_code}
        )
    return locked


@transaction.atomic
def child_link_case(*, child: Child, case: Beneficiary, actor: User) -> Child:
    """Link a child of a beneficiary to the case file they already have of their own; the link
    reads both ways, from the parent's file and from the child's."""
    child = _child_to_link(child, actor)
    if case.pk == child.beneficiary_id:
        raise ValidationError({"case_code": gettext("This is the parent's own file.")})
    if (
        case.organisation_id != actor.organisation_id
        or not beneficiaries_visible_to(actor).filter(pk=case.pk).exists()
    ):
        raise ValidationError(
            {"case_code": gettext("Give the code of a case of your organisation that you see.")}
        )
    linked = Child.objects.filter(own_case=case).select_related("beneficiary").first()
    if linked is not None:
        raise ValidationError(
            {
                "case_code": gettext("%(code)s is already linked as a child of %(parent)s.")
                % {"code": case.case_code, "parent": linked.beneficiary.case_code}
            }
        )
    child.own_case = case
    save_record(child, actor)
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
    if (
        consent.given_by != ConsentGiver.BENEFICIARY
        and consent.given_on
        and (problem := guardian_authority_problem(beneficiary, consent.given_on))
    ):
        errors["given_by"] = problem
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


def export_record(
    *,
    actor: OrganisationStaff,
    what: str,
    beneficiary_ids: list[int],
    case_what: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
) -> ExportLog:
    """Record an export: one entry in the organisation's export log (`what` in English, a
    msgid shown translated), and an export row on the access log of every case it carries
    (`case_what`, else `what`). Called inside the caller's transaction, never on its own."""
    now = timezone.now()
    CaseAccess.objects.bulk_create(
        CaseAccess(
            beneficiary_id=pk,
            user=actor,
            action=AccessAction.EXPORT,
            what=(case_what or what)[:100],
            at=now,
        )
        for pk in beneficiary_ids
    )
    return ExportLog.objects.create(
        organisation_id=actor.organisation_id,
        user=actor,
        what=what,
        period_start=period_start,
        period_end=period_end,
        rows=len(beneficiary_ids),
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


# --- Multidisciplinary case reviews -------------------------------------------------


def _lock_case(beneficiary: Beneficiary) -> None:
    """Serialise the writes that keep one pending review per case (PostgreSQL; SQLite
    writes one at a time anyway)."""
    list(Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).values_list("pk"))


def _pending_review(beneficiary: Beneficiary) -> CaseReview | None:
    return CaseReview.objects.filter(beneficiary=beneficiary, held_on__isnull=True).first()


@transaction.atomic
def case_review_request(
    *, beneficiary: Beneficiary, factors: list[str], actor: User
) -> CaseReview | None:
    """Ask the team for a multidisciplinary case review because complex factors were newly
    set on an active case: a pending review due within CASE_REVIEW_WITHIN_DAYS, prompted by
    them, or the factors added to the review already pending (due by then at the latest).
    None when there is nothing to ask for."""
    factors = [f for f in dict.fromkeys(factors) if f in ComplexFactor.values]
    if not factors or beneficiary.status != CaseStatus.ACTIVE:
        return None
    _lock_case(beneficiary)
    due_on = timezone.localdate() + timedelta(days=settings.CASE_REVIEW_WITHIN_DAYS)
    review = _pending_review(beneficiary)
    if review is None:
        review = CaseReview(beneficiary=beneficiary, due_on=due_on, factors=factors)
    else:
        review.factors = [*review.factors, *(f for f in factors if f not in review.factors)]
        review.due_on = min(review.due_on, due_on)
    save_record(review, actor)
    return review


# A review planned further ahead than this is more likely a typing slip than a plan.
CASE_REVIEW_PLANNED_WITHIN_DAYS = 366


@transaction.atomic
def case_review_plan(*, beneficiary: Beneficiary, actor: User, due_on: date) -> CaseReview:
    """The case manager plans a case review without a new factor: a pending review, if none is."""
    require_active(beneficiary)
    today = timezone.localdate()
    if due_on < today:
        raise ValidationError({"due_on": gettext("Plan the review for today or later.")})
    if due_on > today + timedelta(days=CASE_REVIEW_PLANNED_WITHIN_DAYS):
        raise ValidationError({"due_on": gettext("Plan the review within the next year.")})
    _lock_case(beneficiary)
    if pending := _pending_review(beneficiary):
        raise ValidationError(
            {
                "due_on": gettext(
                    "A review is already due on %(date)s: record it, and plan the next one there."
                )
                % {"date": format_date(pending.due_on, "d M Y")}
            }
        )
    review = CaseReview(beneficiary=beneficiary, due_on=due_on, factors=[])
    save_record(review, actor)
    return review


def check_case_review(beneficiary: Beneficiary, data: dict[str, Any]) -> None:
    """The rules of a held review, on its fields by name: the day it was held is on the
    file, who took part and what was decided are written down, the next review comes
    after it. The form calls it too (the database's constraints would otherwise speak)."""
    held_on = data.get("held_on")
    if held_on is None:
        raise ValidationError({"held_on": gettext("Give the date the review was held.")})
    within_the_file(beneficiary, held_on, "held_on", gettext("date of the review"))
    if not (data.get("participants") or "").strip():
        raise ValidationError({"participants": gettext("Say who took part.")})
    if not (data.get("decisions") or "").strip():
        raise ValidationError({"decisions": gettext("Write down what was decided.")})
    next_review_on = data.get("next_review_on")
    if next_review_on is not None and next_review_on <= held_on:
        raise ValidationError(
            {
                "next_review_on": gettext("The next review comes after this one (%(date)s).")
                % {"date": format_date(held_on, "d M Y")}
            }
        )


@transaction.atomic
def case_review_record(
    *,
    review: CaseReview,
    actor: User,
    held_on: date | None,
    participants: str,
    decisions: str,
    next_review_on: date | None,
    opened_at: str,
) -> CaseReview:
    """Record a review as held (or correct a held one), as opened at version `opened_at`.

    A next review date plans the next review: a pending one due then, or, if a review is
    pending already (a new factor asked for one), that one due by then at the latest."""
    beneficiary = review.beneficiary
    require_active(beneficiary)
    data = {
        "held_on": held_on,
        "participants": participants,
        "decisions": decisions,
        "next_review_on": next_review_on,
    }
    check_case_review(beneficiary, data)
    _lock_case(beneficiary)
    # As stored: an edit form has already put what was typed on the review it was given.
    stored = CaseReview.objects.filter(pk=review.pk).values_list("next_review_on", flat=True)
    planned_before = stored.first() if review.pk else None
    for field, value in data.items():
        setattr(review, field, value)
    review.recorded_by = review.recorded_by or actor
    save_record(review, actor, opened_at=opened_at)
    if next_review_on is not None and next_review_on != planned_before:
        pending = _pending_review(beneficiary)
        if pending is None:
            save_record(CaseReview(beneficiary=beneficiary, due_on=next_review_on), actor)
        elif next_review_on < pending.due_on:
            pending.due_on = next_review_on
            save_record(pending, actor)
    return review


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


# --- Legal proceedings and hearings ---------------------------------------------------

# A hearing date further ahead than this is a typing slip (9999 for 2029), not a plan.
HEARING_LATEST_YEARS = 10
_CURRENCY = re.compile(r"[A-Z]{3}")


def check_proceeding_fields(data: dict[str, Any], beneficiary: Beneficiary | None = None) -> None:
    """The rules of a set of proceedings, on its fields by name; the form calls it too, so
    each message sits next to its field. It tidies `data` in place: the outcome date of a
    pending outcome is cleared, the currency put in capitals.

    A trial often starts before the person is referred to us: the start is not held to the
    admission date, only to the past (and to the person's birth)."""
    started, outcome = data.get("started_on"), data.get("outcome")
    outcome_on = data.get("outcome_on")
    not_in_future(started, "started_on", gettext("start of the proceedings"))
    born = beneficiary.date_of_birth if beneficiary is not None else None
    if started and started < (born or EARLIEST_BIRTH_DATE):
        raise ValidationError(
            {"started_on": gettext("Check the date: it is before the person was born.")}
        )
    if data.get("stage") == ProceedingStage.ENDED and outcome == ProceedingOutcome.PENDING:
        raise ValidationError(
            {"outcome": gettext("Proceedings that ended have an outcome: choose it.")}
        )
    if outcome == ProceedingOutcome.PENDING:
        # No outcome yet: an old outcome date would say there was one.
        data["outcome_on"] = None
    elif outcome:
        if outcome_on is None:
            raise ValidationError({"outcome_on": gettext("Give the date of the outcome.")})
        not_in_future(outcome_on, "outcome_on", gettext("date of the outcome"))
        if started and outcome_on < started:
            raise ValidationError(
                {
                    "outcome_on": gettext(
                        "The outcome cannot come before the proceedings started (%(date)s)."
                    )
                    % {"date": format_date(started, "d M Y")}
                }
            )
    amount_fields = ("compensation_claimed", "compensation_received")
    amounts = [data.get(field) for field in amount_fields]
    for field, amount in zip(amount_fields, amounts, strict=True):
        if amount is not None and amount < 0:
            raise ValidationError({field: gettext("An amount cannot be negative.")})
    currency = (data.get("currency") or "").strip().upper()
    data["currency"] = currency
    if currency and not _CURRENCY.fullmatch(currency):
        raise ValidationError(
            {"currency": gettext("Give the currency as its three-letter code, e.g. EUR.")}
        )
    if not currency and any(amount is not None for amount in amounts):
        raise ValidationError({"currency": gettext("Give the currency of the amounts.")})


def _proceeding_fields(proceeding: LegalProceeding) -> dict[str, Any]:
    names = (
        "started_on", "stage", "outcome", "outcome_on", "compensation_claimed",
        "compensation_received", "currency",
    )  # fmt: skip
    return {name: getattr(proceeding, name) for name in names}


def _check_proceeding(proceeding: LegalProceeding) -> None:
    if not proceeding.authority.strip():
        raise ValidationError({"authority": gettext("Name the court or authority.")})
    fields = _proceeding_fields(proceeding)
    check_proceeding_fields(fields, proceeding.beneficiary)
    proceeding.outcome_on, proceeding.currency = fields["outcome_on"], fields["currency"]


@transaction.atomic
def proceeding_record(*, beneficiary: Beneficiary, actor: User, **fields: Any) -> LegalProceeding:
    """Record legal proceedings the person takes part in. Read and written only by the
    case manager, a lawyer on the team and supervisors (`selectors.reads_legal`)."""
    proceeding = LegalProceeding(beneficiary=beneficiary, recorded_by=actor, **fields)
    _check_proceeding(proceeding)
    save_record(proceeding, actor)
    return proceeding


@transaction.atomic
def proceeding_update(
    *, proceeding: LegalProceeding, actor: User, opened_at: str, **fields: Any
) -> LegalProceeding:
    """Change proceedings as opened at version `opened_at`: a new stage, the outcome,
    compensation claimed or received."""
    for field, value in fields.items():
        setattr(proceeding, field, value)
    _check_proceeding(proceeding)
    save_record(proceeding, actor, opened_at=opened_at)
    return proceeding


def check_hearing_fields(data: dict[str, Any], proceeding: LegalProceeding) -> None:
    """The rules of a hearing, on its fields by name: it may be ahead or past, but not
    before the proceedings started; what happened is told once it has taken place."""
    held_on = data.get("held_on")
    if held_on is None:
        return
    if held_on < proceeding.started_on:
        raise ValidationError(
            {
                "held_on": gettext("A hearing cannot be before the proceedings started (%(date)s).")
                % {"date": format_date(proceeding.started_on, "d M Y")}
            }
        )
    today = timezone.localdate()
    if held_on > today + timedelta(days=HEARING_LATEST_YEARS * 365):
        raise ValidationError(
            {"held_on": gettext("Check the date: it is more than ten years ahead.")}
        )
    if held_on > today and (data.get("result") or "").strip():
        raise ValidationError(
            {"result": gettext("Say what happened once the hearing has taken place.")}
        )


def _check_hearing(hearing: Hearing) -> None:
    check_hearing_fields({"held_on": hearing.held_on, "result": hearing.result}, hearing.proceeding)


@transaction.atomic
def hearing_add(*, proceeding: LegalProceeding, actor: User, **fields: Any) -> Hearing:
    """Add a hearing, interview or court appearance to proceedings: one ahead, to prepare
    the person for it, or one past, with what happened."""
    hearing = Hearing(proceeding=proceeding, recorded_by=actor, **fields)
    _check_hearing(hearing)
    save_record(hearing, actor)
    return hearing


@transaction.atomic
def hearing_update(*, hearing: Hearing, actor: User, opened_at: str, **fields: Any) -> Hearing:
    """Change a hearing as opened at `opened_at`: moved to another day, or what happened."""
    for field, value in fields.items():
        setattr(hearing, field, value)
    _check_hearing(hearing)
    save_record(hearing, actor, opened_at=opened_at)
    return hearing
