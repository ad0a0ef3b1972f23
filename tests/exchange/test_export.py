"""The HTCDS export: the standard's columns and values (checked against the toolkit's own
spreadsheet, read here independently of the export code), the two forms, the consent gate,
k-anonymity, the logs, and that nothing in the workbook can ever run as a formula."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Role
from cases.choices import ClosureReason, ExploitationForm, IdentificationStatus, Sex
from cases.models import CaseAccess, ExportLog
from exchange import vocabulary
from exchange.htcds_out import safe_text
from tests.conftest import World
from tests.factories import ProviderFactory, UserFactory, close_case, make_case, sharing_consent

HTCDS = Path(__file__).resolve().parents[2] / "exchange" / "htcds"
CASE_FILE = "case_file"


# --- the toolkit's own spreadsheet, read here without the export's code -----------------


def toolkit_lists() -> dict[str, set[str]]:
    """Case Sheet label -> the values of the validation sheet's list of that title (the
    validation sheet's titles are the Case Sheet's labels, but for Country/Citizenship)."""
    workbook = openpyxl.load_workbook(
        HTCDS / "htcds-v2.0-single-select-with-validation.xlsx", read_only=True
    )
    rows = list(workbook["validation"].iter_rows(min_row=3, values_only=True))
    workbook.close()
    lists: dict[str, set[str]] = {}
    for index, title in enumerate(rows[0]):
        if title in (None, "Date Start", "Country Code", "Vulnerabilities"):
            continue
        label = "Citizenship" if title == "Country" else str(title)
        lists[label] = {str(row[index]) for row in rows[1:] if row[index] not in (None, "")}
    return lists


def blank_sheet_rows() -> tuple[list[Any], list[Any]]:
    workbook = openpyxl.load_workbook(HTCDS / "htcds-v2.0.xlsx", read_only=True)
    names, labels = workbook.active.iter_rows(min_row=1, max_row=2, values_only=True)
    workbook.close()
    return list(names), list(labels)


def read_export(content: bytes) -> tuple[list[Any], list[Any], list[dict[str, Any]], list[str]]:
    """Names, labels, rows by label, and the cover sheet's lines."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["about", "Case Sheet"]
    cover = [row[0] for row in workbook["about"].iter_rows(values_only=True) if row[0]]
    rows = list(workbook["Case Sheet"].iter_rows(values_only=True))
    names, labels = list(rows[0]), list(rows[1])
    body = [dict(zip(labels, row, strict=True)) for row in rows[2:]]
    return names, labels, body, cover


def assert_listed(body: list[dict[str, Any]]) -> None:
    lists = toolkit_lists()
    for row in body:
        for label, value in row.items():
            if label not in lists or value is None:
                continue
            parts = vocabulary.split_multi_value(vocabulary.name_for_label(label) or "", value)
            assert parts, (label, value)
            assert set(parts) <= lists[label], (label, value)


def export(client: Any, user: Any, **data: Any) -> Any:
    client.force_login(user)
    return client.post(reverse("exchange:export"), {"form": "deidentified", **data})


@pytest.fixture
def provider(world: World) -> Any:
    return ProviderFactory(name="Safe Harbour")


# --- the vocabulary ----------------------------------------------------------------------


