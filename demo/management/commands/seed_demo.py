"""Load fictional demo data through the same services the pages use.

Idempotent: staff accounts are brought back to their demo state on every run, and the
case files are made only while the demo organisation has none.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Discipline, Organisation, Role, User
from assessments import services as assessment_services
from assessments.choices import AssessmentKind, OutcomeDomain, Priority
from assessments.models import Assessment, AssessmentSection
from cases import emergency, services
from cases.choices import (
    Accommodation,
    ChildSituation,
    ClosureReason,
    ComplexFactor,
    ConsentGiver,
    ConsentMethod,
    ConsentScope,
    DeclineScope,
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
    TeamRole,
    TraffickingScope,
    WitnessStatus,
    YesNoUnknown,
)
from cases.models import Beneficiary
from demo.directory import seed_directory
from directory.choices import ServiceDomain
from directory.models import Provider, Service
from monitoring import services as monitoring_services
from monitoring.choices import ContactType, Observation
from monitoring.models import Milestone
from plans import services as plan_services
from plans.models import PlanVersion, SignatureMethod, SignerRole
from referrals import services as referral_services
from referrals.choices import UnmetBarrier
from supervision import services as supervision_services
from supervision.models import SupervisionKind

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - fictional demo accounts, stated in the README
CASES_IN_FIRST_ORGANISATION = 60
CASES_IN_SECOND_ORGANISATION = 4
# Files closed long ago, past the retention period: Supervision → Retention lists them.
OLD_CLOSED_CASES = 2

ORGANISATIONS = [
    ("Daybreak Association", "DE", Organisation.Kind.NGO, "Daybreak Community Programme"),
    ("Northside Social Services", "NS", Organisation.Kind.STATE, "Northside Family Support"),
]

# username, first name, last name, role, discipline, organisation index
STAFF = [
    ("admin", "Alma", "Reyes", Role.ADMINISTRATOR, "", 0),
    ("supervisor", "Sofia", "Lindqvist", Role.SUPERVISOR, Discipline.SOCIAL_WORKER, 0),
    ("caseworker", "Maren", "Oduya", Role.CASE_WORKER, Discipline.SOCIAL_WORKER, 0),
    ("caseworker2", "Tomas", "Belic", Role.CASE_WORKER, Discipline.SOCIAL_WORKER, 0),
    ("psychologist", "Irena", "Vasquez", Role.MDT_MEMBER, Discipline.PSYCHOLOGIST, 0),
    ("doctor", "Jonah", "Alvarez", Role.MDT_MEMBER, Discipline.DOCTOR, 0),
    ("lawyer", "Petra", "Nakamura", Role.MDT_MEMBER, Discipline.LAWYER, 0),
    ("teacher", "Elif", "Marchetti", Role.MDT_MEMBER, Discipline.TEACHER, 0),
    ("outsider", "Nils", "Okafor", Role.CASE_WORKER, Discipline.SOCIAL_WORKER, 1),
    ("northsupervisor", "Greta", "Mwangi", Role.SUPERVISOR, Discipline.SOCIAL_WORKER, 1),
]

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
SECTION_NEEDS = [
    "Needs regular support in this area; no urgent problems.",
    "Urgent: no stable arrangement yet.",
    "Some needs, being addressed with the person.",
]
SECTION_STRENGTHS = [
    "Motivated, supportive sister nearby.",
    "Good practical skills; finished secondary school.",
    "Friendly with other residents; keeps appointments.",
]

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
# One story per referral in the demo, so that every state is on screen.
REFERRAL_STORIES = [
    "sent",
    "accepted",
    "in_progress",
    "completed",
    "provider_declined",
    "cancelled",
    "person_declined",
    "draft_without_consent",
    "consent_override_requested",
    "agreement_override",
    "consent_withdrawn",
    "no_sharing",
    "transfer",
]
REFERRAL_PATHS: dict[str, list[tuple[str, str]]] = {
    "sent": [],
    "accepted": [("accepted", "")],
    "in_progress": [("accepted", ""), ("in_progress", "")],
    "completed": [
        ("accepted", ""),
        ("in_progress", ""),
        ("completed", "Received the support agreed; no further need in this area."),
    ],
    "provider_declined": [("declined_by_provider", "No places until next year.")],
    "cancelled": [("cancelled", "Need met by a relative's offer of help.")],
    "person_declined": [("declined_by_person", "Does not want to travel to the other town.")],
    "agreement_override": [("accepted", "")],
    "consent_withdrawn": [("accepted", "")],
    "no_sharing": [("accepted", "")],
}
CONTACT_SUMMARIES = [
    "Talked about the course and the week ahead.",
    "Reviewed the budget together; rent is paid.",
    "Accompanied to the health centre; next check-up booked.",
    "Difficult week; agreed on an extra call on Friday.",
]


class Command(BaseCommand):
    help = "Load fictional demo organisations, staff and case files (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            organisations = [self._organisation(*o) for o in ORGANISATIONS]
            # One hash for all the demo accounts: each hash is deliberately slow.
            password = make_password(DEMO_PASSWORD)
            staff = {row[0]: self._staff(row, organisations, password) for row in STAFF}
            if Beneficiary.objects.filter(organisation=organisations[0]).exists():
                self.stdout.write("Demo data already loaded; staff accounts refreshed.")
                return
            directory = seed_directory(staff["admin"], timezone.localdate())
            seeder = _Seeder(staff, random.Random(2026), directory)
            for number in range(CASES_IN_FIRST_ORGANISATION):
                seeder.case(number)
            for number in range(CASES_IN_SECOND_ORGANISATION):
                seeder.foreign_case(number)
            for number in range(OLD_CLOSED_CASES):
                seeder.old_closed_case(number)
            seeder.supervision()
            seeder.feedback_and_emergency()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {len(organisations)} organisations, {len(staff)} staff, "
                f"{Beneficiary.objects.count()} case files. Password for every account: {DEMO_PASSWORD}"
            )
        )

    def _organisation(self, name: str, code: str, kind: str, programme: str) -> Organisation:
        organisation, _ = Organisation.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "programme_name": programme}
        )
        return organisation

    def _staff(self, row: tuple, organisations: list[Organisation], password: str) -> User:
        username, first, last, role, discipline, org_index = row
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "organisation": organisations[org_index],
                "role": role,
                "discipline": discipline,
                "is_active": True,
                "is_staff": role == Role.ADMINISTRATOR,
                "is_superuser": role == Role.ADMINISTRATOR,
                "password": password,
            },
        )
        return user


def _giver(child: bool, child_view: str) -> dict[str, str]:
    """Who gives a consent: the person, or for a child a guardian, with the child's view."""
    if child:
        return {
            "given_by": ConsentGiver.GUARDIAN,
            "given_by_name": "Appointed guardian",
            "child_view": child_view,
        }
    return {"given_by": ConsentGiver.BENEFICIARY}


