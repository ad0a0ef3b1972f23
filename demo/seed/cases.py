"""Seeds the case files themselves: the person's profile, team, consents and family, the
stages they move through with their setbacks, handovers, closures and declined help.

Each function makes one part of a case file through `cases.services`, drawing its variety
from the shared random generator.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from accounts.models import User
from cases import services
from cases.choices import (
    Accommodation,
    ChildSituation,
    ClosureReason,
    ComplexFactor,
    ConsentGiver,
    ConsentMethod,
    ConsentScope,
    DeclineScope,
    DocumentKind,
    DocumentStatus,
    ExploitationForm,
    FamilyAttitude,
    FamilyKnowledge,
    FamilyRisk,
    IdentificationStatus,
    Literacy,
    ReferralSource,
    Relationship,
    RiskLevel,
    SetbackCategory,
    Severity,
    Sex,
    Stage,
    TraffickingScope,
    WitnessStatus,
    YesNoUnknown,
)
from cases.models import Beneficiary, Child
from core.records import version_of

from .context import SeedContext

MDT_MEMBERS = ("psychologist", "doctor", "lawyer", "teacher")

FIRST_NAMES_F = [
    "Ana",
    "Mira",
    "Lena",
    "Daria",
    "Selma",
    "Ivana",
    "Rosa",
    "Nadia",
    "Elira",
    "Tara",
    "Vesna",
    "Lina",
]
FIRST_NAMES_M = ["Arben", "Luka", "Dario", "Emil", "Goran", "Ilir", "Marko", "Tomi"]
LAST_NAMES = [
    "Avramova", "Berisha", "Celik", "Dobreva", "Erlin", "Florescu", "Gashi", "Hadzic", "Ilieva",
    "Jovan", "Kola", "Lazar", "Morina", "Novak", "Orlov", "Pavlic", "Rusu", "Stoica", "Toma", "Vidak",
]  # fmt: skip
NATIONALITIES = [
    "Albanian",
    "Romanian",
    "Moldovan",
    "Bulgarian",
    "Serbian",
    "Ukrainian",
    "Nigerian",
    "Vietnamese",
]
LANGUAGES = [
    "Albanian",
    "Romanian",
    "Russian, Romanian",
    "Bulgarian",
    "Serbian",
    "Ukrainian, Russian",
    "English",
]


DOCUMENT_LANGUAGES = {"Albanian": "sq", "Bahasa Indonesia": "id"}


def consent_giver(child: bool, child_view: str) -> dict[str, str]:
    """Who gives a consent: the person, or for a child a guardian, with the child's view."""
    if child:
        return {
            "given_by": ConsentGiver.GUARDIAN,
            "given_by_name": "Appointed guardian",
            "child_view": child_view,
        }
    return {"given_by": ConsentGiver.BENEFICIARY}


def profile(ctx: SeedContext, number: int, admitted_on: date, *, child: bool) -> dict[str, Any]:
    """A varied profile; `number` fixes the traits the demo needs some of (men, estimates)."""
    rng = ctx.rng
    male = number % 7 == 3
    age = rng.randint(14, 17) if child else rng.randint(18, 45)
    born = admitted_on - timedelta(days=age * 365 + rng.randint(0, 300))
    estimated = number % 11 == 5
    forms = rng.sample(ExploitationForm.values, k=rng.choice([1, 1, 2]))
    factors = rng.sample(
        [f for f in ComplexFactor.values if f != ComplexFactor.MALE],
        k=rng.choice([0, 0, 1, 2, 3]),
    )
    if male:
        factors.append(ComplexFactor.MALE)
    # Some read Albanian or Indonesian: their plans print in it by default (README, "Languages").
    languages = rng.choice(LANGUAGES)
    if number % 6 == 1:
        languages = "Bahasa Indonesia"
    return {
        "first_name": rng.choice(FIRST_NAMES_M if male else FIRST_NAMES_F),
        "last_name": rng.choice(LAST_NAMES),
        "alias": rng.choice(["", "", "", "Mimi", "Dee", "Nana"]),
        "date_of_birth": date(born.year, 1, 1) if estimated else born,
        "date_of_birth_estimated": estimated,
        "sex": Sex.MALE if male else Sex.FEMALE,
        "nationality": rng.choice(NATIONALITIES),
        "languages": languages,
        "interpreter_needed": number % 5 == 0,
        "document_language": DOCUMENT_LANGUAGES.get(languages, ""),
        "literacy": rng.choice(Literacy.values),
        "phone": f"+000 555 {rng.randint(1000, 9999)}",
        "safe_to_call": rng.choice(YesNoUnknown.values),
        "who_may_answer": rng.choice(["", "Only herself", "Her aunt may answer"]),
        "safe_times": rng.choice(["", "Weekdays after 17:00", "Mornings"]),
        "home_visits_allowed": rng.choice(YesNoUnknown.values),
        "safe_contact_notes": rng.choice(
            ["", "Neighbours do not know. Introduce yourself as from the training centre."]
        ),
        "accommodation": rng.choice(Accommodation.values),
        "identification_status": rng.choice(IdentificationStatus.values),
        "referral_source": rng.choice(ReferralSource.values),
        "exploitation_forms": forms,
        "trafficking_scope": rng.choice(TraffickingScope.values),
        "exploitation_ended_on": admitted_on - timedelta(days=rng.randint(1, 60)),
        "admitted_on": admitted_on,
        "complex_factors": factors,
        "security_risk": rng.choice(RiskLevel.values),
        "witness_status": rng.choice(WitnessStatus.values),
    }


