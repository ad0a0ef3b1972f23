"""Seeds the individual plans: first versions in every state (signed on time or late,
awaiting signatures, draft, not started) and a signed second version after some reviews.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from accounts.models import Organisation, User
from assessments.choices import OutcomeDomain
from cases.models import Beneficiary
from core.languages import document_language, language_name
from core.records import version_of
from plans import services as plan_services
from plans.models import (
    GoalStatus,
    Indicator,
    PlanVersion,
    SignatureMethod,
    SignerRole,
    TargetDirection,
)

from .context import SeedContext

# domain, goal, indicator of success
PLAN_GOALS = [
    (
        "housing",
        "Move into a rented room of her own",
        "Tenancy agreement signed and first rent paid",
    ),
    ("economic", "Find steady work", "Work contract and three months' pay received"),
    ("education", "Complete a vocational course", "Course certificate obtained"),
    (
        "medical",
        "Regular check-ups for a chronic condition",
        "Registered with a family doctor; two visits kept",
    ),
    ("administrative", "Obtain an identity card", "Identity card in hand"),
    ("psychological", "Weekly counselling sessions", "Attends at least three sessions a month"),
]


# The organisation's indicator matrix (fictional): outcome domain, direction, then the name
# and the means of verification in English, Albanian and Indonesian.
INDICATORS: list[tuple[str, str, tuple[str, str, str], tuple[str, str, str]]] = [
    (
        OutcomeDomain.ACCOMMODATION,
        TargetDirection.REACH_OR_KEEP,
        (
            "Lives in safe, stable accommodation",
            "Jeton në strehim të sigurt dhe të qëndrueshëm",
            "Tinggal di tempat tinggal yang aman dan stabil",
        ),
        (
            "Tenancy agreement or host's letter; home visit note",
            "Kontratë qiraje ose letër e strehuesit; shënim i vizitës në shtëpi",
            "Perjanjian sewa atau surat tuan rumah; catatan kunjungan rumah",
        ),
    ),
    (
        OutcomeDomain.ECONOMIC,
        TargetDirection.INCREASE,
        (
            "Regular income from work",
            "Të ardhura të rregullta nga puna",
            "Penghasilan tetap dari pekerjaan",
        ),
        (
            "Work contract or pay slips",
            "Kontratë pune ose fletëpagesa",
            "Kontrak kerja atau slip gaji",
        ),
    ),
    (
        OutcomeDomain.EDUCATION,
        TargetDirection.REACH_OR_KEEP,
        (
            "Completes a course or school year",
            "Përfundon një kurs ose vit shkollor",
            "Menyelesaikan kursus atau tahun ajaran",
        ),
        (
            "Certificate or school report",
            "Certifikatë ose dëftesë shkollore",
            "Sertifikat atau rapor sekolah",
        ),
    ),
    (
        OutcomeDomain.PHYSICAL_HEALTH,
        TargetDirection.REACH_OR_KEEP,
        (
            "Registered with a family doctor and keeps appointments",
            "I regjistruar te mjeku i familjes dhe i mban takimet",
            "Terdaftar di dokter keluarga dan datang sesuai jadwal",
        ),
        ("Registration card; appointment record", "Karta e regjistrimit; regjistri i takimeve", ""),
    ),
    (
        OutcomeDomain.LEGAL_STATUS,
        TargetDirection.REACH_OR_KEEP,
        (
            "Holds a valid identity document",
            "Ka një dokument identifikimi të vlefshëm",
            "Memiliki dokumen identitas yang berlaku",
        ),
        (
            "The document, seen by the case worker",
            "Dokumenti, i parë nga punonjësi i rastit",
            "Dokumen, dilihat oleh pekerja kasus",
        ),
    ),
    (
        OutcomeDomain.MENTAL_HEALTH,
        TargetDirection.DECREASE,
        ("Nights a week with poor sleep", "Net në javë me gjumë të keq", ""),
        ("The person's own account at each contact", "Rrëfimi i vetë personit në çdo kontakt", ""),
    ),
]

# The indicator (by English name) the demo goals of an area are counted under; the
# counselling goal keeps its own indicator only, so that row of the report has figures too.
GOAL_INDICATORS = {
    "housing": "Lives in safe, stable accommodation",
    "economic": "Regular income from work",
    "education": "Completes a course or school year",
    "medical": "Registered with a family doctor and keeps appointments",
    "administrative": "Holds a valid identity document",
}


def indicators(organisation: Organisation) -> dict[str, Indicator]:
    """The organisation's demo indicator matrix by English name, made the first time."""
    existing = {i.name: i for i in Indicator.objects.filter(organisation=organisation)}
    if existing:
        return existing
    made = Indicator.objects.bulk_create(
        Indicator(
            organisation=organisation,
            domain=domain,
            direction=direction,
            name=names[0],
            name_sq=names[1],
            name_id=names[2],
            verification=verification[0],
            verification_sq=verification[1],
            verification_id=verification[2],
        )
        for domain, direction, names, verification in INDICATORS
    )
    return {i.name: i for i in made}


