"""The reminder scan: what is due or overdue, as notification rows, created idempotently.

Reminders are rows derived from the database, never delayed broker messages: a scan that
runs twice, in two processes at once, or after Redis was down, neither loses nor duplicates
a reminder. Celery beat runs `scan` every few minutes; `manage.py send_reminders` runs the
same function in-process.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from accounts.models import Discipline, Role, User
from assessments.models import Assessment
from cases.choices import CaseStatus, DocumentStatus, ProceedingStage, Stage, TeamRole
from cases.deadlines import admitted_before_first_plan_due, first_plan_due
from cases.models import (
    Beneficiary,
    CaseReview,
    Document,
    Hearing,
    SafetyPlan,
    TeamMembership,
)
from cases.retention import due_for_erasure, retention_ends_on
from notifications.models import Notification, NotificationKind
from plans.models import PlanVersion, Task, TaskStatus

from .choices import KEEP_OPEN_AFTER_MONTHS, MONITORING_YEARS
from .selectors import attach_follow_ups, keep_open_due_on, with_last_contact
from .timeline import attach_timelines


@dataclass(frozen=True)
class Due:
    kind: str
    beneficiary_id: int
    organisation_id: int
    due_on: date
    recipient_id: int | None  # None: the case manager
    item: str  # what is due, e.g. a task's id: part of the idempotency key
    supervisors_only: bool = False  # not the case manager's to do


def _contacts_due(today: date) -> list[Due]:
    # Closed cases leave monitoring five years after admission; only what the due date needs.
    cases = Beneficiary.objects.exclude(
        status=CaseStatus.CLOSED, admitted_on__lt=today - timedelta(days=MONITORING_YEARS * 366)
    ).only(
        "pk",
        "organisation_id",
        "status",
        "stage",
        "admitted_on",
        "date_of_birth",  # a child's case has its own interval
        "cadence_override__days",
    )
    rows = attach_follow_ups(list(with_last_contact(cases)))
    return [
        Due(
            NotificationKind.CONTACT_OVERDUE,
            c.pk,
            c.organisation_id,
            c.follow_up.due_on,
            None,
            "contact",
        )
        for c in rows
        if c.follow_up.due_on and c.follow_up.due_on < today
    ]


def _assessments_due(today: date) -> list[Due]:
    rows = Assessment.objects.filter(
        completed_on__isnull=True, due_on__lt=today, beneficiary__status=CaseStatus.ACTIVE
    ).values_list("pk", "due_on", "beneficiary_id", "beneficiary__organisation_id")
    return [
        Due(NotificationKind.ASSESSMENT_OVERDUE, case, org, due, None, str(pk))
        for pk, due, case, org in rows
    ]


def _plans_due(today: date) -> list[Due]:
    signed = PlanVersion.objects.filter(beneficiary=OuterRef("pk"), signed_on__isnull=False)
    cases = Beneficiary.objects.filter(
        status=CaseStatus.ACTIVE, admitted_on__lt=admitted_before_first_plan_due(today)
    ).exclude(Exists(signed))
    return [
        Due(
            NotificationKind.PLAN_OVERDUE,
            pk,
            org,
            first_plan_due(admitted),
            None,
            "plan",
        )
        for pk, org, admitted in cases.values_list("pk", "organisation_id", "admitted_on")
    ]


def _tasks_due(today: date) -> list[Due]:
    tasks = Task.objects.filter(
        due_on__lt=today,
        status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS],
        goal__version__superseded_on__isnull=True,
        goal__version__beneficiary__status=CaseStatus.ACTIVE,
    ).values_list(
        "pk",
        "due_on",
        "assigned_to_id",
        "goal__version__beneficiary_id",
        "goal__version__beneficiary__organisation_id",
    )
    return [
        Due(NotificationKind.TASK_OVERDUE, case, org, due, assignee, str(pk))
        for pk, due, assignee, case, org in tasks
    ]


def _stage_reviews_due(today: date) -> list[Due]:
    """Active cases in an earlier stage than their own timeline expects: the organisation's
    extra months for a child and for complex factors count (`monitoring.timeline`)."""
    cases = Beneficiary.objects.filter(status=CaseStatus.ACTIVE).exclude(stage=Stage.INCLUSION)
    rows = cases.only(
        "pk", "organisation_id", "stage", "admitted_on", "date_of_birth", "complex_factors"
    )
    return [
        Due(NotificationKind.STAGE_REVIEW, c.pk, c.organisation_id, today, None, c.stage)
        for c in attach_timelines(list(rows), today)
        if c.timeline.longer
    ]


def _case_reviews_due(today: date) -> list[Due]:
    """Pending multidisciplinary case reviews past their due date, on active cases: the case
    manager is reminded, and the supervisors after the grace period like other overdue work.
    The key holds the review and its due date: once per review (a review moved to an
    earlier date by a new factor is reminded again)."""
    reviews = CaseReview.objects.filter(
        held_on__isnull=True, due_on__lt=today, beneficiary__status=CaseStatus.ACTIVE
    ).values_list("pk", "due_on", "beneficiary_id", "beneficiary__organisation_id")
    return [
        Due(NotificationKind.CASE_REVIEW_DUE, case, org, due, None, f"review:{pk}")
        for pk, due, case, org in reviews
    ]


def _safety_plans_due(today: date) -> list[Due]:
    """Safety plans whose review date has come, on active cases: due on the day itself, since
    a plan out of date can put the person at risk. Reviewing it sets a new date, so a new
    reminder when that one comes. Only the kind and the case code reach the notification."""
    plans = SafetyPlan.objects.filter(
        review_on__lte=today, beneficiary__status=CaseStatus.ACTIVE
    ).values_list("pk", "review_on", "beneficiary_id", "beneficiary__organisation_id")
    return [
        Due(NotificationKind.SAFETY_PLAN_REVIEW, case, org, due, None, str(pk))
        for pk, due, case, org in plans
    ]


def _documents_expiring(today: date) -> list[Due]:
    """Issued documents that expire within DOCUMENT_EXPIRY_WARNING_DAYS, on active cases: due
    that many days before the expiry, so there is time to renew. The key holds the expiry
    date (as the due date): a renewed document with a new one warns again. Only the kind and
    the case code reach the notification."""
    warning = timedelta(days=settings.DOCUMENT_EXPIRY_WARNING_DAYS)
    documents = Document.objects.filter(
        status=DocumentStatus.ISSUED,
        expires_on__lte=today + warning,
        beneficiary__status=CaseStatus.ACTIVE,
    ).values_list("pk", "expires_on", "beneficiary_id", "beneficiary__organisation_id")
    return [
        Due(
            NotificationKind.DOCUMENT_EXPIRING,
            case,
            org,
            expires - warning,
            None,
            f"{pk}:{expires}",
        )
        for pk, expires, case, org in documents
        if expires is not None  # the filter leaves out documents without one
    ]


def _hearings_soon(today: date) -> list[Due]:
    """Hearings within HEARING_NOTICE_DAYS (today included) on the open proceedings of
    active cases: to the case manager and to each lawyer on the team, who prepare the
    person for it. Due on the hearing's day; the key holds the hearing and that day, so a
    hearing moved to another day is told again. Only the kind and the case code reach the
    notification: nothing of the proceedings."""
    hearings = list(
        Hearing.objects.filter(
            held_on__gte=today,
            held_on__lte=today + timedelta(days=settings.HEARING_NOTICE_DAYS),
            proceeding__beneficiary__status=CaseStatus.ACTIVE,
        )
        .exclude(proceeding__stage=ProceedingStage.ENDED)
        .values_list(
            "pk",
            "held_on",
            "proceeding__beneficiary_id",
            "proceeding__beneficiary__organisation_id",
        )
    )
    lawyers: dict[int, list[int]] = defaultdict(list)
    if hearings:
        # A case manager who is a lawyer too is told once, as the case manager.
        for case, user in (
            TeamMembership.objects.filter(
                beneficiary_id__in={case for _pk, _on, case, _org in hearings},
                discipline=Discipline.LAWYER,
                ended_on__isnull=True,
                user__is_active=True,
            )
            .exclude(role=TeamRole.CASE_MANAGER)
            .values_list("beneficiary_id", "user_id")
        ):
            lawyers[case].append(user)
    return [
        Due(NotificationKind.HEARING_SOON, case, org, held_on, recipient, str(pk))
        for pk, held_on, case, org in hearings
        for recipient in [None, *lawyers[case]]  # None: the case manager
    ]


def _keep_open_due(today: date) -> list[Due]:
    """Active cases past the three-year mark whose case manager has not said (this year) why
    they stay open. The key holds the due date: asked again each year."""
    cases = (
        Beneficiary.objects.filter(
            status=CaseStatus.ACTIVE,
            admitted_on__lte=today - relativedelta(months=KEEP_OPEN_AFTER_MONTHS),
        )
        .annotate(latest=Max("keep_open_decisions__decided_on"))
        .values_list("pk", "organisation_id", "admitted_on", "latest")
    )
    due = [(pk, org, keep_open_due_on(admitted, latest)) for pk, org, admitted, latest in cases]
    return [
        Due(NotificationKind.KEEP_OPEN_DUE, pk, org, on, None, "keep_open")
        for pk, org, on in due
        if on <= today
    ]


def _erasures_due(today: date) -> list[Due]:
    """Closed files past the retention period: a decision for the supervisors only."""
    cases = due_for_erasure(today=today).values_list("pk", "organisation_id", "closed_on")
    return [
        Due(
            NotificationKind.RETENTION_DUE,
            case,
            org,
            retention_ends_on(closed),
            None,
            "file",
            supervisors_only=True,
        )
        for case, org, closed in cases
    ]


def due_items(today: date) -> list[Due]:
    return [
        *_contacts_due(today),
        *_assessments_due(today),
        *_plans_due(today),
        *_tasks_due(today),
        *_stage_reviews_due(today),
        *_case_reviews_due(today),
        *_keep_open_due(today),
        *_safety_plans_due(today),
        *_documents_expiring(today),
        *_hearings_soon(today),
        *_erasures_due(today),
    ]


# Warnings ahead of time, not overdue work: the case manager alone is told (a case without
# one still goes to the supervisors).
_NOT_ESCALATED = {
    NotificationKind.STAGE_REVIEW,
    NotificationKind.DOCUMENT_EXPIRING,
    NotificationKind.HEARING_SOON,
}


def _key(due: Due, recipient_id: int, escalated: bool) -> str:
    # A stage review is due once per stage: its key has no date, so it is not repeated daily.
    when = "" if due.kind == NotificationKind.STAGE_REVIEW else due.due_on.isoformat()
    return f"{due.kind}:{due.beneficiary_id}:{due.item}:{when}:{recipient_id}:{'esc' if escalated else ''}"


def scan(today: date | None = None) -> list[int]:
    """Create the notifications now due; return the ids of those not yet e-mailed."""
    today = today or timezone.localdate()
    items = due_items(today)
    managers = dict(
        TeamMembership.objects.filter(
            role=TeamRole.CASE_MANAGER, ended_on__isnull=True
        ).values_list("beneficiary_id", "user_id")
    )
    supervisors: dict[int, list[int]] = defaultdict(list)
    for pk, org in User.objects.filter(role=Role.SUPERVISOR, is_active=True).values_list(
        "pk", "organisation_id"
    ):
        supervisors[org].append(pk)
    grace = timedelta(days=settings.REMINDER_ESCALATION_DAYS)

    candidates = []
    for due in items:
        if due.supervisors_only:
            candidates += [
                (_key(due, pk, False), due, pk, False)
                for pk in supervisors.get(due.organisation_id, [])
            ]
            continue
        recipient = due.recipient_id or managers.get(due.beneficiary_id)
        recipients = [(recipient, False)] if recipient else []
        if (due.kind not in _NOT_ESCALATED and today - due.due_on > grace) or not recipient:
            recipients += [(pk, True) for pk in supervisors.get(due.organisation_id, [])]
        candidates += [
            (_key(due, pk, escalated), due, pk, escalated) for pk, escalated in recipients
        ]
    # Most of what is due was notified by an earlier scan. Building and inserting those rows
    # again only for the unique key to discard them was nearly all of a repeat scan's time.
    notified = _existing_keys([key for key, *_ in candidates])
    rows = [
        Notification(
            key=key,
            recipient_id=pk,
            beneficiary_id=due.beneficiary_id,
            kind=due.kind,
            due_on=due.due_on,
            escalated=escalated,
        )
        for key, due, pk, escalated in candidates
        if key not in notified
    ]
    with transaction.atomic():
        # Two scans at once both try to insert; the unique key keeps one row.
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    # Everything not yet e-mailed, including what an earlier run failed to send: it catches up.
    return list(Notification.objects.filter(emailed_at__isnull=True).values_list("pk", flat=True))


KEY_BATCH = 1000  # keys per lookup: well within every database's limit on parameters


def _existing_keys(keys: list[str]) -> set[str]:
    existing: set[str] = set()
    for start in range(0, len(keys), KEY_BATCH):
        batch = keys[start : start + KEY_BATCH]
        existing.update(Notification.objects.filter(key__in=batch).values_list("key", flat=True))
    return existing
