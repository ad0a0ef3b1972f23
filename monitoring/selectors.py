"""Reads for monitoring: when the next contact is due, for one case or a page of cases."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict, cast

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Discipline, User
from cases.access import viewer_discipline
from cases.choices import CaseStatus, ProceedingStage, TeamRole, YesNoUnknown
from cases.models import (
    Beneficiary,
    CaseReview,
    CrisisAlarm,
    Hearing,
    TeamMembership,
    months_between,
)
from cases.selectors import risk_raised

from .choices import (
    DEFAULT_INTERVAL_DAYS,
    KEEP_OPEN_AFTER_MONTHS,
    KEEP_OPEN_ASKED_EVERY_MONTHS,
    CadencePhase,
)
from .due_dates import (
    monitoring_ends_on,
    no_longer_followed_up,
    organisation_intervals,
    with_next_contact_due,
)
from .models import CaseMilestone, Contact, ContactInterval, KeepOpenDecision, Milestone


def phase_of(beneficiary: Beneficiary) -> CadencePhase | None:
    """The phase whose interval applies; None once post-closure monitoring has ended."""
    if beneficiary.status != CaseStatus.CLOSED:
        return CadencePhase(beneficiary.stage)
    monitoring_ends = monitoring_ends_on(beneficiary.admitted_on)
    return CadencePhase.AFTER_CLOSURE if timezone.localdate() < monitoring_ends else None


def _intervals(organisation_ids: Iterable[int]) -> dict[tuple[int, str], int]:
    rows = ContactInterval.objects.filter(organisation_id__in=set(organisation_ids))
    return {(r.organisation_id, r.phase): r.days for r in rows}


def interval_days(
    phase: CadencePhase,
    organisation_days: Mapping[str, int],
    *,
    minor: bool,
    override_days: int | None = None,
) -> int:
    """The minimum days between contacts: the case's own interval if it has one, else its
    organisation's for the phase (`organisation_days`: phase → days, the defaults where
    missing). A child's open case takes the closer of the stage's and the child's interval;
    after closure the post-closure interval applies to everyone. The closer follow-up after
    a crisis alarm comes on top (`follow_up_from`)."""
    if override_days:
        return override_days
    days = organisation_days.get(phase, DEFAULT_INTERVAL_DAYS[phase])
    if minor and phase != CadencePhase.AFTER_CLOSURE:
        child = CadencePhase.CHILD
        days = min(days, organisation_days.get(child, DEFAULT_INTERVAL_DAYS[child]))
    return days


def _of_organisation(
    intervals: Mapping[tuple[int, str], int], organisation_id: int
) -> dict[str, int]:
    return {phase: days for (org, phase), days in intervals.items() if org == organisation_id}


def default_interval_days(beneficiary: Beneficiary) -> int:
    """The interval the case has without its own (the cadence form says it)."""
    phase = phase_of(beneficiary) or CadencePhase.AFTER_CLOSURE
    intervals = _intervals([beneficiary.organisation_id])
    return interval_days(
        phase,
        _of_organisation(intervals, beneficiary.organisation_id),
        minor=beneficiary.is_minor,
    )


@dataclass(frozen=True)
class FollowUp:
    interval_days: int | None
    last_contact_on: date | None
    due_on: date | None
    # While a crisis alarm keeps the case on the closer interval: the last day it does.
    closer_until: date | None = None

    @property
    def days_overdue(self) -> int:
        return max((timezone.localdate() - self.due_on).days, 0) if self.due_on else 0

    @property
    def state(self) -> str:
        """overdue, today, week (within seven days), later, or none (no monitoring now)."""
        if self.due_on is None:
            return "none"
        days_left = (self.due_on - timezone.localdate()).days
        if days_left < 0:
            return "overdue"
        if days_left == 0:
            return "today"
        return "week" if days_left <= 7 else "later"


class FollowUpFacts(TypedDict):
    alarm_at: datetime | None  # a crisis alarm still within its closer follow-up


if TYPE_CHECKING:  # django-stubs-ext is a development tool, not installed in production
    from django_stubs_ext import WithAnnotations

    CaseWithFollowUpFacts = WithAnnotations[Beneficiary, FollowUpFacts]

    from .due_dates import CaseWithNextContactDue


def with_follow_up_facts(cases: QuerySet[Beneficiary]) -> QuerySet[CaseWithFollowUpFacts]:
    """What `attach_follow_ups` needs besides the case's own `last_contact_at`: annotate
    `alarm_at` (a recent crisis alarm) and load any cadence override."""
    return cases.annotate(alarm_at=_recent_alarm_at()).select_related("cadence_override")


def _recent_alarm_at() -> Subquery:
    """When the latest crisis alarm still within its closer follow-up was raised."""
    since = timezone.now() - timedelta(days=settings.CRISIS_FOLLOW_UP_DAYS + 1)
    alarms = CrisisAlarm.objects.filter(beneficiary=OuterRef("pk"), raised_at__gte=since)
    return Subquery(alarms.order_by("-raised_at").values("raised_at")[:1])


def follow_up_from(
    admitted_on: date,
    interval_days: int,
    last_contact_at: Any,
    zone: Any = None,
    *,
    alarm_at: datetime | None = None,
    alarm_days: int = DEFAULT_INTERVAL_DAYS[CadencePhase.AFTER_ALARM],
) -> FollowUp:
    """The next contact is due one interval after the last contact made, or after admission.

    For CRISIS_FOLLOW_UP_DAYS after a crisis alarm (`alarm_at`) the interval is at most
    `alarm_days`, counted from the alarm if no contact was made since; then it ends by itself.
    An alarm only brings the next contact closer: a contact already overdue stays overdue.
    `zone`: the current time zone, when the caller converts many times and looked it up once.
    """
    last = timezone.localdate(last_contact_at, zone) if last_contact_at else None
    due = (last or admitted_on) + timedelta(days=interval_days)
    if alarm_at is not None:
        raised_on = timezone.localdate(alarm_at, zone)
        until = raised_on + timedelta(days=settings.CRISIS_FOLLOW_UP_DAYS - 1)
        if timezone.localdate(timezone.now(), zone) <= until:
            closer_due = max(last or admitted_on, raised_on) + timedelta(days=alarm_days)
            return FollowUp(min(interval_days, alarm_days), last, min(due, closer_due), until)
    return FollowUp(interval_days, last, due)


def _alarm_at_of(case: Beneficiary) -> datetime | None:
    return cast("CaseWithFollowUpFacts", case).alarm_at


def attach_follow_ups(cases: list[Beneficiary]) -> list[Beneficiary]:
    """Set `case.follow_up` on cases annotated by `with_follow_up_facts`, with one more query."""
    intervals = _intervals(c.organisation_id for c in cases)
    by_organisation = {
        org: _of_organisation(intervals, org) for org in {c.organisation_id for c in cases}
    }
    for case in cases:
        phase = phase_of(case)
        if phase is None:
            case.follow_up = FollowUp(None, None, None)
            continue
        # A missing reverse one-to-one raises an AttributeError subclass: getattr's default.
        override = getattr(case, "cadence_override", None)
        days = interval_days(
            phase,
            by_organisation[case.organisation_id],
            minor=case.is_minor,
            override_days=override.days if override else None,
        )
        case.follow_up = follow_up_from(
            case.admitted_on,
            days,
            case.last_contact_at,
            alarm_at=_alarm_at_of(case),
            alarm_days=intervals.get(
                (case.organisation_id, CadencePhase.AFTER_ALARM),
                DEFAULT_INTERVAL_DAYS[CadencePhase.AFTER_ALARM],
            ),
        )
    return cases


def follow_up_for(beneficiary: Beneficiary) -> FollowUp:
    """One case's next contact, in one query: the case file shows it on every visit."""
    phase = phase_of(beneficiary)
    if phase is None:
        return FollowUp(None, None, None)

    def organisation_interval(phase: str) -> Subquery:
        return Subquery(
            ContactInterval.objects.filter(
                organisation_id=OuterRef("organisation_id"), phase=phase
            ).values("days")[:1]
        )

    last_contact_at, override_days, organisation_days, child_days, alarm_at, alarm_days = (
        Beneficiary.objects.filter(pk=beneficiary.pk)
        .annotate(
            interval=organisation_interval(phase),
            child_interval=organisation_interval(CadencePhase.CHILD),
            alarm_at=_recent_alarm_at(),
            alarm_interval=organisation_interval(CadencePhase.AFTER_ALARM),
        )
        .values_list(
            "last_contact_at",
            "cadence_override__days",
            "interval",
            "child_interval",
            "alarm_at",
            "alarm_interval",
        )
        .get()
    )
    set_by_organisation = {phase: organisation_days, CadencePhase.CHILD: child_days}
    days = interval_days(
        phase,
        {key: n for key, n in set_by_organisation.items() if n},
        minor=beneficiary.is_minor,
        override_days=override_days,
    )
    return follow_up_from(
        beneficiary.admitted_on,
        days,
        last_contact_at,
        alarm_at=alarm_at,
        alarm_days=alarm_days or DEFAULT_INTERVAL_DAYS[CadencePhase.AFTER_ALARM],
    )