class TestVocabulary:
    def test_columns_are_the_blank_sheets_in_its_order_with_its_quirks_resolved(self) -> None:
        names, labels = blank_sheet_rows()
        columns = vocabulary.COLUMNS
        assert len(columns) == len(names)
        for column, name, label in zip(columns, names, labels, strict=True):
            if name is None and label == "Reason for Outgoing Referral":
                assert column.name == "cas_ReasonForOutgoingReferral"
            else:
                assert column.name == (name or "")
            if not str(column.name).startswith("prs_Mailing"):
                assert column.label == (label or "")
        by_name = {c.name: c.label for c in columns}
        assert by_name["prs_MailingCity"] == "Mailing City"
        assert by_name["prs_MailingStreet"] == "Mailing Street"
        # A hand-filled toolkit sheet is read by its labels: the shifted ones too.
        assert vocabulary.name_for_label("Mailing Street") == "prs_MailingStreet"

    def test_value_lists_are_the_toolkits(self) -> None:
        lists = toolkit_lists()
        labels = {c.name: c.label for c in vocabulary.COLUMNS}
        found = vocabulary.value_lists()
        assert set(found) == {name for name, label in labels.items() if label in lists}
        for name, values in found.items():
            assert set(values) == lists[labels[name]]

    @pytest.mark.parametrize("field_map", vocabulary.FIELD_MAPS, ids=lambda m: m.column)
    def test_every_product_value_is_mapped_to_a_listed_value(self, field_map: Any) -> None:
        lists = toolkit_lists()
        label = next(c.label for c in vocabulary.COLUMNS if c.name == field_map.column)
        product_values = {
            "prs_Gender": Sex,
            "vic_TraffickingStatus": IdentificationStatus,
            "vic_TypeOfExploitation": ExploitationForm,
            "vic_ForcedLabourIndustry": ExploitationForm,
            "cas_ReasonForCaseClosure": ClosureReason,
        }.get(field_map.column)
        if product_values is not None:
            assert set(field_map.values) == set(product_values.values)
        for value in field_map.values.values():
            if label in lists and value:
                assert value in lists[label]
        # Where the standard has an "Other", nothing without an equivalent is dropped.
        if field_map.column == "vic_TypeOfExploitation":
            assert field_map.values[ExploitationForm.CRIMINAL] == "Other"
            assert ExploitationForm.CRIMINAL in field_map.notes

    def test_the_import_can_invert_the_maps(self) -> None:
        forms = ["sexual", "labour_construction", "labour_domestic", "marriage"]
        types, industries = vocabulary.exploitation_cells(forms)
        assert vocabulary.forms_from_cells(
            vocabulary.split_multi_value("vic_TypeOfExploitation", types) or [],
            vocabulary.split_multi_value("vic_ForcedLabourIndustry", industries) or [],
        ) == ["sexual", "labour_domestic", "labour_construction", "marriage"]
        assert vocabulary.GENDER_FROM_SEX.inverse()["Feminine"] == Sex.FEMALE

    def test_nationalities_match_the_lists_countries(self) -> None:
        countries = toolkit_lists()["Citizenship"]
        for text in ["Albanian", "Moldova", "AL", "Viet Nam", "vietnamese"]:
            assert vocabulary.country_for_nationality(text) in countries
        assert vocabulary.country_for_nationality("Atlantean") is None


@given(st.text(max_size=40))
def test_safe_text_never_starts_a_formula(text: str) -> None:
    safe = safe_text(text)
    assert not safe.startswith(("=", "@", "\t", "\r"))
    if safe.startswith(("+", "-")):  # only a phone number or a plain signed number
        assert re.fullmatch(r"[+-][\d\s().-]*", safe)


# --- the workbook ---------------------------------------------------------------------------


@pytest.mark.django_db
class TestDeidentified:
    def test_columns_values_and_dates_follow_the_standard(
        self, client: Any, world: World, settings: Any
    ) -> None:
        settings.EXPORT_MIN_GROUP = 2
        for n in range(3):
            make_case(
                case_manager=world.case_manager,
                first_name=f"Zana{n}",
                nationality="Albanian",
                exploitation_forms=["sexual", "labour_agriculture"],
            )
        response = export(client, world.supervisor)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "case-sheet-deidentified-" in response["Content-Disposition"]
        names, labels, body, cover = read_export(response.content)
        assert names == [c.name or None for c in vocabulary.COLUMNS]
        assert labels == [c.label or None for c in vocabulary.COLUMNS]
        assert body and all(isinstance(row["Incoming Referral Date"], datetime) for row in body)
        assert {row["Incoming Referral Date"].day for row in body} == {1}  # quarter start
        assert_listed(body)
        assert cover[0].startswith("RESTRICTED")

    def test_no_names_contacts_birth_dates_or_case_codes(
        self, client: Any, world: World, settings: Any
    ) -> None:
        settings.EXPORT_MIN_GROUP = 1
        case = make_case(
            case_manager=world.case_manager,
            first_name="Drita",
            last_name="Fictiva",
            phone="+000 555 1234",
            address="7 Hidden Lane",
        )
        response = export(client, world.supervisor)
        _, _, body, _ = read_export(response.content)
        text = repr(body)
        for secret in ["Drita", "Fictiva", "555 1234", "Hidden Lane", case.case_code]:
            assert secret not in text
        assert all(row["Birthdate"] is None and row["First Name"] is None for row in body)
        assert all(str(row[None]).startswith("R") for row in body)  # column A: random ids

    def test_k_anonymous_with_the_notes_on_the_cover(
        self, client: Any, world: World, settings: Any
    ) -> None:
        settings.EXPORT_MIN_GROUP = 3
        for n in range(6):
            make_case(
                case_manager=world.case_manager,
                first_name=f"A{n}",
                nationality="Albanian" if n % 2 else "Moldovan",
                exploitation_forms=["sexual"],
            )
        make_case(
            case_manager=world.case_manager,
            first_name="Lone",
            sex="male",
            nationality="Vietnamese",
            exploitation_forms=["labour_fishing"],
        )
        _, _, body, cover = read_export(export(client, world.supervisor).content)
        keys = ["Gender", "Citizenship", "Type of Exploitation", "Forced Labour Industry"]
        groups = Counter((*(row[k] for k in keys), row["Incoming Referral Date"]) for row in body)
        assert body and min(groups.values()) >= 3
        assert any("k = 3" in line for line in cover)
        assert any("withheld" in line or "generalised" in line for line in cover)


