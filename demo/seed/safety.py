"""Safety in the demo: a crisis alarm nobody has acknowledged yet, a home visit made
against the safe-contact instructions, for the supervisor to review, and a case with open
threats, a safety plan due for review and a map of who knows."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cases import services
from cases.choices import (
    DisclosureKnowledge,
    DisclosureWho,
    RiskIndicator,
    RiskLevel,
    RiskReview,
    SetbackCategory,
    Severity,
    ThreatKind,
    ThreatSource,
    ThreatStatus,
    YesNoUnknown,
)
from cases.models import Beneficiary
from core.records import version_of
from monitoring import services as monitoring_services
from monitoring.choices import ContactException, ContactType

from .context import SeedContext


def _cases_of_the_demo_worker(ctx: SeedContext) -> list[Beneficiary]:
    worker = ctx.staff["caseworker"]
    return list(
        Beneficiary.objects.filter(organisation=worker.organisation, status="active")
        .filter(team__user=worker, team__role="case_manager", team__ended_on__isnull=True)
        .order_by("-case_code")
    )


def open_crisis_alarm(ctx: SeedContext) -> Beneficiary:
    """This morning's call from someone linked to the exploiters, on a case of the demo case
    worker: the alarm waits on the case file and at the top of the supervisor's review."""
    worker = ctx.staff["caseworker"]
    beneficiary = _cases_of_the_demo_worker(ctx)[0]
    services.setback_record(
        beneficiary=beneficiary,
        actor=worker,
        data={
            "category": SetbackCategory.THREATS,
            "occurred_on": ctx.today,
            "severity": Severity.CRITICAL,
            "description": "A man she knew from abroad called her new number and asked to meet.",
        },
    )
    return beneficiary


def visit_against_the_instructions(ctx: SeedContext) -> Beneficiary:
    """A person who asked for no home visits (her brother does not know): a visit the worker
    tries to log there is refused without a reason; the one logged with a reason is flagged."""
    worker = ctx.staff["caseworker"]
    beneficiary = _cases_of_the_demo_worker(ctx)[1]
    services.beneficiary_update(
        beneficiary=beneficiary,
        actor=worker,
        profile={
            "home_visits_allowed": YesNoUnknown.NO,
            "safe_contact_notes": "Her brother lives with her and does not know. Meet at the office.",
        },
        opened_at=version_of(beneficiary),
    )
    monitoring_services.contact_log(
        beneficiary=beneficiary,
        actor=worker,
        data={
            "occurred_at": timezone.now() - timedelta(days=1, hours=3),
            "kind": ContactType.HOME_VISIT,
            "safety_checked": True,
            "summary": "She had a fever and could not come in; visited while her brother was out.",
            "exception_reason": ContactException.PERSON_ASKED,
            "exception_details": "She called and asked us to come; her brother was at work.",
        },
    )
    return beneficiary


# Old enough for a plan agreed months ago, reviewed once, and now due again.
SAFETY_PLAN_CASE_MIN_DAYS = 120


def safety_plan_due_for_review(ctx: SeedContext) -> Beneficiary:
    """A person whose former exploiters' associates keep pressing her: two open threats (one
    above the profile's security risk, so the case file warns), one resolved, a safety plan
    whose review date has passed, and who knows about her past at work and next door."""
    worker = ctx.staff["caseworker"]
    old_enough = [
        case
        for case in _cases_of_the_demo_worker(ctx)[2:]
        if case.admitted_on <= ctx.days_ago(SAFETY_PLAN_CASE_MIN_DAYS)
    ]
    # Preferably one whose security risk is below the high threat: the case file warns.
    beneficiary = next((c for c in old_enough if c.security_risk != RiskLevel.HIGH), old_enough[0])
    start = ctx.days_ago(SAFETY_PLAN_CASE_MIN_DAYS - 10)
    for source, kind, level, days_ago, details in [
        (
            ThreatSource.FORMER_EXPLOITERS,
            ThreatKind.PRESSURE,
            RiskLevel.HIGH,
            12,
            "A man from the recruiter's village came to her workplace and said she still owes "
            "money for the journey.",
        ),
        (
            ThreatSource.COMMUNITY,
            ThreatKind.ONLINE,
            RiskLevel.MEDIUM,
            40,
            "Comments under her cousin's photos hint at where she worked abroad.",
        ),
    ]:
        services.threat_record(
            beneficiary=beneficiary,
            actor=worker,
            data={
                "source": source,
                "kind": kind,
                "level": level,
                "identified_on": ctx.days_ago(days_ago),
                "details": details,
            },
        )
    resolved = services.threat_record(
        beneficiary=beneficiary,
        actor=worker,
        data={
            "source": ThreatSource.PARTNER,
            "kind": ThreatKind.STALKING,
            "level": RiskLevel.MEDIUM,
            "identified_on": start,
            "details": "Her former partner waited outside the shelter on several evenings.",
        },
    )
    services.threat_update(
        threat=resolved,
        actor=worker,
        data={"status": ThreatStatus.RESOLVED, "resolved_on": start + timedelta(days=30)},
        opened_at=version_of(resolved),
    )
    plan = services.safety_plan_record(
        beneficiary=beneficiary,
        actor=worker,
        data={
            "safe_places": "The organisation's office; her aunt's flat across town.",
            "safe_people": "Her aunt; her friend from the training course.",
            "emergency_contacts": "The organisation's on-call phone; police 112.",
            "code_word": "Blue umbrella",
            "what_to_do": "Leave for her aunt's flat, send the code word to the on-call phone, "
            "call 112 if someone follows her.",
            "organisation_measures": "Escort to court hearings; the worker calls after each "
            "late shift.",
            "agreed_on": start,
            "review_on": start + timedelta(days=45),
        },
    )
    services.safety_plan_update(
        plan=plan,
        actor=worker,
        data={"reviewed_on": start + timedelta(days=45), "review_on": ctx.days_ago(7)},
        opened_at=version_of(plan),
    )
    for who, name_or_role, knows, wishes in [
        (
            DisclosureWho.EMPLOYER,
            "Her shift manager at the bakery",
            DisclosureKnowledge.NOTHING,
            "He must not learn of it. Staff calling say they are from the job centre.",
        ),
        (
            DisclosureWho.NEIGHBOURS,
            "The family next door",
            DisclosureKnowledge.PART,
            "They know she was abroad and came back ill; nothing more.",
        ),
        (
            DisclosureWho.AUTHORITIES,
            "The police officer on her case",
            DisclosureKnowledge.EVERYTHING,
            "",
        ),
    ]:
        services.disclosure_add(
            beneficiary=beneficiary,
            actor=worker,
            data={"who": who, "name_or_role": name_or_role, "knows": knows, "wishes": wishes},
        )
    return beneficiary


def risk_raised(ctx: SeedContext, beneficiary: Beneficiary) -> None:
    """The same person: the pressure to repay the journey raised a re-trafficking risk, and
    the visit since said how it looked."""
    worker = ctx.staff["caseworker"]
    services.risk_flag_raise(
        beneficiary=beneficiary,
        actor=worker,
        indicators=[RiskIndicator.EXPLOITER_CONTACT, RiskIndicator.DEBTS],
        reason="The recruiter's man came to her workplace about a debt for the journey.",
        raised_on=ctx.days_ago(12),
    )
    monitoring_services.contact_log(
        beneficiary=beneficiary,
        actor=worker,
        data={
            "occurred_at": timezone.now() - timedelta(days=2, hours=1),
            "kind": ContactType.OFFICE_VISIT,
            "summary": "Went through the safety plan; she changed her route to work.",
            "risk_review": RiskReview.SAME,
        },
    )
