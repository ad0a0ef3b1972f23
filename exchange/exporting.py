"""Choosing the cases for an HTCDS export, the consent gate of the identified form, and
the export itself with its records in the export log and the cases' access logs."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from cases.choices import TeamRole
from cases.models import Beneficiary, Closure, TeamMembership
from cases.services import export_record
from core.anonymity import Anonymised
from core.ids import export_ids
from directory.models import Provider
from referrals.choices import TransferStatus
from referrals.models import CaseTransfer
from referrals.selectors import whole_file_consented

from . import htcds_out
from .htcds_out import ExportForm
from .vocabulary import country_for_nationality

if TYPE_CHECKING:
    from accounts.http import OrganisationStaff


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    stage: str = ""
    admitted_from: date | None = None
    admitted_to: date | None = None
    case_codes: tuple[str, ...] = ()


def cases_for_export(organisation_id: int, filters: CaseFilters) -> QuerySet[Beneficiary]:
    """The organisation's cases matching the filters, with what a row needs read in a
    fixed number of queries."""
    last_closure = Closure.objects.filter(beneficiary=OuterRef("pk")).order_by("-closed_on", "-id")
    cases = Beneficiary.objects.filter(organisation_id=organisation_id).annotate(
        last_closure_reason=Subquery(last_closure.values("reason")[:1])
    )
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    if filters.admitted_from:
        cases = cases.filter(admitted_on__gte=filters.admitted_from)
    if filters.admitted_to:
        cases = cases.filter(admitted_on__lte=filters.admitted_to)
    if filters.case_codes:
        cases = cases.filter(case_code__in=filters.case_codes)
    managers = TeamMembership.objects.filter(
        role=TeamRole.CASE_MANAGER, ended_on__isnull=True
    ).select_related("user")
    return cases.prefetch_related(
        Prefetch("team", queryset=managers, to_attr="export_case_managers")
    ).order_by("admitted_on", "id")


def receiving_providers(organisation_id: int) -> QuerySet[Provider]:
    """Where an identified export may go: the directory's active organisations but ours."""
    return (
        Provider.objects.filter(active=True)
        .exclude(system_organisation_id=organisation_id)
        .order_by("name")
    )


@dataclass(frozen=True)
class Refusal:
    case_code: str
    reason: str


@dataclass
class Gate:
    allowed: list[Beneficiary] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def identified_gate(cases: list[Beneficiary], provider: Provider) -> Gate:
    """Which cases may go to the provider identified, as for a transfer
    (`referrals.services.transfer_request`): an active case, a consent covering the whole
    case file for this provider, and the provider's confidentiality agreement."""
    gate = Gate()
    consented = whole_file_consented([case.pk for case in cases], provider)
    for case in cases:
        if case.anonymised_on:
            reason = gettext("The personal details were erased at the end of retention.")
        elif case.is_closed:
            reason = gettext("The case is closed: only active cases are transferred.")
        elif not provider.has_agreement:
            reason = gettext("%(provider)s has no confidentiality agreement with you.") % {
                "provider": provider
            }
        elif case.pk not in consented:
            reason = gettext("No consent covers the whole case file going to %(provider)s.") % {
                "provider": provider
            }
        else:
            gate.allowed.append(case)
            continue
        gate.refused.append(Refusal(case.case_code, reason))
    return gate


def identified_check(organisation_id: int, filters: CaseFilters, provider: Provider) -> Gate:
    """The gate's answer for the chosen cases, read before anything is exported."""
    return identified_gate(list(cases_for_export(organisation_id, filters)), provider)


def _transfer_reasons(cases: list[Beneficiary], provider: Provider) -> dict[int, str]:
    """The reason of a transfer already asked of the provider in this system, if any."""
    if provider.system_organisation_id is None:
        return {}
    transfers = CaseTransfer.objects.filter(
        beneficiary__in=cases,
        to_organisation_id=provider.system_organisation_id,
        status=TransferStatus.REQUESTED,
    ).values_list("beneficiary_id", "reason")
    return dict(transfers)


