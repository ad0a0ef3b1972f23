"""Reads for referrals, the sharing check and transfers, scoped to the user asking."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext

from accounts.models import Organisation, User
from assessments.models import Assessment
from cases.choices import ConsentScope, TeamRole
from cases.models import Beneficiary, Consent
from cases.selectors import beneficiaries_visible_to
from cases.signals import ConsentPrefill
from core.ids import parse_public_id
from directory.choices import InformationCategory
from directory.models import Provider, Service
from plans.models import Goal, Task

from .choices import OPEN_STATUSES, OverrideKind, OverrideStatus, ReferralStatus, TransferStatus
from .models import CaseTransfer, Referral, ReferralOverride, UnmetNeed

if TYPE_CHECKING:
    from accounts.http import OrganisationStaff

# --- Sharing check ----------------------------------------------------------------------


def active_sharing_consents(beneficiary: Beneficiary, provider: Provider) -> QuerySet[Consent]:
    return Consent.objects.filter(
        beneficiary=beneficiary,
        scope=ConsentScope.SHARING,
        provider=provider,
        withdrawn_on__isnull=True,
    )


def covered_information(beneficiary: Beneficiary, provider: Provider) -> set[str]:
    """What the person's active consents allow to go to this provider."""
    covered: set[str] = set()
    for information in active_sharing_consents(beneficiary, provider).values_list(
        "information", flat=True
    ):
        covered.update(information)
    return covered


def whole_file_consented(beneficiary_ids: list[int], provider: Provider) -> set[int]:
    """Of these cases, those whose active consents let the whole case file go to this
    provider (`covered_information` for many cases, in one query)."""
    consents = Consent.objects.filter(
        beneficiary_id__in=beneficiary_ids,
        scope=ConsentScope.SHARING,
        provider=provider,
        withdrawn_on__isnull=True,
    ).values_list("beneficiary_id", "information")
    return {
        beneficiary_id
        for beneficiary_id, information in consents
        if InformationCategory.CASE_FILE in (information or [])
    }


@dataclass
class SharingCheck:
    """Whether a referral may be sent, and if not, what is missing."""

    shares_information: bool
    missing_information: list[str] = field(default_factory=list)
    agreement_missing: bool = False
    consent_override: ReferralOverride | None = None
    agreement_override: ReferralOverride | None = None
    pending_overrides: list[ReferralOverride] = field(default_factory=list)

    @property
    def consent_ok(self) -> bool:
        return not self.missing_information or self.consent_override is not None

    @property
    def agreement_ok(self) -> bool:
        return not self.agreement_missing or self.agreement_override is not None

    @property
    def can_send(self) -> bool:
        return not self.shares_information or (self.consent_ok and self.agreement_ok)

    @property
    def missing_labels(self) -> list[str]:
        return [str(InformationCategory(c).label) for c in self.missing_information]

    def pending(self, kind: str) -> bool:
        return any(o.kind == kind for o in self.pending_overrides)


def sharing_check(referral: Referral) -> SharingCheck:
    """Consent and confidentiality agreement for the information this referral shares."""
    check = SharingCheck(shares_information=referral.shares_information)
    if not check.shares_information:
        return check
    covered = covered_information(referral.beneficiary, referral.provider)
    check.missing_information = [c for c in referral.information if c not in covered]
    check.agreement_missing = not referral.provider.has_agreement
    for override in referral.overrides.all():
        if override.status == OverrideStatus.GRANTED:
            if override.kind == OverrideKind.CONSENT:
                check.consent_override = override
            else:
                check.agreement_override = override
        elif override.status == OverrideStatus.REQUESTED:
            check.pending_overrides.append(override)
    return check


def letter_information(referral: Referral) -> set[str]:
    """What a referral letter may print: what the referral shares and a consent covers now.

    A supervisor's consent override stands in for the consent it replaced.
    """
    selected = set(referral.information)
    if referral.overrides.filter(kind=OverrideKind.CONSENT, status=OverrideStatus.GRANTED).exists():
        return selected
    return selected & covered_information(referral.beneficiary, referral.provider)


def letter_details(referral: Referral, information: set[str]) -> dict[str, Any]:
    """The parts of the file the letter prints, read only when consent covers them."""
    details: dict[str, Any] = {}
    if InformationCategory.NEEDS in information:
        latest = (
            Assessment.objects.filter(beneficiary=referral.beneficiary, completed_on__isnull=False)
            .order_by("-completed_on", "-id")
            .first()
        )
        section = latest.sections.filter(domain=referral.domain).first() if latest else None
        details["needs"] = section.needs if section else ""
    if InformationCategory.PLAN in information:
        details["goals"] = list(
            Goal.objects.filter(
                version__beneficiary=referral.beneficiary,
                version__superseded_on__isnull=True,
                domain=referral.domain,
            ).order_by("target_date", "id")
        )
    return details


# --- Referrals ----------------------------------------------------------------------------


def referral_in(beneficiary: Beneficiary, referral_id: Any) -> Referral | None:
    public_id = parse_public_id(referral_id)
    if public_id is None:
        return None
    referral = (
        Referral.objects.select_related("service", "provider", "task")
        .filter(beneficiary=beneficiary, public_id=public_id)
        .first()
    )
    if referral:
        referral.beneficiary = beneficiary
    return referral


def referral_needing_consent(beneficiary: Beneficiary, referral_id: str) -> Referral | None:
    """The open referral a consent form was opened from, if it is one of this case's."""
    referral = referral_in(beneficiary, referral_id) if referral_id else None
    return referral if referral and referral.is_open else None