def open_case_file(ctx: SeedContext, number: int, months: int) -> tuple[Beneficiary, User]:
    """Register case `number`, admitted about `months` ago, with its team, consents and
    family. Returns the case and its case manager."""
    rng = ctx.rng
    admitted_on = ctx.days_ago(months * 30 + rng.randint(0, 25))
    manager = ctx.staff[
        "supervisor" if number % 15 == 7 else ("caseworker", "caseworker2")[number % 2]
    ]
    child = number % 6 == 1
    beneficiary = services.beneficiary_register(
        actor=manager,
        case_manager=manager,
        profile=profile(ctx, number, admitted_on, child=child),
        assigned_on=admitted_on,
    )
    for username in MDT_MEMBERS:
        if rng.random() < 0.6:
            mdt = ctx.staff[username]
            services.team_member_add(
                beneficiary=beneficiary,
                actor=manager,
                user=mdt,
                discipline=mdt.discipline,
                started_on=admitted_on,
            )
    _consents(ctx, beneficiary, manager, child)
    _family(ctx, beneficiary, manager)
    return beneficiary, manager


def _consents(ctx: SeedContext, beneficiary: Beneficiary, actor: User, child: bool) -> None:
    """Consent to assistance always; to sharing with a provider for about half, some withdrawn."""
    giver = consent_giver(child, "Agrees, wants to stay in school.")
    services.consent_record(
        beneficiary=beneficiary,
        actor=actor,
        data={
            "scope": ConsentScope.ASSISTANCE,
            "given_on": beneficiary.admitted_on,
            "method": ConsentMethod.WRITTEN,
            **giver,
        },
    )
    if ctx.rng.random() < 0.5:
        sharing = services.consent_record(
            beneficiary=beneficiary,
            actor=actor,
            data={
                "scope": ConsentScope.SHARING,
                "provider": ctx.rng.choice(ctx.trusted).provider,
                "information": ["identity", "contact", "needs"],
                "given_on": beneficiary.admitted_on,
                "method": ConsentMethod.VERBAL_WITNESSED,
                "witness": "Second staff member",
                **giver,
            },
        )
        if ctx.rng.random() < 0.3:
            services.consent_withdraw(
                consent=sharing,
                actor=actor,
                withdrawn_on=min(beneficiary.admitted_on + timedelta(days=20), ctx.today),
                reason="Prefers to contact the service herself.",
            )


def _family(ctx: SeedContext, beneficiary: Beneficiary, actor: User) -> None:
    """Up to two relatives, and for some a child of their own."""
    rng = ctx.rng
    for _ in range(rng.choice([0, 1, 1, 2])):
        services.family_member_save(
            beneficiary=beneficiary,
            actor=actor,
            data={
                "name": f"{rng.choice(FIRST_NAMES_F + FIRST_NAMES_M)} {beneficiary.last_name}",
                "relationship": rng.choice(Relationship.values),
                "lives_with_beneficiary": rng.random() < 0.3,
                "attitude": rng.choice(FamilyAttitude.values),
                "knows_what_happened": rng.choice(FamilyKnowledge.values),
                "risk": rng.choice(FamilyRisk.values),
                "own_needs": rng.choice(
                    [
                        "",
                        "Needs medical care for a chronic condition.",
                        "Unemployed, needs job counselling.",
                    ]
                ),
            },
        )
    if rng.random() < 0.3:
        services.child_save(
            beneficiary=beneficiary,
            actor=actor,
            data={
                "first_name": rng.choice(["Eli", "Noa", "Iris", "Teo"]),
                "date_of_birth": beneficiary.admitted_on - timedelta(days=rng.randint(200, 2500)),
                "situation": rng.choice(
                    [
                        ChildSituation.LEFT_BEHIND,
                        ChildSituation.TRAFFICKED_WITH,
                        ChildSituation.BORN_OF,
                    ]
                ),
                "lives_with_beneficiary": rng.random() < 0.5,
                "current_carer": "Grandmother",
                "needs": "Day care place and school enrolment.",
            },
        )