def first_plan(
    ctx: SeedContext, beneficiary: Beneficiary, manager: User, number: int
) -> PlanVersion | None:
    """Plans in every state: signed on time or late, awaiting signatures, draft, none yet."""
    days_since = (ctx.today - beneficiary.admitted_on).days
    if days_since < 10 or number % 13 == 6:
        return None  # not started (overdue when more than a month has passed)
    plan = plan_services.plan_start(
        beneficiary=beneficiary,
        actor=manager,
        own_goals=ctx.rng.choice(
            ["A safe place of my own.", "To work and support my son.", "Finish school."]
        ),
        participants=f"{beneficiary.first_name}, {manager}",
    )
    _goals(ctx, plan, manager, beneficiary.admitted_on + timedelta(days=5))
    if days_since < 20 or number % 9 == 4:
        return plan  # a draft
    signed_on = min(
        beneficiary.admitted_on + timedelta(days=ctx.rng.choice([18, 25, 28, 40])), ctx.today
    )
    roles = [SignerRole.BENEFICIARY, SignerRole.CASE_MANAGER]
    if SignerRole.GUARDIAN in plan_services.required_roles(beneficiary, signed_on):
        roles.append(SignerRole.GUARDIAN)
    if number % 10 == 5:
        roles = roles[:1]  # awaiting the case manager's signature
    _sign(plan, manager, signed_on, roles)
    plan.refresh_from_db()
    if plan.is_signed:
        _progress(plan, manager, number)
    return plan


def _progress(plan: PlanVersion, manager: User, number: int) -> None:
    """Some goals of signed plans achieved, a few dropped (without a draw: the random
    generator's sequence, and so the rest of the demo, stays as it was)."""
    goals = list(plan.goals.order_by("id"))
    if number % 3 == 0:
        plan_services.goal_progress(
            goal=goals[0],
            actor=manager,
            status=GoalStatus.ACHIEVED,
            note="",
            opened_at=version_of(goals[0]),
        )
    if number % 5 == 2:
        plan_services.goal_progress(
            goal=goals[-1],
            actor=manager,
            status=GoalStatus.DROPPED,
            note="The person chose another way.",
            opened_at=version_of(goals[-1]),
        )


def revised_plan(ctx: SeedContext, plan: PlanVersion, manager: User) -> None:
    """A second version after the review: the first stays as it was signed."""
    second = plan_services.plan_new_version(
        version=plan, actor=manager, reason="Review at the inclusion stage."
    )
    _goals(ctx, second, manager, ctx.today - timedelta(days=5))
    _sign(
        second,
        manager,
        ctx.today - timedelta(days=2),
        [SignerRole.BENEFICIARY, SignerRole.CASE_MANAGER],
    )


def _goals(ctx: SeedContext, version: PlanVersion, manager: User, start: date) -> None:
    """Two or three goals, each with a task for the case manager and one for another service."""
    rng = ctx.rng
    matrix = indicators(version.beneficiary.organisation)
    for domain, description, indicator in rng.sample(PLAN_GOALS, k=rng.choice([2, 3])):
        goal = plan_services.goal_save(
            version=version,
            actor=manager,
            data={
                "domain": domain,
                "description": description,
                "target_date": start + timedelta(days=rng.choice([60, 90, 180])),
                "indicator": indicator,
                "matrix_indicator": matrix.get(GOAL_INDICATORS.get(domain, "")),
            },
        )
        plan_services.task_save(
            goal=goal,
            actor=manager,
            data={
                "description": "Agree the first steps together",
                "assigned_to": manager,
                "due_on": start + timedelta(days=14),
            },
        )
        plan_services.task_save(
            goal=goal,
            actor=manager,
            data={
                "description": "Referral and accompaniment",
                "external_organisation": "Municipal employment office",
                "due_on": start + timedelta(days=45),
            },
        )


def _reading(beneficiary: Beneficiary) -> dict[str, str]:
    """The language the plan was read in, through an interpreter where one is needed."""
    language = document_language(None, beneficiary.document_language)
    return {
        "read_in": language_name(language),
        "interpreter": "Community interpreter" if beneficiary.interpreter_needed else "",
    }


def _sign(version: PlanVersion, manager: User, on: date, roles: Sequence[str]) -> None:
    """Paper signatures of `roles`, witnessed, all on one day."""
    names = {
        SignerRole.BENEFICIARY.value: version.beneficiary.full_name,
        SignerRole.CASE_MANAGER.value: str(manager),
        SignerRole.GUARDIAN.value: "Appointed guardian",
    }
    for role in roles:
        plan_services.signature_record(
            version=version,
            actor=manager,
            data={
                "role": role,
                "signer_name": names[role],
                "relationship": "Legal guardian" if role == SignerRole.GUARDIAN else "",
                "signed_on": on,
                "method": SignatureMethod.PAPER,
                "witness": "Second staff member",
                **_reading(version.beneficiary),
            },
        )