class _Seeder:
    """Makes one varied, plausible case file at a time, always through the services."""

    def __init__(
        self, staff: dict[str, User], rng: random.Random, directory: list[Service]
    ) -> None:
        self.staff = staff
        self.rng = rng
        self.directory = directory
        self.referrals_made = 0
        # Case information goes only to providers bound by a confidentiality agreement.
        self.trusted = [s for s in directory if s.provider.has_agreement]
        self.untrusted = [s for s in directory if not s.provider.has_agreement]
        self.today = timezone.localdate()
        self.milestones = {
            stage: list(Milestone.objects.filter(stage=stage).order_by("position"))
            for stage in Stage.values
        }

    def _days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def _profile(self, number: int, admitted_on: date, *, child: bool) -> dict[str, Any]:
        rng = self.rng
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
        return {
            "first_name": rng.choice(FIRST_NAMES_M if male else FIRST_NAMES_F),
            "last_name": rng.choice(LAST_NAMES),
            "alias": rng.choice(["", "", "", "Mimi", "Dee", "Nana"]),
            "date_of_birth": date(born.year, 1, 1) if estimated else born,
            "date_of_birth_estimated": estimated,
            "sex": Sex.MALE if male else Sex.FEMALE,
            "nationality": rng.choice(NATIONALITIES),
            "languages": rng.choice(LANGUAGES),
            "interpreter_needed": number % 5 == 0,
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

    def case(self, number: int) -> Beneficiary:
        rng = self.rng
        months = (number * 41) % 40  # spread admissions over 0-39 months ago
        admitted_on = self._days_ago(months * 30 + rng.randint(0, 25))
        manager = self.staff[
            "supervisor" if number % 15 == 7 else ("caseworker", "caseworker2")[number % 2]
        ]
        child = number % 6 == 1
        beneficiary = services.beneficiary_register(
            actor=manager,
            case_manager=manager,
            profile=self._profile(number, admitted_on, child=child),
            assigned_on=admitted_on,
        )
        for username in ("psychologist", "doctor", "lawyer", "teacher"):
            if rng.random() < 0.6:
                mdt = self.staff[username]
                services.team_member_add(
                    beneficiary=beneficiary,
                    actor=manager,
                    user=mdt,
                    discipline=mdt.discipline,
                    started_on=admitted_on,
                )
        self._consents(beneficiary, manager, child)
        self._family(beneficiary, manager)
        self._initial_assessment(beneficiary, manager, number)
        plan = self._first_plan(beneficiary, manager, number)
        self._stages(beneficiary, manager, months, number)
        if beneficiary.stage == Stage.INCLUSION and number % 3 == 0:
            self._review_assessment(beneficiary, manager)
            if plan and plan.is_signed:
                self._revised_plan(plan, manager)
        if number % 10 == 4:
            new_manager = self.staff[
                "caseworker2" if manager.username != "caseworker2" else "caseworker"
            ]
            services.case_manager_handover(
                beneficiary=beneficiary,
                actor=self.staff["supervisor"],
                new_manager=new_manager,
                handover_on=beneficiary.stage_since,
                note="Caseload rebalanced.",
            )
            manager = new_manager
        self._contacts(beneficiary, manager, number)
        self._milestones(beneficiary, manager)
        self._closure(beneficiary, manager, number)
        if not beneficiary.is_closed:
            self._referral(beneficiary, manager, number)
            self._unmet_need(beneficiary, manager, number)
        return beneficiary

    def _referral(self, beneficiary: Beneficiary, manager: User, number: int) -> None:
        """Every other active case has a referral; together they pass through every state."""
        if number % 2:
            return
        story = REFERRAL_STORIES[self.referrals_made % len(REFERRAL_STORIES)]
        self.referrals_made += 1
        if story == "transfer":
            self._transfer(beneficiary, manager)
            return
        rng = self.rng
        pool = self.untrusted if story == "agreement_override" else self.trusted
        service = rng.choice(pool)
        start = max(beneficiary.admitted_on, self._days_ago(rng.randint(20, 60)))
        day = iter(min(start + timedelta(days=d), self.today) for d in (0, 2, 6, 12, 30, 31))
        information = ["identity", "contact", "needs"]
        referral = referral_services.referral_create(
            beneficiary=beneficiary,
            actor=manager,
            service=service,
            on=next(day),
            data={
                "domain": service.domains[0],
                "reason": f"Agreed with the person: support with {ServiceDomain(service.domains[0]).label.lower()}.",
                "information": [] if story == "no_sharing" else information,
                "urgency": rng.choice(["routine", "routine", "soon", "urgent"]),
            },
        )
        if story == "draft_without_consent":
            return
        if story == "consent_override_requested":
            referral_services.override_request(
                referral=referral,
                actor=manager,
                kind="consent",
                reason="Needs medical care urgently; the person agreed by phone and signs on Monday.",
            )
            return
        consent = None
        if story == "agreement_override":
            referral_services.override_request(
                referral=referral,
                actor=self.staff["supervisor"],
                kind="agreement",
                reason="Only provider in the area; agreement being signed this month.",
            )
        if story != "no_sharing":
            consent = services.consent_record(
                beneficiary=beneficiary,
                actor=manager,
                data={
                    "scope": ConsentScope.SHARING,
                    "provider": service.provider,
                    "information": information,
                    **_giver(beneficiary.is_minor, "Agrees."),
                    "given_on": referral.status_changed_on,
                    "method": ConsentMethod.WRITTEN,
                },
            )
        referral_services.referral_send(referral=referral, actor=manager, on=next(day))
        for status, note in REFERRAL_PATHS[story]:
            referral_services.referral_move(
                referral=referral, actor=manager, to_status=status, on=next(day), note=note
            )
        if story == "completed":
            referral_services.referral_follow_through(
                referral=referral,
                actor=manager,
                data={
                    "treatment": "respectful",
                    "feedback": "Staff were kind and explained everything.",
                    "barriers": ["travel_cost"],
                },
            )
        if story == "consent_withdrawn" and consent:
            services.consent_withdraw(
                consent=consent,
                actor=manager,
                withdrawn_on=next(day),
                reason="Changed her mind about sharing her details.",
            )

    def _transfer(self, beneficiary: Beneficiary, manager: User) -> None:
        receiving = Provider.objects.get(system_organisation__code="NS")
        services.consent_record(
            beneficiary=beneficiary,
            actor=manager,
            data={
                "scope": ConsentScope.SHARING,
                "provider": receiving,
                "information": ["case_file"],
                **_giver(beneficiary.is_minor, "Wants to live near her aunt."),
                "given_on": self.today,
                "method": ConsentMethod.WRITTEN,
            },
        )
        referral_services.transfer_request(
            beneficiary=beneficiary,
            actor=manager,
            to_organisation=receiving.system_organisation,
            reason="Moving to live with family in Eastfield; asks to be supported there.",
        )

    def _unmet_need(self, beneficiary: Beneficiary, manager: User, number: int) -> None:
        if number % 5 != 1:
            return
        rng = self.rng
        recorded_on = max(beneficiary.admitted_on, self._days_ago(rng.randint(5, 90)))
        need = referral_services.unmet_need_record(
            beneficiary=beneficiary,
            actor=manager,
            data={
                "domain": rng.choice(["housing", "economic", "psychological", "education"]),
                "barrier": rng.choice(UnmetBarrier.values),
                "details": "Nothing suitable within reach; kept on the waiting list.",
                "recorded_on": recorded_on,
            },
        )
        if number % 10 == 1:
            referral_services.unmet_need_resolve(
                need=need,
                actor=manager,
                resolved_on=self.today,
                resolution="A place opened up at a service in the next town.",
            )

    def _consents(self, beneficiary: Beneficiary, actor: User, child: bool) -> None:
        giver = _giver(child, "Agrees, wants to stay in school.")
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
        if self.rng.random() < 0.5:
            sharing = services.consent_record(
                beneficiary=beneficiary,
                actor=actor,
                data={
                    "scope": ConsentScope.SHARING,
                    "provider": self.rng.choice(self.trusted).provider,
                    "information": ["identity", "contact", "needs"],
                    "given_on": beneficiary.admitted_on,
                    "method": ConsentMethod.VERBAL_WITNESSED,
                    "witness": "Second staff member",
                    **giver,
                },
            )
            if self.rng.random() < 0.3:
                services.consent_withdraw(
                    consent=sharing,
                    actor=actor,
                    withdrawn_on=min(beneficiary.admitted_on + timedelta(days=20), self.today),
                    reason="Prefers to contact the service herself.",
                )

    def _family(self, beneficiary: Beneficiary, actor: User) -> None:
        rng = self.rng
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
                    "date_of_birth": beneficiary.admitted_on
                    - timedelta(days=rng.randint(200, 2500)),
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

    def _section_author(self, on_team: set[int], manager: User, section: AssessmentSection) -> User:
        """The MDT member of the owning discipline if on the team, else the case manager."""
        for username in ("psychologist", "doctor", "lawyer", "teacher"):
            user = self.staff[username]
            if user.discipline == section.owner and user.pk in on_team:
                return user
        return manager

    def _fill_sections(
        self,
        beneficiary: Beneficiary,
        manager: User,
        assessment: Assessment,
        *,
        upto: int,
        on: date,
    ) -> None:
        on_team = set(beneficiary.team.filter(ended_on=None).values_list("user_id", flat=True))
        for section in list(assessment.sections.all())[:upto]:
            not_applicable = section.domain == ServiceDomain.RETURN and self.rng.random() < 0.7
            services_data = {
                "needs": self.rng.choice(SECTION_NEEDS),
                "beneficiary_words": self.rng.choice(
                    ["", "I want to feel safe and work again.", "I need time."]
                ),
                "priority": self.rng.choice(Priority.values),
                "strengths": self.rng.choice(SECTION_STRENGTHS),
                "vulnerabilities_before": "Debts and no work in the home town.",
                "vulnerabilities_because": "Trauma symptoms; lost documents.",
                "vulnerabilities_during": "Family pressure to send money.",
                "recommended_services": "Counselling; vocational training.",
                "not_applicable": not_applicable,
                "not_applicable_reason": "Stays in the country of admission."
                if not_applicable
                else "",
            }
            assessment_services.section_save(
                section=section,
                actor=self._section_author(on_team, manager, section),
                data=services_data,
                complete=True,
                on=on,
            )

    def _score_and_complete(
        self, assessment: Assessment, manager: User, on: date, base: int
    ) -> None:
        assessment_services.scores_save(
            assessment=assessment,
            actor=manager,
            scores={
                d: (max(1, min(5, base + self.rng.choice([-1, 0, 0, 1]))), "")
                for d in OutcomeDomain.values
            },
        )
        assessment_services.assessment_complete(
            assessment=assessment,
            actor=manager,
            beneficiary_present=True,
            beneficiary_views="Agrees with the priorities; wants to start training soon.",
            summary="Stabilisation first, then training and housing.",
            on=on,
        )

    def _initial_assessment(self, beneficiary: Beneficiary, manager: User, number: int) -> None:
        """Assessments in every state: complete (some late), in progress, overdue, not started."""
        assessment = beneficiary.assessments.get()
        days_since = (self.today - beneficiary.admitted_on).days
        if days_since > 30 and number % 7 != 0:
            finished_on = beneficiary.admitted_on + timedelta(
                days=self.rng.choice([8, 10, 12, 13, 19, 25])
            )
            self._fill_sections(
                beneficiary, manager, assessment, upto=len(ServiceDomain), on=finished_on
            )
            self._score_and_complete(assessment, manager, finished_on, base=2)
        elif days_since > 1 and (number % 2 == 0 or days_since <= 14):
            self._fill_sections(beneficiary, manager, assessment, upto=3, on=self.today)

    def _review_assessment(self, beneficiary: Beneficiary, manager: User) -> None:
        if not beneficiary.assessments.filter(completed_on__isnull=False).exists():
            return
        started_on = beneficiary.admitted_on + timedelta(days=390)
        review = assessment_services.assessment_start(
            beneficiary=beneficiary,
            actor=manager,
            kind=AssessmentKind.REVIEW,
            reason="Review after moving to the inclusion stage.",
            started_on=started_on,
        )
        self._fill_sections(
            beneficiary, manager, review, upto=len(ServiceDomain), on=started_on + timedelta(days=9)
        )
        self._score_and_complete(review, manager, started_on + timedelta(days=10), base=4)

    def _goals(self, version: PlanVersion, manager: User, start: date) -> None:
        for domain, description, indicator in self.rng.sample(
            PLAN_GOALS, k=self.rng.choice([2, 3])
        ):
            goal = plan_services.goal_save(
                version=version,
                actor=manager,
                data={
                    "domain": domain,
                    "description": description,
                    "target_date": start + timedelta(days=self.rng.choice([60, 90, 180])),
                    "indicator": indicator,
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

    def _sign(self, version: PlanVersion, manager: User, on: date, roles: list[str]) -> None:
        names = {
            SignerRole.BENEFICIARY: version.beneficiary.full_name,
            SignerRole.CASE_MANAGER: str(manager),
            SignerRole.GUARDIAN: "Appointed guardian",
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
                },
            )

    def _first_plan(
        self, beneficiary: Beneficiary, manager: User, number: int
    ) -> PlanVersion | None:
        """Plans in every state: signed on time or late, awaiting signatures, draft, none yet."""
        days_since = (self.today - beneficiary.admitted_on).days
        if days_since < 10 or number % 13 == 6:
            return None  # not started (overdue when more than a month has passed)
        plan = plan_services.plan_start(
            beneficiary=beneficiary,
            actor=manager,
            own_goals=self.rng.choice(
                ["A safe place of my own.", "To work and support my son.", "Finish school."]
            ),
            participants=f"{beneficiary.first_name}, {manager}",
        )
        self._goals(plan, manager, beneficiary.admitted_on + timedelta(days=5))
        if days_since < 20 or number % 9 == 4:
            return plan  # a draft
        signed_on = min(
            beneficiary.admitted_on + timedelta(days=self.rng.choice([18, 25, 28, 40])), self.today
        )
        roles = [SignerRole.BENEFICIARY, SignerRole.CASE_MANAGER]
        if SignerRole.GUARDIAN in plan_services.required_roles(beneficiary, signed_on):
            roles.append(SignerRole.GUARDIAN)
        if number % 10 == 5:
            roles = roles[:1]  # awaiting the case manager's signature
        self._sign(plan, manager, signed_on, roles)
        plan.refresh_from_db()
        return plan

    def _revised_plan(self, plan: PlanVersion, manager: User) -> None:
        """A second version after the review: the first stays as it was signed."""
        second = plan_services.plan_new_version(
            version=plan, actor=manager, reason="Review at the inclusion stage."
        )
        self._goals(second, manager, self.today - timedelta(days=5))
        self._sign(
            second,
            manager,
            self.today - timedelta(days=2),
            [SignerRole.BENEFICIARY, SignerRole.CASE_MANAGER],
        )

    def _contacts(self, beneficiary: Beneficiary, manager: User, number: int) -> None:
        """Visits and calls; the last one recent for most cases, long ago (overdue) for some."""
        days_since = (self.today - beneficiary.admitted_on).days
        if days_since < 2:
            return
        gap = self.rng.choice([1, 2, 3, 5]) if number % 6 else self.rng.choice([15, 25, 45])
        oldest = days_since - 1  # with the hours taken off below, still on or after admission
        latest = min(oldest, gap)
        for days_ago in sorted(
            {latest, min(oldest, latest + 7), min(oldest, latest + 20)}, reverse=True
        ):
            home = self.rng.random() < 0.3
            monitoring_services.contact_log(
                beneficiary=beneficiary,
                actor=manager,
                data={
                    "occurred_at": timezone.now()
                    - timedelta(days=days_ago, hours=self.rng.randint(1, 6)),
                    "kind": ContactType.HOME_VISIT if home else ContactType.OFFICE_VISIT,
                    "safety_checked": home,
                    "participants": f"{beneficiary.first_name}, {manager.first_name}",
                    "summary": self.rng.choice(CONTACT_SUMMARIES),
                    "observations": self.rng.sample(
                        [Observation.ANXIETY, Observation.HOPE, Observation.SLEEP], k=1
                    ),
                },
            )

    def _milestones(self, beneficiary: Beneficiary, manager: User) -> None:
        """Most of the crisis milestones once past crisis; some of the next stage's."""
        crisis, transition = self.milestones[Stage.CRISIS], self.milestones[Stage.TRANSITION]
        reached = {
            Stage.CRISIS: crisis[:2],
            Stage.TRANSITION: crisis[:7],
            Stage.INCLUSION: crisis + transition[:5],
        }[beneficiary.stage]
        for milestone in reached:
            monitoring_services.milestone_mark(
                beneficiary=beneficiary,
                actor=manager,
                milestone=milestone,
                achieved_on=min(self.today, beneficiary.stage_since),
                note="",
            )

    def _stages(self, beneficiary: Beneficiary, actor: User, months: int, number: int) -> None:
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
            occurred = min(beneficiary.stage_since + timedelta(days=30), self.today)
            back_to = ""
            if beneficiary.stage == Stage.TRANSITION and number % 8 == 0:
                back_to = Stage.CRISIS
            elif beneficiary.stage == Stage.INCLUSION and number % 8 == 4:
                back_to = Stage.TRANSITION
            services.setback_record(
                beneficiary=beneficiary,
                actor=actor,
                data={
                    "category": self.rng.choice(SetbackCategory.values),
                    "occurred_on": occurred,
                    "severity": self.rng.choice(Severity.values),
                    "description": "Difficult weeks; missed two appointments.",
                    "response": "Extra visits and a review of the plan together.",
                },
                move_to_stage=back_to,
            )

    def _closure(self, beneficiary: Beneficiary, actor: User, number: int) -> None:
        if beneficiary.months_since_admission < 4:
            if number % 20 == 3:
                services.assistance_decline_record(
                    beneficiary=beneficiary,
                    actor=actor,
                    data={
                        "declined_on": self.today,
                        "scope": DeclineScope.PARTIAL,
                        "services_declined": "Group counselling",
                        "reasons": "Does not want to talk in a group.",
                        "told_help_remains_available": True,
                    },
                )
            return
        closed_on = max(beneficiary.stage_since, self.today - timedelta(days=40))
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

    def supervision(self) -> None:
        """Last week's supervision: a meeting with a worker and a review of two cases."""
        supervisor, worker = self.staff["supervisor"], self.staff["caseworker"]
        worker.caseload_capacity = 30
        worker.save(update_fields=["caseload_capacity"])
        codes = list(
            Beneficiary.objects.filter(
                team__user=worker, team__role=TeamRole.CASE_MANAGER, team__ended_on__isnull=True
            )
            .order_by("case_code")
            .values_list("case_code", flat=True)[:2]
        )
        supervision_services.supervision_record(
            actor=supervisor,
            data={
                "kind": SupervisionKind.MEETING,
                "held_on": self._days_ago(7),
                "worker": worker,
                "discussion": "Caseload and the two cases with overdue follow-ups.",
                "decisions": "Move two crisis cases to a colleague; weekly calls on high-risk cases.",
                "next_review_on": self.today + timedelta(days=7),
            },
            case_codes=codes,
        )
        supervision_services.supervision_record(
            actor=supervisor,
            data={
                "kind": SupervisionKind.CASE_REVIEW,
                "held_on": self._days_ago(3),
                "discussion": "Long in crisis; housing still not found.",
                "decisions": "Refer to the rent deposit scheme; review the safety plan.",
                "next_review_on": self.today + timedelta(days=14),
            },
            case_codes=codes[:1],
        )

    def feedback_and_emergency(self) -> None:
        """Complaints waiting for an answer (one named, one anonymous), one answered, and a
        night-time emergency access for the supervisor to review."""
        worker, other = self.staff["caseworker"], self.staff["caseworker2"]
        cases = list(
            Beneficiary.objects.filter(organisation=worker.organisation, status="active")
            .filter(team__user=worker, team__role="case_manager", team__ended_on__isnull=True)
            .order_by("case_code")[:2]
        )
        supervision_services.complaint_record(
            actor=worker,
            beneficiary=cases[0],
            data={
                "received_on": self._days_ago(2),
                "channel": "in_person",
                "subject": "service",
                "details": "The language course is at a time when she has to collect her son.",
            },
        )
        supervision_services.complaint_record(
            actor=other,
            data={
                "received_on": self._days_ago(5),
                "channel": "box",
                "subject": "organisation",
                "details": "Nobody answers the office phone after four o'clock.",
            },
        )
        answered = supervision_services.complaint_record(
            actor=other,
            data={
                "received_on": self._days_ago(30),
                "channel": "box",
                "subject": "organisation",
                "details": "The waiting room has no toys for children.",
            },
        )
        supervision_services.complaint_resolve(
            complaint=answered,
            actor=self.staff["supervisor"],
            response="A box of toys and books is now in the waiting room.",
            resolved_on=self._days_ago(20),
        )
        emergency.emergency_access_open(
            user=other,
            case_code=cases[1].case_code,
            reason="Called the night line at 23:40, frightened; her case manager was off duty.",
        )

    def old_closed_case(self, number: int) -> Beneficiary:
        """Closed a little over CASE_RETENTION_YEARS ago, after about three years of work."""
        manager = self.staff["caseworker"]
        closed_on = self.today - relativedelta(
            years=settings.CASE_RETENTION_YEARS, days=40 + number * 75
        )
        admitted_on = closed_on - timedelta(days=3 * 365)
        beneficiary = services.beneficiary_register(
            actor=manager,
            case_manager=manager,
            profile=self._profile(200 + number, admitted_on, child=False),
            assigned_on=admitted_on,
        )
        services.family_member_save(
            beneficiary=beneficiary,
            actor=manager,
            data={
                "name": f"{('Ilinca', 'Dorota')[number % 2]} {beneficiary.last_name}",
                "relationship": "mother",
                "lives_with_beneficiary": False,
                "risk_notes": "Supportive; visits on Sundays.",
            },
        )
        services.case_close(
            beneficiary=beneficiary,
            actor=manager,
            closed_on=closed_on,
            reason=ClosureReason.GOALS_ACHIEVED,
            mutually_agreed=True,
            notes="Living independently; works at a bakery.",
        )
        return beneficiary

    def foreign_case(self, number: int) -> Beneficiary:
        outsider = self.staff["outsider"]
        admitted_on = self._days_ago(30 + number * 90)
        return services.beneficiary_register(
            actor=outsider,
            case_manager=outsider,
            profile=self._profile(100 + number, admitted_on, child=False),
            assigned_on=admitted_on,
        )