def stages(
    ctx: SeedContext, beneficiary: Beneficiary, actor: User, months: int, number: int
) -> None:
    """Move the case along its typical path, with some staying longer and some setbacks."""
    stays_longer = number % 8 == 2  # some people need longer in a stage
    if months >= 7 and not stays_longer:
        services.stage_change(
            beneficiary=beneficiary,
            actor=actor,
            to_stage=Stage.TRANSITION,
            changed_on=beneficiary.admitted_on + timedelta(days=190),
            reason="Settled routine; moved to semi-independent living.",
        )
    if months >= 13 and not stays_longer and number % 5 != 1:
        services.stage_change(
            beneficiary=beneficiary,
            actor=actor,
            to_stage=Stage.INCLUSION,
            changed_on=beneficiary.admitted_on + timedelta(days=380),
            reason="Stable job and housing.",
        )
    if number % 4 == 0 and months >= 2:
        occurred = min(beneficiary.stage_since + timedelta(days=30), ctx.today)
        back_to = ""
        if beneficiary.stage == Stage.TRANSITION and number % 8 == 0:
            back_to = Stage.CRISIS
        elif beneficiary.stage == Stage.INCLUSION and number % 8 == 4:
            back_to = Stage.TRANSITION
        setback = services.setback_record(
            beneficiary=beneficiary,
            actor=actor,
            data={
                "category": ctx.rng.choice(SetbackCategory.values),
                "occurred_on": occurred,
                "severity": ctx.rng.choice(Severity.values),
                "description": "Difficult weeks; missed two appointments.",
                "response": "Extra visits and a review of the plan together.",
            },
            move_to_stage=back_to,
        )
        if services.signals_danger(setback):  # long past: answered at the time
            services.crisis_alarm_acknowledge(
                alarm=setback.alarm,
                actor=actor,
                action_taken="Called her the same day; an extra visit that week.",
            )


def handover(ctx: SeedContext, beneficiary: Beneficiary, manager: User) -> User:
    """The supervisor hands the case to the other case worker; returns the new manager."""
    new_manager = ctx.staff["caseworker2" if manager.username != "caseworker2" else "caseworker"]
    services.case_manager_handover(
        beneficiary=beneficiary,
        actor=ctx.staff["supervisor"],
        new_manager=new_manager,
        handover_on=beneficiary.stage_since,
        note="Caseload rebalanced.",
    )
    return new_manager


def closure(ctx: SeedContext, beneficiary: Beneficiary, actor: User, number: int) -> None:
    """Some files closed (one reopened), some with help declined in part or in full."""
    if beneficiary.months_since_admission < 4:
        if number % 20 == 3:
            services.assistance_decline_record(
                beneficiary=beneficiary,
                actor=actor,
                data={
                    "declined_on": ctx.today,
                    "scope": DeclineScope.PARTIAL,
                    "services_declined": "Group counselling",
                    "reasons": "Does not want to talk in a group.",
                    "told_help_remains_available": True,
                },
            )
        return
    closed_on = max(beneficiary.stage_since, ctx.today - timedelta(days=40))
    if number % 9 == 0:
        reason = (
            ClosureReason.GOALS_ACHIEVED,
            ClosureReason.MOVED,
            ClosureReason.LOST_CONTACT,
        )[number % 3]
        services.case_close(
            beneficiary=beneficiary,
            actor=actor,
            closed_on=closed_on,
            reason=reason,
            mutually_agreed=reason == ClosureReason.GOALS_ACHIEVED,
            notes="Closure discussed at the last visit.",
        )
        if number % 18 == 0:
            services.case_reopen(
                beneficiary=beneficiary,
                actor=actor,
                reopened_on=closed_on + timedelta(days=20),
                reason="Came back after losing her job.",
            )
    elif number % 25 == 13:
        services.assistance_decline_record(
            beneficiary=beneficiary,
            actor=actor,
            data={
                "declined_on": closed_on,
                "scope": DeclineScope.FULL,
                "reasons": "Wants to manage on her own for now.",
                "told_help_remains_available": True,
            },
        )


def foreign_case(ctx: SeedContext, number: int) -> Beneficiary:
    """A case of the second organisation: out of sight for the first one's staff."""
    outsider = ctx.staff["outsider"]
    admitted_on = ctx.days_ago(30 + number * 90)
    return services.beneficiary_register(
        actor=outsider,
        case_manager=outsider,
        profile=profile(ctx, 100 + number, admitted_on, child=False),
        assigned_on=admitted_on,
    )