def follow_ups_of(user: User) -> QuerySet[CaseWithNextContactDue]:
    """The cases a case manager must contact, overdue first, then by due date (the state
    follows the due date), ordered in the database so a page of them is cut there: the
    page's rows come from `follow_up_rows`. Annotated with `next_contact_due`."""
    if user.organisation_id is None:  # staff of no organisation (administrators) manage none
        return with_next_contact_due(Beneficiary.objects.none())
    mine = Beneficiary.objects.filter(
        organisation_id=user.organisation_id,
        team__user=user,
        team__role=TeamRole.CASE_MANAGER,
        team__ended_on__isnull=True,
    )
    # Cases of one organisation: its intervals go into the query as constants, not as
    # subqueries on every case.
    intervals = organisation_intervals(user.organisation_id)
    today = timezone.localdate()
    return with_next_contact_due(
        mine.exclude(no_longer_followed_up(today)), today, intervals
    ).order_by("next_contact_due", "case_code")


def follow_up_rows(case_ids: list[int]) -> list[Beneficiary]:
    """The rows of a page of follow-ups, in the page's order, each with its `follow_up` and
    `at_risk`: two queries, whatever the size of the page."""
    rows = with_follow_up_facts(Beneficiary.objects.filter(pk__in=case_ids)).annotate(
        at_risk=risk_raised()
    )
    by_id = {case.pk: case for case in attach_follow_ups(list(rows))}
    # The safe-contact answers' words, looked up once (get_FOO_display rebuilds its table of
    # choices on every call: most of a page's rendering at fifty rows).
    answers = dict(YesNoUnknown.choices)
    for case in by_id.values():
        case.safe_to_call_label = answers.get(case.safe_to_call, case.safe_to_call)
        case.home_visits_allowed_label = answers.get(
            case.home_visits_allowed, case.home_visits_allowed
        )
    return [by_id[pk] for pk in case_ids if pk in by_id]