@pytest.mark.django_db
class TestIdentified:
    def test_refused_without_consent_and_nothing_exported(
        self, client: Any, world: World, provider: Any
    ) -> None:
        response = export(client, world.supervisor, form="identified", provider=provider.pk)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert world.case.case_code in response.content.decode()
        assert "No consent covers the whole case file" in response.content.decode()
        assert not ExportLog.objects.exists()

    def test_refused_without_a_confidentiality_agreement(self, client: Any, world: World) -> None:
        no_agreement = ProviderFactory(name="Unsigned", confidentiality_agreement_on=None)
        sharing_consent(world.case, world.case_manager, no_agreement, [CASE_FILE])
        response = export(client, world.supervisor, form="identified", provider=no_agreement.pk)
        assert "no confidentiality agreement" in response.content.decode()
        assert not ExportLog.objects.exists()

    def test_refused_when_the_consent_does_not_cover_the_whole_file(
        self, client: Any, world: World, provider: Any
    ) -> None:
        sharing_consent(world.case, world.case_manager, provider, ["identity"])
        response = export(client, world.supervisor, form="identified", provider=provider.pk)
        assert "No consent covers the whole case file" in response.content.decode()

    def test_allowed_with_both_and_the_refused_are_listed_first(
        self, client: Any, world: World, provider: Any
    ) -> None:
        sharing_consent(world.case, world.case_manager, provider, [CASE_FILE])
        other = make_case(case_manager=world.case_manager, first_name="Besa")
        page = export(client, world.supervisor, form="identified", provider=provider.pk)
        assert other.case_code in page.content.decode()  # refused, shown before export
        response = export(
            client, world.supervisor, form="identified", provider=provider.pk, confirmed="1"
        )
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        _, _, body, cover = read_export(response.content)
        assert len(body) == 1
        row = body[0]
        assert row[None] == world.case.case_code
        assert row["First Name"] == world.case.first_name
        assert row["Consent"] == "Yes"
        assert row["Referred Organisation"] == "Safe Harbour"
        assert isinstance(row["Birthdate"], datetime)
        assert row["Birthdate"].date() == world.case.date_of_birth
        assert row["Incoming Referral Date"].date() == world.case.admitted_on
        assert "Safe to call" in row["Outgoing Referral Details"]
        assert_listed(body)
        assert any("1 chosen case was left out" in line for line in cover)
        accesses = CaseAccess.objects.filter(action="export")
        assert {a.beneficiary_id for a in accesses} == {world.case.pk}

    def test_a_closed_case_is_not_transferred(
        self, client: Any, world: World, provider: Any
    ) -> None:
        sharing_consent(world.case, world.case_manager, provider, [CASE_FILE])
        close_case(world.case, world.case_manager)
        response = export(client, world.supervisor, form="identified", provider=provider.pk)
        assert "only active cases are transferred" in response.content.decode()

    def test_a_provider_is_required(self, client: Any, world: World) -> None:
        response = export(client, world.supervisor, form="identified")
        assert response.status_code == 200
        assert "Choose the receiving organisation." in response.content.decode()


