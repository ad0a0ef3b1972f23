"""The reminder scan: what is due or overdue, as notification rows, created idempotently.

Reminders are rows derived from the database, never delayed broker messages: a scan that
runs twice, in two processes at once, or after Redis was down, neither loses nor duplicates
a reminder. Celery beat runs `scan` every few minutes; `manage.py send_reminders` runs the
same function in-process.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import dateformat, timezone, translation
from django.utils.functional import lazy
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Discipline, Role, User
from assessments.choices import AssessmentKind
from assessments.models import Assessment, AssessmentSection
from cases.choices import (
    CaseStatus,
    ComplexFactor,
    DocumentKind,
    DocumentStatus,
    ProceedingStage,
    Stage,
    TeamRole,
)
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
from directory.choices import ServiceDomain
from notifications.models import DUE_SOON_OF, Notification, NotificationKind
from notifications.services import emails_one_by_one
from plans.models import PlanVersion, Task, TaskStatus

from .choices import KEEP_OPEN_AFTER_MONTHS, MONITORING_YEARS
from .selectors import attach_follow_ups, keep_open_due_on, with_last_contact
from .timeline import attach_timelines

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Due:
    kind: str
    beneficiary_id: int
    organisation_id: int
    due_on: date
    recipient_id: int | None  # None: the case manager
    item: str  # what is due, e.g. a task's id: part of the idempotency key
    supervisors_only: bool = False  # not the case manager's to do
    # What is due, for the inbox: translated into each recipient's language as the row is
    # made (a lazy text). Never e-mailed: a task's description may name people.
    subject: StrOrPromise = ""
    # A due-soon reminder: days before the due date (1 the day before, 0 on the day).
    days_ahead: int | None = None


def _on(day: date) -> StrOrPromise:
    """A date as the inbox shows it, in the language the subject is made in."""
    return lazy(lambda: dateformat.format(day, "d M Y"), str)()


def _labels(labels: Iterable[StrOrPromise]) -> StrOrPromise:
    """A list of choice labels, joined in the language the subject is made in."""
    labels = list(labels)
    return lazy(lambda: ", ".join(str(label) for label in labels), str)()


def _short(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(120)


def _soon_or_overdue(
    kind: str, due_on: date, today: date, *, overdue_on_the_day: bool = False
) -> tuple[str, int | None] | None:
    """Which reminder a date makes today: the due-soon one the day before and on the day,
    the overdue one from the day after (from the day itself where `overdue_on_the_day`: a
    safety plan out of date can put the person at risk). None: not yet."""
    first_overdue = due_on if overdue_on_the_day else due_on + timedelta(days=1)
    if today >= first_overdue:
        return kind, None
    ahead = (due_on - today).days
    if ahead <= 1:
        return DUE_SOON_OF[kind], ahead
    return None


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
    items = []
    for c in rows:
        due_on = c.follow_up.due_on
        if due_on and (which := _soon_or_overdue(NotificationKind.CONTACT_OVERDUE, due_on, today)):
            kind, ahead = which
            items.append(
                Due(
                    kind,
                    c.pk,
                    c.organisation_id,
                    due_on,
                    None,
                    "contact",
                    subject=_("Follow-up contact"),
                    days_ahead=ahead,
                )
            )
    return items


def _assessments_due(today: date) -> list[Due]:
    """Assessments not completed by their due date; the subject names the kind and the
    sections still open (one more query, whatever the number)."""
    assessments = Assessment.objects.filter(
        completed_on__isnull=True,
        due_on__lte=today + timedelta(days=1),
        beneficiary__status=CaseStatus.ACTIVE,
    )
    rows = assessments.values_list(
        "pk", "kind", "due_on", "beneficiary_id", "beneficiary__organisation_id"
    )
    open_sections: dict[int, list[StrOrPromise]] = defaultdict(list)
    for assessment, domain in AssessmentSection.objects.filter(
        assessment__in=assessments, completed_on__isnull=True, not_applicable=False
    ).values_list("assessment_id", "domain"):
        open_sections[assessment].append(ServiceDomain(domain).label)
    items = []
    for pk, kind, due, case, org in rows:
        which = _soon_or_overdue(NotificationKind.ASSESSMENT_OVERDUE, due, today)
        if which is None:
            continue
        label = AssessmentKind(kind).label
        sections = open_sections.get(pk)
        subject = (
            format_lazy(
                _("{kind}, sections open: {sections}"), kind=label, sections=_labels(sections)
            )
            if sections
            else format_lazy(_("{kind}: to complete"), kind=label)
        )
        items.append(
            Due(which[0], case, org, due, None, str(pk), subject=subject, days_ahead=which[1])
        )
    return items


def _plans_due(today: date) -> list[Due]:
    signed = PlanVersion.objects.filter(beneficiary=OuterRef("pk"), signed_on__isnull=False)
    cases = Beneficiary.objects.filter(
        status=CaseStatus.ACTIVE,
        # Due by tomorrow: the day before it falls due is the first reminder.
        admitted_on__lt=admitted_before_first_plan_due(today + timedelta(days=2)),
    ).exclude(Exists(signed))
    items = []
    for pk, org, admitted in cases.values_list("pk", "organisation_id", "admitted_on"):
        due = first_plan_due(admitted)
        if which := _soon_or_overdue(NotificationKind.PLAN_OVERDUE, due, today):
            subject = _("First signed plan")
            items.append(
                Due(which[0], pk, org, due, None, "plan", subject=subject, days_ahead=which[1])
            )
    return items


def _tasks_due(today: date) -> list[Due]:
    tasks = Task.objects.filter(
        due_on__lte=today + timedelta(days=1),
        status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS],
        goal__version__superseded_on__isnull=True,
        goal__version__beneficiary__status=CaseStatus.ACTIVE,
    ).values_list(
        "pk",
        "due_on",
        "assigned_to_id",
        "goal__version__beneficiary_id",
        "goal__version__beneficiary__organisation_id",
        "description",
    )
    items = []
    for pk, due, assignee, case, org, description in tasks:
        if which := _soon_or_overdue(NotificationKind.TASK_OVERDUE, due, today):
            kind, ahead = which
            subject = _short(description)
            items.append(
                Due(kind, case, org, due, assignee, str(pk), subject=subject, days_ahead=ahead)
            )
    return items


def _stage_reviews_due(today: date) -> list[Due]:
    """Active cases in an earlier stage than their own timeline expects: the organisation's
    extra months for a child and for complex factors count (`monitoring.timeline`)."""
    cases = Beneficiary.objects.filter(status=CaseStatus.ACTIVE).exclude(stage=Stage.INCLUSION)
    rows = cases.only(
        "pk", "organisation_id", "stage", "admitted_on", "date_of_birth", "complex_factors"
    )
    return [
        Due(
            NotificationKind.STAGE_REVIEW,
            c.pk,
            c.organisation_id,
            today,
            None,
            c.stage,
            subject=format_lazy(_("Stage: {stage}"), stage=Stage(c.stage).label),
        )
        for c in attach_timelines(list(rows), today)
        if c.timeline.longer
    ]


def _case_reviews_due(today: date) -> list[Due]:
    """Pending multidisciplinary case reviews past their due date, on active cases: the case
    manager is reminded, and the supervisors after the grace period like other overdue work.
    The key holds the review and its due date: once per review (a review moved to an
    earlier date by a new factor is reminded again)."""
    reviews = CaseReview.objects.filter(
        held_on__isnull=True,
        due_on__lte=today + timedelta(days=1),
        beneficiary__status=CaseStatus.ACTIVE,
    ).values_list("pk", "due_on", "beneficiary_id", "beneficiary__organisation_id", "factors")
    items = []
    for pk, due, case, org, factors in reviews:
        if which := _soon_or_overdue(NotificationKind.CASE_REVIEW_DUE, due, today):
            labels = [ComplexFactor(f).label for f in factors if f in ComplexFactor.values]
            subject = (
                format_lazy(_("Case review, asked for: {factors}"), factors=_labels(labels))
                if labels
                else _("Planned case review")
            )
            kind, ahead = which
            item = f"review:{pk}"
            items.append(Due(kind, case, org, due, None, item, subject=subject, days_ahead=ahead))
    return items


def _safety_plans_due(today: date) -> list[Due]:
    """Safety plans whose review date has come, on active cases: due on the day itself, since
    a plan out of date can put the person at risk. Reviewing it sets a new date, so a new
    reminder when that one comes. Only the kind and the case code reach the notification."""
    plans = SafetyPlan.objects.filter(
        review_on__lte=today + timedelta(days=1), beneficiary__status=CaseStatus.ACTIVE
    ).values_list("pk", "review_on", "beneficiary_id", "beneficiary__organisation_id")
    items = []
    for pk, due, case, org in plans:
        kind = NotificationKind.SAFETY_PLAN_REVIEW
        if which := _soon_or_overdue(kind, due, today, overdue_on_the_day=True):
            subject = _("Safety plan review")
            items.append(
                Due(which[0], case, org, due, None, str(pk), subject=subject, days_ahead=which[1])
            )
    return items


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
    ).values_list(
        "pk", "expires_on", "beneficiary_id", "beneficiary__organisation_id", "kind", "child_id"
    )
    return [
        Due(
            NotificationKind.DOCUMENT_EXPIRING,
            case,
            org,
            expires - warning,
            None,
            f"{pk}:{expires}",
            subject=format_lazy(
                _("{document} of a child, expires {date}")
                if child
                else _("{document}, expires {date}"),
                document=DocumentKind(kind).label if kind in DocumentKind.values else kind,
                date=_on(expires),
            ),
        )
        for pk, expires, case, org, kind, child in documents
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
            "purpose",
        )
    )
    lawyers: dict[int, list[int]] = defaultdict(list)
    if hearings:
        # A case manager who is a lawyer too is told once, as the case manager.
        for case, user in (
            TeamMembership.objects.filter(
                beneficiary_id__in={case for _pk, _on, case, _org, _purpose in hearings},
                discipline=Discipline.LAWYER,
                ended_on__isnull=True,
                user__is_active=True,
            )
            .exclude(role=TeamRole.CASE_MANAGER)
            .values_list("beneficiary_id", "user_id")
        ):
            lawyers[case].append(user)
    return [
        Due(
            NotificationKind.HEARING_SOON,
            case,
            org,
            held_on,
            recipient,
            str(pk),
            subject=format_lazy(
                _("Hearing on {date}: {purpose}") if purpose else _("Hearing on {date}"),
                date=_on(held_on),
                purpose=_short(purpose),
            ),
        )
        for pk, held_on, case, org, purpose in hearings
        for recipient in [None, *lawyers[case]]  # None: the case manager
    ]


def _keep_open_due(today: date) -> list[Due]:
    """Active cases past the three-year mark whose case manager has not said (this year) why
    they stay open. The key holds the due date: asked again each year."""
    cases = (
        Beneficiary.objects.filter(
            status=CaseStatus.ACTIVE,
            # Due by tomorrow: the day before is the first reminder.
            admitted_on__lte=today
            + timedelta(days=1)
            - relativedelta(months=KEEP_OPEN_AFTER_MONTHS),
        )
        .annotate(latest=Max("keep_open_decisions__decided_on"))
        .values_list("pk", "organisation_id", "admitted_on", "latest")
    )
    items = []
    for pk, org, admitted, latest in cases:
        on = keep_open_due_on(admitted, latest)
        kind = NotificationKind.KEEP_OPEN_DUE
        if which := _soon_or_overdue(kind, on, today, overdue_on_the_day=True):
            subject = _("Why the case stays open")
            items.append(
                Due(which[0], pk, org, on, None, "keep_open", subject=subject, days_ahead=which[1])
            )
    return items


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
            subject=format_lazy(_("File closed on {date}"), date=_on(closed)),
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
    # Due soon: one the day before, one on the day (each its own row), never escalated.
    last = "esc" if escalated else "" if due.days_ahead is None else f"soon{due.days_ahead}"
    return f"{due.kind}:{due.beneficiary_id}:{due.item}:{when}:{recipient_id}:{last}"


def _superseded(due: Due, recipient_id: int) -> list[str]:
    """The keys of the earlier reminders of the same item to the same person that this one
    replaces: the day before's on the day, both due-soon ones once it is overdue."""
    if due.days_ahead == 0:
        return [_key(replace(due, days_ahead=1), recipient_id, False)]
    if due.days_ahead is None and (soon := DUE_SOON_OF.get(due.kind)):
        return [
            _key(replace(due, kind=soon, days_ahead=ahead), recipient_id, False) for ahead in (1, 0)
        ]
    return []