def my_follow_ups(user: User) -> list[Beneficiary]:
    """All the cases a case manager must contact, overdue first, then by due date."""
    return follow_up_rows(list(follow_ups_of(user).values_list("pk", flat=True)))


def hearings_soon_for(user: User) -> list[Hearing]:
    """Hearings in the next HEARING_NOTICE_DAYS (today included) on the open proceedings of
    active cases the user manages or is on as a lawyer (who read them: `reads_legal`), the
    soonest first, each with its case: one query however many there are."""
    today = timezone.localdate()
    mine = TeamMembership.objects.filter(user=user, ended_on__isnull=True).filter(
        Q(role=TeamRole.CASE_MANAGER) | Q(discipline=Discipline.LAWYER)
    )
    return list(
        Hearing.objects.filter(
            held_on__gte=today,
            held_on__lte=today + timedelta(days=settings.HEARING_NOTICE_DAYS),
            proceeding__beneficiary__status=CaseStatus.ACTIVE,
            proceeding__beneficiary__in=mine.values("beneficiary_id"),
        )
        .exclude(proceeding__stage=ProceedingStage.ENDED)
        .select_related("proceeding__beneficiary")
        .order_by("held_on", "starts_at", "id")
    )


# Pending case reviews due within this many days are listed in My follow-ups.
CASE_REVIEW_NOTICE_DAYS = 7


