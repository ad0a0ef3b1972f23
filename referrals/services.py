"""Writes for referrals, overrides, unmet needs and transfers. Each is one transaction."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import dateformat, timezone
from django.utils.translation import gettext

from accounts.models import Organisation, User
from accounts.selectors import supervisors_of
from cases.access import Access, get_beneficiary_for
from cases.choices import AccessAction, TeamRole
from cases.models import Beneficiary, Consent, TeamMembership
from cases.services import access_record, case_manager_handover, require_active
from core.records import save_record
from core.validators import not_in_future
from core.wording import require_neutral
from directory.choices import InformationCategory
from directory.models import Provider, Service
from notifications.models import NotificationKind
from notifications.services import notify
from plans.models import Task

from .choices import (
    OPEN_STATUSES,
    REASON_REQUIRED,
    TRANSITIONS,
    OverrideStatus,
    ReferralStatus,
    TransferStatus,
)
from .models import CaseTransfer, Referral, ReferralEvent, ReferralOverride, UnmetNeed
from .selectors import covered_information, sharing_check

# --- Finding a service for a case ----------------------------------------------------------


@transaction.atomic
def referring_case_open(*, user: User, case_id: uuid.UUID, page: str) -> Beneficiary | None:
    """The case whose manager is finding a service for it in the directory, if they may refer
    it: fetched and logged like any case page. None for anyone else, without saying why."""
    try:
        beneficiary = get_beneficiary_for(user, case_id, need=Access.MANAGE)
    except (Http404, PermissionDenied):
        return None
    access_record(beneficiary=beneficiary, user=user, action=AccessAction.VIEW_PAGE, what=page)
    return beneficiary


# --- Referrals ----------------------------------------------------------------------------


def _check_referral_content(referral: Referral) -> None:
    require_neutral({"reason": referral.reason})
    if InformationCategory.CASE_FILE in referral.information:
        raise ValidationError(
            {
                "information": gettext(
                    "The whole case file goes only with a transfer of case responsibility."
                )
            }
        )


def _event(referral: Referral, actor: User, from_status: str, on: date, note: str = "") -> None:
    ReferralEvent.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=referral.status,
        happened_on=on,
        note=note,
        recorded_by=actor,
    )


@transaction.atomic
def referral_create(
    *,
    beneficiary: Beneficiary,
    actor: User,
    service: Service,
    data: dict[str, Any],
    task: Task | None = None,
    on: date | None = None,
) -> Referral:
    """A draft referral: nothing leaves the organisation until it is sent.

    `on` backdates it, for a referral agreed earlier and written up now.
    """
    require_active(beneficiary)
    if not service.active or not service.provider.active:
        raise ValidationError({"service": gettext("This service is no longer in the directory.")})
    today = on or timezone.localdate()
    if today > timezone.localdate() or today < beneficiary.admitted_on:
        raise ValidationError(gettext("A referral is dated between admission and today."))
    referral = Referral(
        beneficiary=beneficiary,
        service=service,
        provider=service.provider,
        task=task,
        status=ReferralStatus.DRAFT,
        status_changed_on=today,
        created_by=actor,
        **data,
    )
    if referral.domain not in service.domains:
        raise ValidationError(
            {
                "domain": gettext("%(service)s does not offer this; it covers: %(domains)s.")
                % {"service": service.name, "domains": ", ".join(service.domain_labels)}
            }
        )
    _check_referral_content(referral)
    save_record(referral, actor)
    _event(referral, actor, "", today)
    return referral


@transaction.atomic
def referral_update(
    *, referral: Referral, actor: User, data: dict[str, Any], opened_at: str
) -> Referral:
    """Change a draft, as opened at version `opened_at`. Once sent, what was asked and shared
    stays as it was sent."""
    referral = _locked(referral)
    if referral.status != ReferralStatus.DRAFT:
        raise ValidationError(gettext("Only a draft can be changed; this referral has been sent."))
    for name, value in data.items():
        setattr(referral, name, value)
    if referral.domain not in referral.service.domains:
        raise ValidationError({"domain": gettext("The service does not offer this.")})
    _check_referral_content(referral)
    save_record(referral, actor, opened_at=opened_at)
    return referral


def _locked(referral: Referral) -> Referral:
    """The referral as stored now, locked until the transaction ends.

    Every write starts from here, so a stale copy held by the caller never overwrites a
    change made in between (a status set by someone else, say).
    """
    return (
        Referral.objects.select_for_update()
        .select_related("service", "provider", "beneficiary")
        .get(pk=referral.pk)
    )


def _check_move_date(referral: Referral, on: date) -> None:
    not_in_future(on, "on", gettext("date"))
    if on < referral.status_changed_on:
        raise ValidationError(
            {
                "on": gettext("The date cannot be before the last change (%(date)s).")
                % {"date": dateformat.format(referral.status_changed_on, "d M Y")}
            }
        )


@transaction.atomic
def referral_send(*, referral: Referral, actor: User, on: date) -> Referral:
    """Send a draft, if the person's consent and the provider's agreement allow it."""
    referral = _locked(referral)
    if referral.status != ReferralStatus.DRAFT:
        raise ValidationError(gettext("This referral has already been sent."))
    require_active(referral.beneficiary)
    _check_move_date(referral, on)
    check = sharing_check(referral)
    if not check.consent_ok:
        raise ValidationError(
            gettext(
                "The person has not agreed to share this with the provider: %(information)s. "
                "Record their consent, or ask a supervisor."
            )
            % {"information": "; ".join(check.missing_labels)}
        )
    if not check.agreement_ok:
        raise ValidationError(
            gettext(
                "%(provider)s has no confidentiality agreement on file: case information "
                "cannot go to it without a supervisor's override."
            )
            % {"provider": referral.provider}
        )
    referral.status = ReferralStatus.SENT
    referral.status_changed_on = referral.sent_on = on
    referral.consent_withdrawn_on = None
    save_record(referral, actor)
    _event(referral, actor, ReferralStatus.DRAFT, on)
    return referral


@transaction.atomic
def referral_move(
    *, referral: Referral, actor: User, to_status: str, on: date, note: str = ""
) -> Referral:
    """Record the provider's answer, the person's choice, or how the referral ended."""
    referral = _locked(referral)
    if to_status == ReferralStatus.SENT:
        raise ValidationError(gettext("Send a referral with 'Send', which checks consent first."))
    if to_status not in TRANSITIONS.get(referral.status, set()):
        raise ValidationError(
            {
                "to_status": gettext("A referral that is %(current)s cannot become %(new)s.")
                % {
                    "current": referral.get_status_display().lower(),
                    "new": ReferralStatus(to_status).label.lower(),
                }
            }
        )
    _check_move_date(referral, on)
    if to_status in REASON_REQUIRED and not note.strip():
        raise ValidationError({"note": gettext("Record the reason.")})
    if to_status == ReferralStatus.COMPLETED and not (note.strip() or referral.outcome.strip()):
        raise ValidationError({"note": gettext("Record the outcome: what the person received.")})
    from_status = referral.status
    referral.status = to_status
    referral.status_changed_on = on
    if to_status in REASON_REQUIRED:
        referral.closing_reason = note
    if to_status == ReferralStatus.COMPLETED and note.strip():
        referral.outcome = note
    save_record(referral, actor)
    _event(referral, actor, from_status, on, note)
    return referral


@transaction.atomic
def referral_follow_through(
    *, referral: Referral, actor: User, data: dict[str, Any], opened_at: str
) -> Referral:
    """Outcome, how the person was treated, and barriers met: recordable at any time (as
    opened at version `opened_at`)."""
    referral = _locked(referral)
    for name, value in data.items():
        setattr(referral, name, value)
    save_record(referral, actor, opened_at=opened_at)
    return referral


def _case_managers_of(beneficiary: Beneficiary) -> list[User]:
    return [
        m.user
        for m in TeamMembership.objects.filter(
            beneficiary=beneficiary, role=TeamRole.CASE_MANAGER, ended_on__isnull=True
        ).select_related("user")
    ]


@transaction.atomic
def override_request(
    *, referral: Referral, actor: User, kind: str, reason: str
) -> ReferralOverride:
    """Ask for (or, as a supervisor of the case's organisation, give) a written override."""
    if referral.status != ReferralStatus.DRAFT:
        raise ValidationError(gettext("Overrides are for referrals not sent yet."))
    if not reason.strip():
        raise ValidationError({"reason": gettext("Write down why the referral must go anyway.")})
    check = sharing_check(referral)
    needed = {"consent": not check.consent_ok, "agreement": not check.agreement_ok}
    if not check.shares_information or not needed.get(kind):
        raise ValidationError({"kind": gettext("This referral does not need that override.")})
    if check.pending(kind):
        raise ValidationError(
            {"kind": gettext("A supervisor has already been asked for this override.")}
        )
    override = ReferralOverride(referral=referral, kind=kind, requested_by=actor, reason=reason)
    supervises = actor.supervises(referral.beneficiary.organisation_id)
    if supervises:
        override.status = OverrideStatus.GRANTED
        override.decided_by = actor
        override.decided_at = timezone.now()
    save_record(override, actor)
    if not supervises:
        notify(
            supervisors_of(referral.beneficiary.organisation_id),
            referral.beneficiary,
            NotificationKind.OVERRIDE_REQUESTED,
            timezone.localdate(),
            f"override:{override.pk}",
        )
    return override


@transaction.atomic
def override_decide(
    *, override: ReferralOverride, actor: User, grant: bool, note: str
) -> ReferralOverride:
    if override.status != OverrideStatus.REQUESTED:
        raise ValidationError(gettext("This override has already been decided."))
    beneficiary = override.referral.beneficiary
    if not actor.supervises(beneficiary.organisation_id):
        raise ValidationError(
            gettext("Only a supervisor of the case's organisation decides overrides.")
        )
    if not note.strip():
        raise ValidationError({"note": gettext("Write down the reason for the decision.")})
    override.status = OverrideStatus.GRANTED if grant else OverrideStatus.REFUSED
    override.decided_by = actor
    override.decided_at = timezone.now()
    override.decision_note = note
    save_record(override, actor)
    notify(
        [override.requested_by],
        beneficiary,
        NotificationKind.OVERRIDE_DECIDED,
        timezone.localdate(),
        f"override-decided:{override.pk}",
    )
    return override


def flag_referrals_after_withdrawal(*, consent: Consent, actor: User) -> list[Referral]:
    """Mark the open referrals that relied on a withdrawn consent, and tell the case manager.

    Called inside consent_withdraw's transaction.
    """
    beneficiary = consent.beneficiary
    provider, withdrawn_on = consent.provider, consent.withdrawn_on
    if provider is None or withdrawn_on is None:
        return []  # consent_withdraw sends this only for a withdrawn consent naming a provider
    covered = covered_information(beneficiary, provider)
    flagged = []
    for referral in Referral.objects.filter(
        beneficiary=beneficiary, provider=provider, status__in=OPEN_STATUSES
    ).exclude(information=[]):
        if set(referral.information) <= covered:
            continue  # another active consent still covers everything it shares
        referral.consent_withdrawn_on = withdrawn_on
        save_record(referral, actor)
        flagged.append(referral)
    if flagged:
        notify(
            _case_managers_of(beneficiary),
            beneficiary,
            NotificationKind.REFERRAL_CONSENT_WITHDRAWN,
            withdrawn_on,
            f"consent-withdrawn:{consent.pk}",
        )
    return flagged


# --- Unmet needs --------------------------------------------------------------------------


@transaction.atomic
def unmet_need_record(*, beneficiary: Beneficiary, actor: User, data: dict[str, Any]) -> UnmetNeed:
    not_in_future(data["recorded_on"], "recorded_on", gettext("date"))
    need = UnmetNeed(beneficiary=beneficiary, recorded_by=actor, **data)
    save_record(need, actor)
    return need


@transaction.atomic
def unmet_need_resolve(
    *, need: UnmetNeed, actor: User, resolved_on: date, resolution: str
) -> UnmetNeed:
    if need.resolved_on:
        raise ValidationError(gettext("This need is already marked as met."))
    not_in_future(resolved_on, "resolved_on", gettext("date"))
    if resolved_on < need.recorded_on:
        raise ValidationError(
            {"resolved_on": gettext("The need cannot be met before it was recorded.")}
        )
    if not resolution.strip():
        raise ValidationError({"resolution": gettext("Say how the need was met.")})
    need.resolved_on = resolved_on
    need.resolution = resolution
    save_record(need, actor)
    return need


# --- Transfers ----------------------------------------------------------------------------


@transaction.atomic
def transfer_request(
    *, beneficiary: Beneficiary, actor: User, to_organisation: Organisation, reason: str
) -> CaseTransfer:
    """Ask another organisation to take the case on. The person must have agreed to it."""
    require_active(beneficiary)
    if to_organisation.pk == beneficiary.organisation_id:
        raise ValidationError({"to_organisation": gettext("Choose another organisation.")})
    provider = Provider.objects.filter(system_organisation=to_organisation, active=True).first()
    if provider is None:
        raise ValidationError(
            {"to_organisation": gettext("This organisation is not in the directory.")}
        )
    if InformationCategory.CASE_FILE not in covered_information(beneficiary, provider):
        raise ValidationError(
            {
                "to_organisation": gettext(
                    "The person has not agreed to the whole case file going to %(provider)s. "
                    "Record a consent to share, covering the whole case file, first."
                )
                % {"provider": provider}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": gettext("Say why the case is transferred.")})
    if CaseTransfer.objects.filter(
        beneficiary=beneficiary, status=TransferStatus.REQUESTED
    ).exists():
        raise ValidationError(gettext("A transfer of this case is already waiting for an answer."))
    transfer = CaseTransfer(
        beneficiary=beneficiary,
        from_organisation_id=beneficiary.organisation_id,
        to_organisation=to_organisation,
        reason=reason,
        requested_by=actor,
    )
    save_record(transfer, actor)
    notify(
        supervisors_of(to_organisation.pk),
        beneficiary,
        NotificationKind.TRANSFER_REQUESTED,
        timezone.localdate(),
        f"transfer:{transfer.pk}",
    )
    return transfer


def _pending_transfer(transfer: CaseTransfer) -> CaseTransfer:
    transfer = CaseTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != TransferStatus.REQUESTED:
        raise ValidationError(gettext("This transfer has already been answered."))
    return transfer


def _check_receiving_supervisor(transfer: CaseTransfer, actor: User, what: str) -> None:
    """The receiving supervisor answers from outside the case file (they cannot open it
    before accepting), so the answer is logged here rather than by the case pages."""
    if not actor.supervises(transfer.to_organisation_id):
        raise ValidationError(
            gettext("Only a supervisor of the receiving organisation answers a transfer.")
        )
    access_record(
        beneficiary=transfer.beneficiary, user=actor, action=AccessAction.CHANGE, what=what
    )


@transaction.atomic
def transfer_accept(
    *, transfer: CaseTransfer, actor: User, case_manager: User, note: str = ""
) -> CaseTransfer:
    """The receiving organisation takes the case: the sending team's access ends now.

    Every membership of the sending team ends today; the file, with its history, moves to
    the receiving organisation and its new case manager.
    """
    transfer = _pending_transfer(transfer)
    _check_receiving_supervisor(transfer, actor, "transfer_accept")
    beneficiary = Beneficiary.objects.select_for_update().get(pk=transfer.beneficiary_id)
    if beneficiary.organisation_id != transfer.from_organisation_id:
        raise ValidationError(gettext("The case has moved since the transfer was asked for."))
    today = timezone.localdate()
    for membership in TeamMembership.objects.filter(beneficiary=beneficiary, ended_on__isnull=True):
        membership.ended_on = max(today, membership.started_on)
        # Written for the user, in their language, like a reason they typed.
        membership.end_reason = gettext("Case transferred to %(organisation)s.") % {
            "organisation": transfer.to_organisation
        }
        membership.ended_by = actor
        save_record(membership, actor)
    beneficiary.organisation = transfer.to_organisation
    save_record(beneficiary, actor)
    case_manager_handover(
        beneficiary=beneficiary,
        actor=actor,
        new_manager=case_manager,
        handover_on=today,
        note=gettext("Received from %(organisation)s.")
        % {"organisation": transfer.from_organisation},
    )
    transfer.status = TransferStatus.ACCEPTED
    transfer.decided_by = actor
    transfer.decided_on = today
    transfer.decision_note = note
    transfer.new_case_manager = case_manager
    save_record(transfer, actor)
    return transfer


@transaction.atomic
def transfer_decline(*, transfer: CaseTransfer, actor: User, note: str) -> CaseTransfer:
    transfer = _pending_transfer(transfer)
    _check_receiving_supervisor(transfer, actor, "transfer_decline")
    if not note.strip():
        raise ValidationError(
            {"note": gettext("Say why the organisation cannot take the case on.")}
        )
    transfer.status = TransferStatus.DECLINED
    transfer.decided_by = actor
    transfer.decided_on = timezone.localdate()
    transfer.decision_note = note
    save_record(transfer, actor)
    notify(
        _case_managers_of(transfer.beneficiary),
        transfer.beneficiary,
        NotificationKind.TRANSFER_DECLINED,
        transfer.decided_on,
        f"transfer-declined:{transfer.pk}",
    )
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer: CaseTransfer, actor: User) -> CaseTransfer:
    transfer = _pending_transfer(transfer)
    transfer.status = TransferStatus.CANCELLED
    transfer.decided_by = actor
    transfer.decided_on = timezone.localdate()
    save_record(transfer, actor)
    return transfer