@pytest.mark.django_db
class TestSafety:
    def test_formulas_are_never_written(self, client: Any, world: World, provider: Any) -> None:
        sharing_consent(world.case, world.case_manager, provider, [CASE_FILE])
        world.case.referral_details = '=HYPERLINK("http://example.invalid","x")'
        world.case.address = "@SUM(1+1)"
        world.case.last_name = "-2+3+cmd|' /C calc'!A0"
        world.case.save()
        response = export(client, world.supervisor, form="identified", provider=provider.pk)
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
        _, _, body, _ = read_export(response.content)
        row = body[0]
        assert row["Incoming Referral Details"] == ' =HYPERLINK("http://example.invalid","x")'
        assert row["Mailing Street"] == " @SUM(1+1)"
        assert row["Second Name"].startswith(" -2")

    def test_supervisors_only(self, client: Any, world: World) -> None:
        for user in (world.case_manager, world.administrator, world.mdt):
            client.force_login(user)
            assert client.get(reverse("exchange:export")).status_code == 403
            assert (
                client.post(reverse("exchange:export"), {"form": "deidentified"}).status_code == 403
            )
            assert client.get(reverse("exchange:mapping")).status_code == 403
        client.logout()
        assert client.get(reverse("exchange:export")).status_code == 302
        assert not ExportLog.objects.exists()

    def test_only_the_supervisors_own_organisation(
        self, client: Any, world: World, settings: Any
    ) -> None:
        settings.EXPORT_MIN_GROUP = 1
        worker = UserFactory(organisation=world.other_org, role=Role.CASE_WORKER)
        make_case(case_manager=worker, first_name="Elsewhere")
        _, _, body, _ = read_export(export(client, world.outsider).content)
        assert len(body) == 1
        accesses = CaseAccess.objects.filter(action="export")
        assert world.case.pk not in {a.beneficiary_id for a in accesses}

    def test_bad_input_gets_a_message_not_an_error(self, client: Any, world: World) -> None:
        response = export(
            client,
            world.supervisor,
            form="nonsense",
            admitted_from="2026-05-01",
            admitted_to="2026-01-01",
            provider="999999",
        )
        assert response.status_code == 200
        assert not ExportLog.objects.exists()


@pytest.mark.django_db
class TestLogsAndPages:
    def test_the_export_log_and_each_cases_access_log(
        self, client: Any, world: World, settings: Any
    ) -> None:
        settings.EXPORT_MIN_GROUP = 1
        export(client, world.supervisor)
        log = ExportLog.objects.get()
        assert log.user == world.supervisor and log.rows == 1
        assert log.what == "HTCDS case sheet, de-identified"
        access = CaseAccess.objects.get(action="export")
        assert access.beneficiary_id == world.case.pk and access.user == world.supervisor

    def test_the_filters_choose_the_cases(self, client: Any, world: World, settings: Any) -> None:
        settings.EXPORT_MIN_GROUP = 1
        old = make_case(
            case_manager=world.case_manager, admitted_on=timezone.localdate() - timedelta(days=900)
        )
        close_case(old, world.case_manager)
        response = export(client, world.supervisor, status="closed")
        _, _, body, _ = read_export(response.content)
        assert [row["Status"] for row in body] == ["Closed"]
        assert body[0]["Reason for Case Closure"] == "Plan goals achieved"
        since = (timezone.localdate() - timedelta(days=100)).isoformat()
        _, _, body, _ = read_export(export(client, world.supervisor, admitted_from=since).content)
        assert [row["Status"] for row in body] == ["Active"]

    def test_nothing_to_export_says_so(self, client: Any, world: World, settings: Any) -> None:
        response = export(client, world.supervisor, case_codes="NO-SUCH-CODE")
        assert response.status_code == 200
        assert "No case can be exported" in response.content.decode()
        settings.EXPORT_MIN_GROUP = 11
        response = export(client, world.supervisor)  # one case: it would be singled out
        assert "Too few cases to export de-identified" in response.content.decode()
        assert not ExportLog.objects.exists()

    def test_pages_link_to_each_other(self, client: Any, world: World) -> None:
        client.force_login(world.supervisor)
        reports = client.get(reverse("reports:report")).content.decode()
        assert reverse("exchange:export") in reports
        page = client.get(reverse("exchange:export")).content.decode()
        assert reverse("exchange:mapping") in page
        mapping = client.get(reverse("exchange:mapping")).content.decode()
        for name in ["prs_Gender", "vic_TypeOfExploitation", "cas_ReasonForCaseClosure"]:
            assert name in mapping
        assert "Forced criminal activity" in mapping

    def test_query_counts_do_not_grow_with_the_cases(
        self, client: Any, world: World, settings: Any, provider: Any
    ) -> None:
        settings.EXPORT_MIN_GROUP = 1
        client.force_login(world.supervisor)

        def count(data: dict[str, Any]) -> int:
            with CaptureQueriesContext(connection) as captured:
                response = client.post(reverse("exchange:export"), data)
                assert response["Content-Type"].startswith("application/vnd.openxmlformats")
            return len(captured)

        def grow(n: int) -> None:
            for i in range(n):
                case = make_case(case_manager=world.case_manager, first_name=f"Q{i}")
                sharing_consent(case, world.case_manager, provider, [CASE_FILE])
                if i % 2:
                    close_case(case, world.case_manager)

        sharing_consent(world.case, world.case_manager, provider, [CASE_FILE])
        identified = {"form": "identified", "provider": provider.pk, "confirmed": "1"}
        grow(2)
        few = (count({"form": "deidentified"}), count(identified))
        grow(6)
        assert (count({"form": "deidentified"}), count(identified)) == few