def case_reviews_due_for(user: User) -> list[CaseReview]:
    """Multidisciplinary case reviews pending on the active cases the user manages, overdue
    or due within CASE_REVIEW_NOTICE_DAYS, the earliest first: one query."""
    today = timezone.localdate()
    return list(
        CaseReview.objects.filter(
            held_on__isnull=True,
            due_on__lte=today + timedelta(days=CASE_REVIEW_NOTICE_DAYS),
            beneficiary__status=CaseStatus.ACTIVE,
            beneficiary__team__user=user,
            beneficiary__team__role=TeamRole.CASE_MANAGER,
            beneficiary__team__ended_on__isnull=True,
        )
        .select_related("beneficiary")
        .order_by("due_on", "id")
    )


def contacts_of(beneficiary: Beneficiary) -> list[Contact]:
    return list(beneficiary.contacts.select_related("author"))


def readable(beneficiary: Beneficiary, contact: Contact) -> bool:
    """Restricted notes: the author's discipline, the case manager and supervisors read them."""
    if not contact.restricted or beneficiary.can["manage"]:
        return True
    return viewer_discipline(beneficiary) == contact.author_discipline


@dataclass(frozen=True)
class StageMilestones:
    stage: CadencePhase
    rows: list[tuple[Milestone, CaseMilestone | None]]

    @property
    def achieved(self) -> int:
        return sum(1 for _, record in self.rows if record and record.achieved_on)


def milestone_progress(beneficiary: Beneficiary) -> list[StageMilestones]:
    """The checklist of every stage with what this person has reached (two queries)."""
    records = {r.milestone_id: r for r in beneficiary.milestones.all()}
    by_stage: dict[str, list[tuple[Milestone, CaseMilestone | None]]] = {}
    for milestone in Milestone.objects.all():
        by_stage.setdefault(milestone.stage, []).append((milestone, records.get(milestone.pk)))
    return [
        StageMilestones(CadencePhase(stage), by_stage.get(stage, []))
        for stage in ("crisis", "transition", "inclusion")
    ]


@dataclass(frozen=True)
class KeepOpen:
    """A case past the usual three years: when its case manager must (again) say why it stays
    open, and what was said last."""

    months_open: int
    due_on: date
    latest: KeepOpenDecision | None

    @property
    def asked(self) -> bool:
        return self.due_on <= timezone.localdate()


def keep_open_due_on(admitted_on: date, latest_decided_on: date | None) -> date:
    """At the mark, then a year after each answer (an answer before the mark counts from it)."""
    mark = admitted_on + relativedelta(months=KEEP_OPEN_AFTER_MONTHS)
    if latest_decided_on is None:
        return mark
    return max(mark, latest_decided_on + relativedelta(months=KEEP_OPEN_ASKED_EVERY_MONTHS))


def keep_open_for(beneficiary: Beneficiary) -> KeepOpen | None:
    """None for a closed case or one not yet at the mark."""
    today = timezone.localdate()
    months = months_between(beneficiary.admitted_on, today)
    if beneficiary.status == CaseStatus.CLOSED or months < KEEP_OPEN_AFTER_MONTHS:
        return None
    latest = (
        beneficiary.keep_open_decisions.select_related("decided_by")
        .order_by("-decided_on", "-id")
        .first()
    )
    due_on = keep_open_due_on(beneficiary.admitted_on, latest.decided_on if latest else None)
    return KeepOpen(months, due_on, latest)