def referral_start(
    beneficiary: Beneficiary, service_id: Any, task_id: Any
) -> tuple[Task | None, dict[str, Any]]:
    """The plan task a new referral comes from, if any, and the form's starting values: the
    service chosen in the directory, the task's area and description."""
    # An id that does not parse names nothing: no query for it.
    service_public_id, task_public_id = parse_public_id(service_id), parse_public_id(task_id)
    service: Service | None = None
    task: Task | None = None
    if service_public_id is not None:
        service = (
            Service.objects.filter(public_id=service_public_id, active=True)
            .select_related("provider")
            .first()
        )
    if task_public_id is not None:
        task = (
            Task.objects.filter(goal__version__beneficiary=beneficiary, public_id=task_public_id)
            .select_related("goal")
            .first()
        )
    initial: dict[str, Any] = {}
    if task:
        initial = {"domain": task.goal.domain, "reason": task.description}
    if service:
        initial.update(service=service, domain=initial.get("domain") or service.domains[0])
    return task, initial


def transfer_destinations(beneficiary: Beneficiary) -> list[Organisation]:
    """Organisations using the system, other than the case's own, that are in the directory."""
    return list(
        Organisation.objects.filter(directory_entry__active=True).exclude(
            pk=beneficiary.organisation_id
        )
    )


def consent_prefill(beneficiary: Beneficiary, referral_id: str) -> ConsentPrefill | None:
    """A consent form opened from an open referral of this case: the consent it needs, and
    back to the referral once recorded."""
    referral = referral_needing_consent(beneficiary, referral_id)
    if referral is None:
        return None
    initial = {
        "scope": ConsentScope.SHARING,
        "provider": referral.provider,
        "information": referral.information,
        "details": gettext("For the referral to %(service)s.") % {"service": referral.service.name},
    }
    return ConsentPrefill(initial=initial, back_url=referral.get_absolute_url())


def _pending_overrides() -> Prefetch:
    """`referral.pending_overrides`: the override requests still waiting, for list badges."""
    return Prefetch(
        "overrides",
        queryset=ReferralOverride.objects.filter(status=OverrideStatus.REQUESTED),
        to_attr="pending_overrides",
    )


def case_referrals(beneficiary: Beneficiary) -> dict[str, Any]:
    """Everything the referrals tab of a case shows, in a fixed number of queries."""
    referrals = list(
        Referral.objects.filter(beneficiary=beneficiary)
        .select_related("service", "provider")
        .prefetch_related(_pending_overrides())
        .order_by("-created_at", "-id")
    )
    for referral in referrals:
        referral.beneficiary = beneficiary
    return {
        "open_referrals": [r for r in referrals if r.is_open],
        "closed_referrals": [r for r in referrals if not r.is_open],
        "unmet_needs": list(UnmetNeed.objects.filter(beneficiary=beneficiary)),
        "transfers": list(
            CaseTransfer.objects.filter(beneficiary=beneficiary).select_related(
                "to_organisation", "from_organisation", "new_case_manager"
            )
        ),
    }


def _with_list_columns(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related("service", "provider", "beneficiary").prefetch_related(
        _pending_overrides()
    )


def referrals_awaiting(user: User) -> list[Referral]:
    """Open referrals on the cases a user manages, the ones needing attention first."""
    managed = beneficiaries_visible_to(user).filter(
        team__user=user, team__role=TeamRole.CASE_MANAGER, team__ended_on__isnull=True
    )
    referrals = list(
        _with_list_columns(
            Referral.objects.filter(beneficiary__in=managed, status__in=OPEN_STATUSES)
        ).order_by("status_changed_on", "id")
    )
    urgency_rank = {"urgent": 0, "soon": 1, "routine": 2}
    referrals.sort(key=lambda r: (r.consent_withdrawn_on is None, urgency_rank.get(r.urgency, 3)))
    return referrals


def referral_review(user: OrganisationStaff, *, limit: int = 200) -> dict[str, list[Any]]:
    """A supervisor's review: pending, declined and overridden referrals of the organisation,
    and transfers waiting for the organisation to accept them."""
    org_referrals = Referral.objects.filter(beneficiary__organisation_id=user.organisation_id)
    overrides = (
        ReferralOverride.objects.filter(referral__beneficiary__organisation_id=user.organisation_id)
        .select_related("referral__service", "referral__beneficiary", "requested_by", "decided_by")
        .order_by("-created_at", "-id")
    )
    return {
        "override_requests": list(overrides.filter(status=OverrideStatus.REQUESTED)[:limit]),
        "awaiting_provider": list(
            _with_list_columns(org_referrals.filter(status=ReferralStatus.SENT)).order_by(
                "status_changed_on", "id"
            )[:limit]
        ),
        "declined": list(
            _with_list_columns(
                org_referrals.filter(
                    status__in=[
                        ReferralStatus.DECLINED_BY_PROVIDER,
                        ReferralStatus.DECLINED_BY_PERSON,
                    ]
                )
            ).order_by("-status_changed_on", "-id")[:limit]
        ),
        "consent_withdrawn": list(
            _with_list_columns(
                org_referrals.filter(status__in=OPEN_STATUSES, consent_withdrawn_on__isnull=False)
            ).order_by("-consent_withdrawn_on", "-id")[:limit]
        ),
        "granted_overrides": list(overrides.filter(status=OverrideStatus.GRANTED)[:limit]),
        "incoming_transfers": list(incoming_transfers(user)),
    }


def incoming_transfers(user: User) -> QuerySet[CaseTransfer]:
    """Cases another organisation asks this supervisor's organisation to take on."""
    if not user.is_supervisor or user.organisation_id is None:
        return CaseTransfer.objects.none()
    return (
        CaseTransfer.objects.filter(
            to_organisation_id=user.organisation_id, status=TransferStatus.REQUESTED
        )
        .select_related("beneficiary", "from_organisation", "requested_by")
        .order_by("created_at", "id")
    )
