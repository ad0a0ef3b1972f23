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
from typing import TYPE_CHECKING, Any, NamedTuple

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Exists,
    Expression,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.constants import OnConflict
from django.db.models.functions import Cast, Concat
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
from cases.deadlines import FIRST_PLAN_DAYS, admitted_before_first_plan_due, first_plan_due
from cases.models import (
    Beneficiary,
    CaseReview,
    Document,
    Hearing,
    SafetyPlan,
    TeamMembership,
)
from cases.models.beneficiary import TYPICAL_STAGE_MONTHS
from cases.retention import due_for_erasure, retention_ends_on
from directory.choices import ServiceDomain
from notifications.models import DUE_SOON_OF, Notification, NotificationKind
from notifications.selectors import keys_not_used, with_keys
from notifications.services import emails_one_by_one
from plans.models import PlanVersion, Task, TaskStatus

from .choices import KEEP_OPEN_AFTER_MONTHS, MONITORING_YEARS
from .due_dates import AddDays, with_next_contact_due
from .selectors import keep_open_due_on
from .timeline import extensions_of, timeline_of

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
    """Cases whose next contact is due by tomorrow, decided in the database: the due date is
    the SQL expression `next_contact_due` (tested equal to the Python rule), so only the
    cases with something due come back, as plain values."""
    # Closed cases leave monitoring five years after admission (the expression says NULL).
    cases = Beneficiary.objects.exclude(
        status=CaseStatus.CLOSED, admitted_on__lt=today - timedelta(days=MONITORING_YEARS * 366)
    )
    due = (
        with_next_contact_due(cases, today)
        .filter(next_contact_due__lte=today + timedelta(days=1))
        .values_list("pk", "organisation_id", "next_contact_due")
    )
    items = []
    subject = _("Follow-up contact")
    for pk, org, due_on in due:
        if due_on and (which := _soon_or_overdue(NotificationKind.CONTACT_OVERDUE, due_on, today)):
            kind, ahead = which
            items.append(
                Due(kind, pk, org, due_on, None, "contact", subject=subject, days_ahead=ahead)
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
    # The keys `_key` makes, in SQL: overdue from the day after the due date, due soon on
    # the day (soon0) and the day before (soon1).
    overdue = Q(admitted_on__lt=admitted_before_first_plan_due(today))
    on_the_day = Q(admitted_on=admitted_before_first_plan_due(today))
    grace = timedelta(days=settings.REMINDER_ESCALATION_DAYS)
    cases = _leave_out_notified(
        cases,
        key_start=Concat(
            Case(
                When(overdue, then=Value(NotificationKind.PLAN_OVERDUE.value)),
                default=Value(NotificationKind.PLAN_DUE_SOON.value),
            ),
            Value(":"),
            _text("pk"),
            Value(":plan:"),
            _text(AddDays(F("admitted_on"), Value(FIRST_PLAN_DAYS))),
            Value(":"),
            output_field=CharField(),
        ),
        manager_end=Case(
            When(overdue, then=Value("")),
            When(on_the_day, then=Value("soon0")),
            default=Value("soon1"),
        ),
        escalates=Q(admitted_on__lt=admitted_before_first_plan_due(today - grace)),
    )
    items = []
    for pk, org, admitted in cases.values_list("pk", "organisation_id", "admitted_on"):
        due = first_plan_due(admitted)
        if which := _soon_or_overdue(NotificationKind.PLAN_OVERDUE, due, today):
            subject = _("First signed plan")
            items.append(
                Due(which[0], pk, org, due, None, "plan", subject=subject, days_ahead=which[1])
            )
    return items


def _text(expression: Any) -> Cast:
    """A value as the text it has in a key: an id, or a date as YYYY-MM-DD (both databases)."""
    return Cast(expression, output_field=CharField())


def _leave_out_notified(
    cases: QuerySet[Beneficiary],
    *,
    key_start: Expression,
    manager_end: Expression,
    escalates: Q | None,
) -> QuerySet[Beneficiary]:
    """Leave out the cases whose reminder everyone `scan` sends it to already has, so that a
    repeat scan (every few minutes) brings back only what is new instead of every case with
    something due. `key_start` is the reminder's key up to the recipient, `manager_end` what
    follows the case manager's id; with no case manager, or where it `escalates` and an
    active supervisor of the organisation has no escalated copy yet, the case stays in and
    `scan` works out what is missing, as before. An index probe per key: the database
    decides."""
    cases = cases.annotate(
        reminder_key_start=key_start,
        reminder_manager_end=manager_end,
        reminder_manager=Subquery(
            TeamMembership.objects.filter(
                beneficiary=OuterRef("pk"), role=TeamRole.CASE_MANAGER, ended_on__isnull=True
            ).values("user_id")[:1]
        ),
    )
    manager_has_it = Exists(
        Notification.objects.filter(
            key=Concat(
                OuterRef("reminder_key_start"),
                _text(OuterRef("reminder_manager")),
                Value(":"),
                OuterRef("reminder_manager_end"),
                output_field=CharField(),
            )
        )
    )
    if escalates is None:
        return cases.exclude(manager_has_it)
    supervisor_lacks_it = Exists(
        User.objects.filter(
            role=Role.SUPERVISOR, is_active=True, organisation_id=OuterRef("organisation_id")
        ).exclude(
            Exists(
                Notification.objects.filter(
                    key=Concat(
                        OuterRef(OuterRef("reminder_key_start")),
                        _text(OuterRef("pk")),
                        Value(":esc"),
                        output_field=CharField(),
                    )
                )
            )
        )
    )
    return cases.exclude(manager_has_it & ~(escalates & supervisor_lacks_it))


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
    extra months for a child and for complex factors count (`monitoring.timeline`). Plain
    values, not cases: the scan reads every active case."""
    cases = (
        Beneficiary.objects.filter(status=CaseStatus.ACTIVE)
        .exclude(stage=Stage.INCLUSION)
        # Before TYPICAL_STAGE_MONTHS whole months every timeline still expects crisis
        # (extensions only add months). A day wider than needed: the timeline decides.
        .filter(
            admitted_on__lte=today - relativedelta(months=TYPICAL_STAGE_MONTHS) + timedelta(days=1)
        )
    )
    # Once per stage (no date in the key), never escalated: told once to the case manager.
    cases = _leave_out_notified(
        cases,
        key_start=Concat(
            Value(f"{NotificationKind.STAGE_REVIEW.value}:"),
            _text("pk"),
            Value(":"),
            F("stage"),
            Value("::"),
            output_field=CharField(),
        ),
        manager_end=Value(""),
        escalates=None,
    )
    rows = list(
        cases.values_list(
            "pk", "organisation_id", "stage", "admitted_on", "date_of_birth", "complex_factors"
        )
    )
    extensions = extensions_of({org for _pk, org, *_rest in rows})
    subjects: dict[str, StrOrPromise] = {
        stage: format_lazy(_("Stage: {stage}"), stage=Stage(stage).label) for stage in Stage.values
    }
    return [
        Due(NotificationKind.STAGE_REVIEW, pk, org, today, None, stage, subject=subjects[stage])
        for pk, org, stage, admitted_on, born, factors in rows
        if timeline_of(
            organisation_id=org,
            stage=stage,
            admitted_on=admitted_on,
            date_of_birth=born,
            complex_factors=factors,
            extensions=extensions,
            today=today,
        ).longer
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
    # Most of what is due was notified by an earlier scan: one lookup of all the keys (not
    # one per thousand), then subjects and rows for the new ones only.
    unused = keys_not_used([key for key, *_ in candidates]) if candidates else set()
    new = [candidate for candidate in candidates if candidate[0] in unused]
    rows = _with_subjects(new)
    superseded = [
        key for _key_, due, pk, escalated in new if not escalated for key in _superseded(due, pk)
    ]
    with transaction.atomic():
        # Two scans at once both try to insert; the unique key keeps one row.
        insert_ignoring_conflicts(rows)
        if superseded:
            # Done with: out of the unread count and the digest, as the newer reminder says it.
            with_keys(superseded).filter(read_at__isnull=True).update(read_at=timezone.now())
    # What is e-mailed one by one (urgent events, and the reminders of those who chose
    # immediate e-mails), including what an earlier run failed to send: it catches up. The
    # rest waits for each person's daily digest (`notifications.services.digests_due`).
    return emails_one_by_one()


class NewRow(NamedTuple):
    """A notification the scan creates: the columns `insert_ignoring_conflicts` writes."""

    key: str
    recipient_id: int
    beneficiary_id: int
    kind: str
    subject: str
    due_on: date
    escalated: bool


def _with_subjects(candidates: list[tuple[str, Due, int, bool]]) -> list[NewRow]:
    """The new rows, each subject in its recipient's language (one query for the languages).
    One language switch per language, not per row: most subjects are the same few texts."""
    if not candidates:
        return []
    languages = dict(
        User.objects.filter(pk__in={pk for _key_, _due, pk, _esc in candidates}).values_list(
            "pk", "language"
        )
    )
    by_language: dict[str, list[tuple[str, Due, int, bool]]] = defaultdict(list)
    for candidate in candidates:
        by_language[languages.get(candidate[2]) or settings.LANGUAGE_CODE].append(candidate)
    rows = []
    for language, group in by_language.items():
        # Shared subjects (a contact's, a stage's) are translated once per language; the
        # objects live as long as the candidates, so their ids are not reused meanwhile.
        translated: dict[int, str] = {}
        with translation.override(language):
            for key, due, pk, escalated in group:
                subject = translated.get(id(due.subject))
                if subject is None:
                    subject = translated[id(due.subject)] = str(due.subject)[:200]
                rows.append(
                    NewRow(key, pk, due.beneficiary_id, due.kind, subject, due.due_on, escalated)
                )
    return rows


_INSERTED = ("key", "recipient", "beneficiary", "kind", "subject", "due_on", "escalated")


def insert_ignoring_conflicts(rows: list[NewRow]) -> None:
    """Insert the rows as `Notification.objects.bulk_create(..., ignore_conflicts=True)`
    would (a test compares the two on both databases), from plain tuples: the ORM's model
    instances and per-value preparation took six seconds for 120,000 rows. PostgreSQL gets
    one statement with an array per column (an `executemany` there still sends a statement
    per row); SQLite, in-process, an `executemany`."""
    if not rows:
        return
    ops = connection.ops
    meta = Notification._meta
    fields = [meta.get_field(name) for name in (*_INSERTED, "created_at")]
    table = ops.quote_name(meta.db_table)
    columns = ", ".join(ops.quote_name(field.column) for field in fields)  # type: ignore[union-attr, arg-type]
    now = ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{kind}[]" for kind in _POSTGRES_ARRAY_TYPES)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT *, %s FROM unnest({arrays}) "  # noqa: S608 (names only)
                "ON CONFLICT DO NOTHING",
                [now, *(list(column) for column in zip(*rows, strict=True))],
            )
            return
        cursor.executemany(
            f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {table} ({columns}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) "
            f"{ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)}",
            [(*row[:5], ops.adapt_datefield_value(row.due_on), row.escalated, now) for row in rows],
        )


# The columns of NewRow, as PostgreSQL array types.
_POSTGRES_ARRAY_TYPES = ("varchar", "bigint", "bigint", "varchar", "varchar", "date", "boolean")