# (kind, status, responsible, applied days ago, issued days ago, expires in days, notes, steps)
# Steps: (days ago, what was done). Dates before a case's admission move to the admission day.
_DOCUMENTS: list[list[tuple[Any, ...]]] = [
    [
        (
            DocumentKind.IDENTITY_CARD,
            DocumentStatus.ISSUED,
            "The person herself",
            None,
            3600,
            20,
            "Renewal needs a recent photograph and the old card.",
            [(6, "Went through the renewal papers together; photograph booked.")],
        ),
        (
            DocumentKind.BIRTH_CERTIFICATE,
            DocumentStatus.MISSING,
            "Our social worker",
            None,
            None,
            None,
            "Registered at birth in her home village; the registry there must be asked.",
            [(20, "Wrote to the village civil registry for a copy.")],
        ),
    ],
    [
        (
            DocumentKind.PASSPORT,
            DocumentStatus.APPLIED,
            "Our lawyer",
            45,
            None,
            None,
            "Taken by the employer abroad; reported lost.",
            [
                (60, "Police report of the lost passport filed."),
                (45, "Application handed in at the passport office; fee paid."),
                (10, "Called the office: still in processing, about four more weeks."),
            ],
        ),
        (
            DocumentKind.HEALTH_INSURANCE,
            DocumentStatus.ISSUED,
            "Municipal social services",
            70,
            30,
            335,
            "",
            [(70, "Registered with the health insurance fund.")],
        ),
    ],
    [
        (
            DocumentKind.RESIDENCE_PERMIT,
            DocumentStatus.REFUSED,
            "Legal aid centre",
            120,
            None,
            None,
            "Refused for a missing address certificate: appeal within 30 days.",
            [(120, "Application filed."), (15, "Refusal received; appeal being drafted.")],
        ),
        (
            DocumentKind.SOCIAL_BENEFITS,
            DocumentStatus.EXPIRED,
            "The person herself",
            400,
            380,
            -12,
            "The yearly renewal was missed.",
            [(5, "Booked an appointment at the benefits office to apply again.")],
        ),
    ],
]


def documents(ctx: SeedContext) -> None:
    """Documents in every status on a few of the demo case worker's cases, with the steps
    taken (one document expires within the month, one is a child's), and where those people
    are registered."""
    worker = ctx.staff["caseworker"]
    cases = list(
        Beneficiary.objects.filter(organisation=worker.organisation, status="active")
        .filter(team__user=worker, team__role="case_manager", team__ended_on__isnull=True)
        .order_by("case_code")[: len(_DOCUMENTS)]
    )
    places = ["Tirana, Unit 5", "Durrës, Unit 2", "Elbasan"]
    for beneficiary, rows, place in zip(cases, _DOCUMENTS, places, strict=False):
        services.beneficiary_update(
            beneficiary=beneficiary,
            actor=worker,
            profile={"registration_place": place},
            opened_at=version_of(beneficiary),
        )
        for row in rows:
            _document(ctx, beneficiary, worker, row)
    if cases:
        _child_document(ctx, cases[-1], worker)


def _on_file(ctx: SeedContext, beneficiary: Beneficiary, days: int) -> date:
    return max(ctx.days_ago(days), beneficiary.admitted_on)


def _document(
    ctx: SeedContext, beneficiary: Beneficiary, actor: User, row: tuple[Any, ...], child: Any = None
) -> None:
    kind, status, responsible, applied, issued, expires, notes, steps = row
    issued_on = ctx.days_ago(issued) if issued is not None else None
    document = services.document_record(
        beneficiary=beneficiary,
        actor=actor,
        data={
            "kind": kind,
            "child": child,
            "status": status,
            "responsible": responsible,
            "applied_on": ctx.days_ago(applied) if applied is not None else None,
            "issued_on": issued_on,
            "expires_on": ctx.today + timedelta(days=expires) if expires is not None else None,
            "notes": notes,
        },
    )
    for days, step in steps:
        services.document_step_add(
            document=document,
            actor=actor,
            data={"taken_on": _on_file(ctx, beneficiary, days), "step": step},
        )


def _child_document(ctx: SeedContext, beneficiary: Beneficiary, actor: User) -> None:
    child = Child.objects.filter(beneficiary=beneficiary).first() or services.child_save(
        beneficiary=beneficiary,
        actor=actor,
        data={"first_name": "Ana", "situation": ChildSituation.LEFT_BEHIND},
    )
    _document(
        ctx,
        beneficiary,
        actor,
        (
            DocumentKind.SCHOOL_RECORDS,
            DocumentStatus.APPLIED,
            "The school secretary",
            25,
            None,
            None,
            "Needed to enrol in the school near the shelter.",
            [(25, "Asked the old school to send the records.")],
        ),
        child=child,
    )