@dataclass
class CaseSheetExport:
    content: bytes
    filename: str
    rows: int
    withheld: int = 0
    refused: list[Refusal] = field(default_factory=list)


@dataclass
class _Sheet:
    rows: list[dict[str, Any]]
    cases: list[Beneficiary]  # the cases whose rows are in the file
    anonymised: Anonymised | None = None


def _identified_sheet(cases: list[Beneficiary], provider: Provider, today: date) -> _Sheet:
    reasons = _transfer_reasons(cases, provider)
    rows = [
        htcds_out.identified_row(
            case, receiving=provider.name, transfer_reason=reasons.get(case.pk, ""), today=today
        )
        for case in cases
    ]
    return _Sheet(rows, cases)


def _deidentified_sheet(cases: list[Beneficiary]) -> _Sheet:
    # No order that could hint at the exact admission dates or the case codes.
    cases = list(cases)
    secrets.SystemRandom().shuffle(cases)
    ids = export_ids(len(cases))
    by_record = dict(zip(ids, cases, strict=True))
    rows = [htcds_out.deidentified_row(case, record) for record, case in by_record.items()]
    anonymised = htcds_out.anonymise(rows, settings.EXPORT_MIN_GROUP)
    # Withheld rows are not in the file: only the released cases count as exported.
    released = [by_record[row[htcds_out.RECORD]] for row in anonymised.rows]
    return _Sheet(anonymised.rows, released, anonymised)


def _unmatched_nationalities(cases: list[Beneficiary]) -> int:
    return sum(
        1 for case in cases if case.nationality and not country_for_nationality(case.nationality)
    )


@transaction.atomic
def case_sheet_export(
    *,
    actor: OrganisationStaff,
    filters: CaseFilters,
    form: str,
    provider: Provider | None = None,
) -> CaseSheetExport:
    """The chosen cases as an HTCDS Case Sheet workbook, logged in the export log and on
    each exported case's access log. The identified form needs a receiving provider and
    leaves out (and lists) every case the consent gate refuses."""
    today = timezone.localdate()
    cases = list(cases_for_export(actor.organisation_id, filters))
    refused: list[Refusal] = []
    if form == ExportForm.IDENTIFIED:
        if provider is None:
            raise ValidationError({"provider": gettext("Choose the receiving organisation.")})
        gate = identified_gate(cases, provider)
        refused = gate.refused
        sheet = _identified_sheet(gate.allowed, provider, today)
    else:
        sheet = _deidentified_sheet(cases)
    if not sheet.rows and sheet.anonymised is not None and cases:
        raise ValidationError(
            gettext(
                "Too few cases to export de-identified: every row would be withheld, as no "
                "combination of gender, citizenship, exploitation and admission date occurs "
                "%(k)d times. Choose more cases."
            )
            % {"k": settings.EXPORT_MIN_GROUP}
        )
    if not sheet.rows:
        raise ValidationError(gettext("No case can be exported with these choices."))
    cover = htcds_out.cover_for(
        form=form,
        organisation=str(actor.organisation),
        receiving=provider.name if provider else "",
        today=today,
        exported=len(sheet.rows),
        anonymised=sheet.anonymised,
        unmatched_nationalities=_unmatched_nationalities(sheet.cases),
        refused=len(refused),
    )
    content = htcds_out.write_workbook(sheet.rows, cover)
    export_record(
        actor=actor,
        what=htcds_out.EXPORT_LOG_WHAT[ExportForm(form)],
        beneficiary_ids=[case.pk for case in sheet.cases],
    )
    return CaseSheetExport(
        content=content,
        filename=htcds_out.FILENAME.format(form=form, day=today),
        rows=len(sheet.rows),
        withheld=sheet.anonymised.withheld if sheet.anonymised else 0,
        refused=refused,
    )
