"""The reminder scan: what is due or overdue, as notification rows, created idempotently.

Reminders are rows derived from the database, never delayed broker messages: a scan that
runs twice, in two processes at once, or after Redis was down, neither loses nor duplicates
a reminder. Celery beat runs `scan` every few minutes; `manage.py send_reminders` runs the
same function in-process.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from sqlite3 import sqlite_version_info
from typing import TYPE_CHECKING, Any, NamedTuple

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, connection, transaction
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
from cases.selectors import current_case_manager
from directory.choices import ServiceDomain
from notifications.models import DUE_SOON_OF, Notification, NotificationKind
from notifications.selectors import KEY_BATCH, keys_not_used, keys_used, with_keys
from notifications.services import emails_one_by_one
from plans.models import PlanVersion, Task, TaskStatus

from .choices import KEEP_OPEN_AFTER_MONTHS, MONITORING_YEARS
from .due_dates import AddDays, with_next_contact_due
from .selectors import keep_open_due_on
from .timeline import extensions_of, timeline_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# Not frozen: a first scan makes some 100,000 of them, and a frozen dataclass takes five
# times as long to make.
@dataclass(slots=True)
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


def _contacts_due(today: date, *, leave_out_notified: bool = True) -> list[Due]:
    """Cases whose next contact is due by tomorrow, decided in the database: the due date is
    the SQL expression `next_contact_due` (tested equal to the Python rule), so only the
    cases with something due come back, as plain values. `leave_out_notified`: not those
    whose reminder everyone `scan` sends it to already has (`_contacts_not_notified`)."""
    # Closed cases leave monitoring five years after admission (the expression says NULL).
    cases = Beneficiary.objects.exclude(
        status=CaseStatus.CLOSED, admitted_on__lt=today - timedelta(days=MONITORING_YEARS * 366)
    )
    tomorrow = today + timedelta(days=1)
    due = (
        with_next_contact_due(cases, today)
        .annotate(reminder_manager=current_case_manager())
        .order_by()
        .values_list("pk", "organisation_id", "next_contact_due", "reminder_manager")
    )
    rows: Iterable[tuple[int, int, date | None, int | None]]
    if leave_out_notified:
        rows = _contacts_not_notified(due, today)
    else:
        rows = due.filter(next_contact_due__lte=tomorrow)
    items = []
    subject = _("Follow-up contact")
    for pk, org, due_on, _manager in rows:
        if due_on and (which := _soon_or_overdue(NotificationKind.CONTACT_OVERDUE, due_on, today)):
            kind, ahead = which
            items.append(
                Due(kind, pk, org, due_on, None, "contact", subject=subject, days_ahead=ahead)
            )
    return items


def _contacts_not_notified(
    due: QuerySet[Any], today: date
) -> list[tuple[int, int, date | None, int | None]]:
    """The rows of `due` (case, organisation, next contact due, case manager) due by tomorrow
    whose contact reminder is not yet with everyone `scan` sends it to: the key is built in
    SQL exactly as `_key` builds it, an index probe per case, so a repeat scan reads almost
    nothing back (as `_leave_out_notified` does for plans and stage reviews).

    Hand-written around the ORM's query: Django repeats an annotation's whole expression
    wherever it is referenced, and the due date is referenced about ten times here (each
    time a subquery on the contacts and more). A materialised common table expression works it out once per
    case; a test proves the result is what the scan would otherwise filter out itself."""
    ops = connection.ops
    inner, inner_params = due.query.sql_with_params()
    notifications = ops.quote_name(Notification._meta.db_table)
    users = ops.quote_name(User._meta.db_table)
    user_id, role, active, organisation = (
        ops.quote_name(User._meta.get_field(name).column)  # type: ignore[union-attr, arg-type]
        for name in ("id", "role", "is_active", "organisation")
    )
    grace = timedelta(days=settings.REMINDER_ESCALATION_DAYS)
    today_on = ops.adapt_datefield_value(today)
    # The key up to the recipient, `<kind>:<case>:contact:<due date>:`, and its parameters.
    start = (
        "CASE WHEN c.due_on < %s THEN %s ELSE %s END"
        " || ':' || CAST(c.pk AS TEXT) || ':contact:' || CAST(c.due_on AS TEXT) || ':'"
    )
    start_params = [
        today_on,
        NotificationKind.CONTACT_OVERDUE.value,
        NotificationKind.CONTACT_DUE_SOON.value,
    ]
    # Names and the ORM's own query only: every value is a parameter.
    sql = (
        f"WITH c (pk, organisation_id, due_on, manager) AS {_materialized()} ({inner}) "  # noqa: S608
        "SELECT c.pk, c.organisation_id, c.due_on, c.manager FROM c "
        "WHERE c.due_on <= %s AND NOT ("
        # The case manager has it (no case manager: NULL, never found)...
        f" EXISTS (SELECT 1 FROM {notifications} AS n WHERE n.key = {start}"
        "  || CAST(c.manager AS TEXT) || ':' || CASE WHEN c.due_on < %s THEN ''"
        "  WHEN c.due_on = %s THEN 'soon0' ELSE 'soon1' END)"
        # ...and, past the grace period, every active supervisor of the organisation too.
        " AND NOT (c.due_on < %s AND EXISTS ("
        f"  SELECT 1 FROM {users} AS u WHERE u.{role} = %s"
        f"  AND u.{active} = %s AND u.{organisation} = c.organisation_id"
        f"  AND NOT EXISTS (SELECT 1 FROM {notifications} AS e"
        f"   WHERE e.key = {start} || CAST(u.{user_id} AS TEXT) || ':esc'))))"
    )
    params = [
        *inner_params,
        ops.adapt_datefield_value(today + timedelta(days=1)),
        *start_params,
        today_on,
        today_on,
        ops.adapt_datefield_value(today - grace),
        Role.SUPERVISOR.value,
        True,
        *start_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(pk, org, _as_date(due_on), manager) for pk, org, due_on, manager in cursor]


def _materialized() -> str:
    """Work a common table expression out once, not again wherever it is referenced
    (PostgreSQL 12 and SQLite 3.35 on; an older SQLite may repeat it: slower, same rows)."""
    if connection.vendor == "sqlite" and sqlite_version_info < (3, 35):
        return ""
    return "MATERIALIZED"


def _as_date(value: date | str | None) -> date | None:
    """A date as the database driver returns it from raw SQL (SQLite: text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


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
    # One subject for all: `scan` translates each distinct one once per language.
    subject = _("First signed plan")
    for pk, org, admitted in cases.values_list("pk", "organisation_id", "admitted_on"):
        due = first_plan_due(admitted)
        if which := _soon_or_overdue(NotificationKind.PLAN_OVERDUE, due, today):
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
        reminder_manager=current_case_manager(),
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
    subject = _("Safety plan review")
    for pk, due, case, org in plans:
        kind = NotificationKind.SAFETY_PLAN_REVIEW
        if which := _soon_or_overdue(kind, due, today, overdue_on_the_day=True):
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
    subject = _("Why the case stays open")
    for pk, org, admitted, latest in cases:
        on = keep_open_due_on(admitted, latest)
        kind = NotificationKind.KEEP_OPEN_DUE
        if which := _soon_or_overdue(kind, on, today, overdue_on_the_day=True):
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
    # Due soon: one the day before, one on the day (each its own row), never escalated.
    last = "esc" if escalated else "" if due.days_ahead is None else f"soon{due.days_ahead}"
    return _key_of(due.kind, due, recipient_id, last)


def _key_of(kind: str, due: Due, recipient_id: int, last: str) -> str:
    # A stage review is due once per stage: its key has no date, so it is not repeated daily.
    when = "" if kind == NotificationKind.STAGE_REVIEW else due.due_on.isoformat()
    return f"{kind}:{due.beneficiary_id}:{due.item}:{when}:{recipient_id}:{last}"


def _superseded(due: Due, recipient_id: int) -> list[str]:
    """The keys of the earlier reminders of the same item to the same person that this one
    replaces: the day before's on the day, both due-soon ones once it is overdue. (The keys
    `_key` makes for them, without a copy of `due` for each: a first scan makes 100,000.)"""
    if due.days_ahead == 0:
        return [_key_of(due.kind, due, recipient_id, "soon1")]
    if due.days_ahead is None and (soon := DUE_SOON_OF.get(due.kind)):
        return [_key_of(soon, due, recipient_id, last) for last in ("soon1", "soon0")]
    return []


def scan(today: date | None = None) -> list[int]:
    """Create the notifications now due (due soon, overdue, escalated), each with its
    subject; return the ids of those to e-mail one by one (`emails_one_by_one`)."""
    today = today or timezone.localdate()
    items = due_items(today)
    managers = _case_managers({due.beneficiary_id for due in items if due.recipient_id is None})
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
    # The earlier reminders these replace, found before the new rows go in: looked up in the
    # table as it was (on a first scan, a few hundred thousand keys nothing has), not in one
    # just grown by as many rows that the database has no figures for yet.
    done_with = list(keys_used(superseded)) if superseded else []
    with transaction.atomic():
        # Two scans at once both try to insert; the unique key keeps one row.
        insert_ignoring_conflicts(rows)
        if done_with:
            # Done with: out of the unread count and the digest, as the newer reminder says it.
            with_keys(done_with).filter(read_at__isnull=True).update(read_at=timezone.now())
    # What is e-mailed one by one (urgent events, and the reminders of those who chose
    # immediate e-mails), including what an earlier run failed to send: it catches up. The
    # rest waits for each person's daily digest (`notifications.services.digests_due`).
    return emails_one_by_one()


def _case_managers(cases: set[int]) -> dict[int, int]:
    """Case → its case manager, for these cases. A repeat scan has few (none, mostly): only
    theirs are read, not the case manager of every open case; a first scan reads them all
    (one query either way: a list of 50,000 ids would cost more than reading the rest)."""
    if not cases:
        return {}
    managers = TeamMembership.objects.filter(role=TeamRole.CASE_MANAGER, ended_on__isnull=True)
    if len(cases) <= KEY_BATCH:
        managers = managers.filter(beneficiary_id__in=cases)
    return dict(managers.values_list("beneficiary_id", "user_id"))


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
    a COPY (half the time of one statement with an array per column, which in turn beats
    an `executemany`, a statement per row); SQLite, in-process, an `executemany`."""
    if not rows:
        return
    ops = connection.ops
    meta = Notification._meta
    fields = [meta.get_field(name) for name in (*_INSERTED, "created_at")]
    table = ops.quote_name(meta.db_table)
    columns = ", ".join(ops.quote_name(field.column) for field in fields)  # type: ignore[union-attr, arg-type]
    if connection.vendor == "postgresql":
        _copy_ignoring_conflicts(rows, table, columns)
        return
    now = ops.adapt_datetimefield_value(timezone.now())
    adapt_date = ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {table} ({columns}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) "
            f"{ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)}",
            [(*row[:5], adapt_date(row.due_on), row.escalated, now) for row in rows],
        )


def _copy_ignoring_conflicts(rows: list[NewRow], table: str, columns: str) -> None:
    """PostgreSQL: COPY the rows in; COPY knows no ON CONFLICT, so where a key is taken
    (another scan at the same moment, or a test) the savepoint is rolled back and the rows
    go in with `INSERT ... ON CONFLICT DO NOTHING` instead, keeping the rows already there."""
    now = timezone.now()
    sql = f"COPY {table} ({columns}) FROM STDIN"
    started = time.monotonic()
    try:
        # The driver's cursor: Django's wrapper has no COPY. Its errors become Django's.
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(sql) as copy,
        ):
            for row in rows:
                copy.write_row((*row, now))
        if connection.queries_logged:  # counted like any query (tests, the benchmark)
            connection.queries_log.append(
                {"sql": f"{sql}: {len(rows)} rows", "time": f"{time.monotonic() - started:.3f}"}
            )
    except IntegrityError:
        arrays = ", ".join(f"%s::{kind}[]" for kind in _POSTGRES_ARRAY_TYPES)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT *, %s FROM unnest({arrays}) "  # noqa: S608 (names only)
                "ON CONFLICT DO NOTHING",
                [now, *(list(column) for column in zip(*rows, strict=True))],
            )


# The columns of NewRow, as PostgreSQL array types.
_POSTGRES_ARRAY_TYPES = ("varchar", "bigint", "bigint", "varchar", "varchar", "date", "boolean")
