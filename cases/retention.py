"""The retention rule: how long a closed case file is kept before its personal details are
erased (CASE_RETENTION_YEARS after its closure), and which files are due.

Erasing them is the supervisors' work: `supervision.erasure`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, TypedDict

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from .choices import CaseStatus
from .models import Beneficiary, Closure


class ClosedOn(TypedDict):
    closed_on: date  # the closure still standing


if TYPE_CHECKING:  # django-stubs-ext is a development tool, not installed in production
    from django_stubs_ext import WithAnnotations

    ClosedCase = WithAnnotations[Beneficiary, ClosedOn]


def retention_ends_on(closed_on: date) -> date:
    return closed_on + relativedelta(years=settings.CASE_RETENTION_YEARS)


def due_for_erasure(
    organisation_id: int | None = None, today: date | None = None
) -> QuerySet[ClosedCase]:
    """Closed cases (of an organisation, or of all) whose retention period is over, longest
    closed first.

    Annotated with `closed_on`: the closure still standing (a reopened case counts from
    its last closure).
    """
    today = today or timezone.localdate()
    cutoff = today - relativedelta(years=settings.CASE_RETENTION_YEARS)
    standing = Closure.objects.filter(beneficiary=OuterRef("pk"), reopened_on__isnull=True)
    cases = Beneficiary.objects.filter(status=CaseStatus.CLOSED, anonymised_on__isnull=True)
    if organisation_id is not None:
        cases = cases.filter(organisation_id=organisation_id)
    return (
        cases.annotate(closed_on=Subquery(standing.order_by("-closed_on").values("closed_on")[:1]))
        .filter(closed_on__lte=cutoff)
        .order_by("closed_on", "case_code")
    )