def scan(today: date | None = None) -> list[int]:
    """Create the notifications now due (due soon, overdue, escalated), each with its
    subject; return the ids of those to e-mail one by one (`emails_one_by_one`)."""
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
        if due.days_ahead is not None:
            pass  # due soon: the person responsible only; the supervisors hear if it is late
        elif (due.kind not in _NOT_ESCALATED and today - due.due_on > grace) or not recipient:
            recipients += [(pk, True) for pk in supervisors.get(due.organisation_id, [])]
        candidates += [
            (_key(due, pk, escalated), due, pk, escalated) for pk, escalated in recipients
        ]
    # Most of what is due was notified by an earlier scan. Building and inserting those rows
    # again only for the unique key to discard them was nearly all of a repeat scan's time.
    notified = _existing_keys([key for key, *_ in candidates])
    new = [candidate for candidate in candidates if candidate[0] not in notified]
    rows = _with_subjects(new)
    superseded = [
        key for _key_, due, pk, escalated in new if not escalated for key in _superseded(due, pk)
    ]
    with transaction.atomic():
        # Two scans at once both try to insert; the unique key keeps one row.
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        # Done with: out of the unread count and the digest, as the newer reminder says it.
        for start in range(0, len(superseded), KEY_BATCH):
            Notification.objects.filter(
                key__in=superseded[start : start + KEY_BATCH], read_at__isnull=True
            ).update(read_at=timezone.now())
    # What is e-mailed one by one (urgent events, and the reminders of those who chose
    # immediate e-mails), including what an earlier run failed to send: it catches up. The
    # rest waits for each person's daily digest (`notifications.services.digests_due`).
    return emails_one_by_one()


def _with_subjects(candidates: list[tuple[str, Due, int, bool]]) -> list[Notification]:
    """The new rows, each subject in its recipient's language (one query for the languages)."""
    if not candidates:
        return []
    languages = dict(
        User.objects.filter(pk__in={pk for _key_, _due, pk, _esc in candidates}).values_list(
            "pk", "language"
        )
    )
    rows = []
    for key, due, pk, escalated in candidates:
        with translation.override(languages.get(pk) or settings.LANGUAGE_CODE):
            subject = str(due.subject)[:200]
        rows.append(
            Notification(
                key=key,
                recipient_id=pk,
                beneficiary_id=due.beneficiary_id,
                kind=due.kind,
                subject=subject,
                due_on=due.due_on,
                escalated=escalated,
            )
        )
    return rows


KEY_BATCH = 1000  # keys per lookup: well within every database's limit on parameters


def _existing_keys(keys: list[str]) -> set[str]:
    existing: set[str] = set()
    for start in range(0, len(keys), KEY_BATCH):
        batch = keys[start : start + KEY_BATCH]
        existing.update(Notification.objects.filter(key__in=batch).values_list("key", flat=True))
    return existing
