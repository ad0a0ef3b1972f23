"""The HTCDS import: a hand-filled toolkit spreadsheet in, a dry run, then all or nothing.

The workbooks are the toolkit's own (exchange/htcds/), opened with openpyxl and filled here
as a frontline organisation would fill them: under the labels of row 2, from row 3 on.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assessments.choices import AssessmentKind
from assessments.models import Assessment
from cases.choices import ExploitationForm, IdentificationStatus, ReferralSource, Sex
from cases.models import Beneficiary, TeamMembership
from casework.selectors import likely_duplicates
from exchange import htcds_read, importing, vocabulary
from exchange.models import PendingImport
from exchange.tasks import purge_pending_imports
from tests.conftest import World
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.filterwarnings("ignore:Data Validation extension:UserWarning")

TODAY = timezone.localdate


def _letters() -> dict[str, str]:
    """Where each label's column is on the toolkit's sheet (people fill under the labels)."""
    workbook = openpyxl.load_workbook(vocabulary.BLANK_WORKBOOK, read_only=True)
    labels = next(workbook.active.iter_rows(min_row=2, max_row=2, values_only=True))  # type: ignore[union-attr]
    workbook.close()
    letters = {}
    for index, label in enumerate(labels, start=1):
        name = vocabulary.name_for_label(label) if label else None
        if name:
            letters[name] = openpyxl.utils.get_column_letter(index)
    return letters


def filled(rows: list[dict[str, Any]], *, source: Path = vocabulary.VALIDATED_WORKBOOK) -> bytes:
    """The toolkit's workbook with these rows typed in from row 3 (column name -> value)."""
    is_xlsm = source.suffix == ".xlsm"
    workbook = openpyxl.load_workbook(source, keep_vba=is_xlsm)
    sheet = workbook["Case Sheet"] if "Case Sheet" in workbook.sheetnames else workbook.active
    letters = _letters()
    for offset, row in enumerate(rows):
        for name, value in row.items():
            sheet[f"{letters[name]}{3 + offset}"] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def person(first: str, last: str, **cells: Any) -> dict[str, Any]:
    return {
        vocabulary.FIRST_NAME: first,
        vocabulary.SECOND_NAME: last,
        vocabulary.GENDER: "Feminine",
        vocabulary.TRAFFICKING_STATUS: "Actual victim of trafficking",
        **cells,
    }


REFERRED = TODAY() - timedelta(days=30)


def caseload_rows() -> list[dict[str, Any]]:
    """Rows 3 and 4 good; 5 an unknown value; 6 a missing field; 7 an existing file (the
    `world` case, Ana Testova, born 17 May 1998); 8 the same person as row 3."""
    return [
        person(
            "Mira",
            "Hoxha",
            **{
                vocabulary.BIRTHDATE: date(2001, 3, 4),
                vocabulary.CITIZENSHIP: "Albania",
                vocabulary.TYPE_OF_EXPLOITATION: "Forced labour",
                vocabulary.FORCED_LABOUR_INDUSTRY: "Construction",
                vocabulary.REFERRING_ORGANISATION: "Police or border service",
                vocabulary.INCOMING_REFERRAL_DATE: REFERRED,
                vocabulary.MOBILE_PHONE: "+355 69 000 0000",
            },
        ),
        person(
            "Dewi",
            "Lestari",
            **{
                vocabulary.GENDER: "Masculine",
                vocabulary.TRAFFICKING_STATUS: "Possible victim of trafficking",
                vocabulary.TYPE_OF_EXPLOITATION: "Sexual exploitation",
                vocabulary.REFERRING_ORGANISATION: "Shelter Harapan",
                "vic_MethodsOfControl": "Debt bondage ",
            },
        ),
        person("Sara", "Kola", **{vocabulary.GENDER: "Female"}),
        person("Lina", "", **{vocabulary.BIRTHDATE: date(1990, 1, 1)}),
        person("Ana", "Testova", **{vocabulary.BIRTHDATE: date(1998, 5, 17)}),
        person("MIRA", "Hoxha", **{vocabulary.BIRTHDATE: date(2001, 3, 4)}),
    ]


def upload(client: Any, data: bytes, *, case_manager: Any, name: str = "caseload.xlsx") -> Any:
    return client.post(
        reverse("exchange:import_upload"),
        {"workbook": SimpleUploadedFile(name, data), "case_manager": case_manager.pk},
    )


def uploaded(client: Any, world: World, data: bytes, **kwargs: Any) -> PendingImport:
    response = upload(client, data, case_manager=world.case_manager, **kwargs)
    assert response.status_code == 302, response.content.decode()[:3000]
    return PendingImport.objects.get()


def review_url(pending: PendingImport) -> str:
    return reverse("exchange:import_review", args=[pending.public_id])


def confirm(client: Any, pending: PendingImport, expected: str | None = None) -> Any:
    if expected is None:
        expected = importing.htcds_dry_run(pending).fingerprint
    return client.post(review_url(pending), {"expected": expected}, follow=True)


@pytest.fixture
def supervisor_client(client: Any, world: World) -> Any:
    client.force_login(world.supervisor)
    return client


class TestDryRun:
    def test_lists_what_will_be_created_and_each_refusal_with_its_reason(
        self, supervisor_client: Any, world: World
    ) -> None:
        pending = uploaded(supervisor_client, world, filled(caseload_rows()))
        plan = importing.htcds_dry_run(pending)

        assert [row.number for row in plan.to_create] == [3, 4]
        refused = {row.number: " ".join(row.problems) for row in plan.refused}
        assert sorted(refused) == [5, 6, 7, 8]
        assert "Gender" in refused[5] and "“Female”" in refused[5]
        assert "Second Name is empty" in refused[6]
        assert world.case.case_code in refused[7]
        assert "row 3" in refused[8]

        mira = plan.to_create[0].profile
        assert mira["first_name"] == "Mira" and mira["sex"] == Sex.FEMALE
        assert mira["date_of_birth"] == date(2001, 3, 4)
        assert mira["nationality"] == "Albania"
        assert mira["exploitation_forms"] == [ExploitationForm.LABOUR_CONSTRUCTION]
        assert mira["identification_status"] == IdentificationStatus.FORMAL
        assert mira["referral_source"] == ReferralSource.POLICE
        assert mira["admitted_on"] == REFERRED
        assert mira["phone"] == "+355 69 000 0000"
        dewi = plan.to_create[1].profile
        assert dewi["sex"] == Sex.MALE and dewi["exploitation_forms"] == [ExploitationForm.SEXUAL]
        # A referring organisation that is not one of the product's sources: kept as text.
        assert dewi["referral_source"] == ReferralSource.OTHER
        assert dewi["referral_details"] == "Shelter Harapan"
        assert dewi["admitted_on"] == TODAY()  # no incoming referral date: today
        assert "Methods of Control" in plan.not_carried_over

    def test_the_page_shows_rows_and_reasons_without_names_and_creates_nothing(
        self, supervisor_client: Any, world: World
    ) -> None:
        before = Beneficiary.objects.count()
        pending = uploaded(supervisor_client, world, filled(caseload_rows()))
        page = supervisor_client.get(review_url(pending))

        assert page.status_code == 200
        html = page.content.decode()
        assert "M. H." in html and "D. L." in html
        assert "Mira" not in html and "Lestari" not in html
        assert "Second Name is empty" in html and world.case.case_code in html
        assert "restricted" in html
        assert Beneficiary.objects.count() == before

    def test_the_duplicate_rule_is_the_intakes(self, world: World) -> None:
        for first, last, born in [
            ("Elena", "Popescu", date(1995, 2, 1)),
            ("Ion", "Rusu", None),
            ("Maria", "Ionescu", date(1980, 6, 6)),
        ]:
            make_case(
                case_manager=world.case_manager,
                first_name=first,
                last_name=last,
                date_of_birth=born,
            )
        queries = [
            ("Elena", "Popesku", date(1995, 8, 1)),
            ("Popescu", "Elena", None),
            ("Elena", "Popescu", date(1990, 1, 1)),
            ("Ion", "Rusu", date(2000, 1, 1)),
            ("Maria", "Ionescu", date(1981, 6, 7)),
            ("Marija", "Ionescu", date(1980, 6, 6)),
            ("Someone", "Else", None),
            ("Ana", "Testová", None),
            ("Elena", "Popesco", None),
            ("Maria", "Ionesku", date(1979, 6, 6)),
            ("Ionescu", "Maria", date(1981, 6, 7)),
            ("Rusu", "Ion", None),
        ]
        for first, last, born in queries:
            expected = {
                d.case_code
                for d in likely_duplicates(
                    user=world.supervisor, first_name=first, last_name=last, date_of_birth=born
                )
            }
            rows = [
                importing.RowPlan(
                    3, "", {"first_name": first, "last_name": last, "date_of_birth": born}
                )
            ]
            importing._refuse_duplicates(rows, world.org.pk)
            found = {
                code for code in Beneficiary.objects.values_list("case_code", flat=True)
                if code in " ".join(rows[0].problems)
            }  # fmt: skip
            assert found == expected, (first, last, born)

    def test_query_counts_do_not_grow_with_the_rows_or_the_caseload(
        self, supervisor_client: Any, world: World
    ) -> None:
        def count(rows: int) -> int:
            PendingImport.objects.all().delete()
            data = filled([person(f"Person{i}", f"Family{i}") for i in range(rows)])
            pending = uploaded(supervisor_client, world, data)
            with CaptureQueriesContext(connection) as captured:
                assert supervisor_client.get(review_url(pending)).status_code == 200
            return len(captured)

        few = count(2)
        for i in range(5):
            make_case(case_manager=world.case_manager, first_name=f"Other{i}")
        assert count(12) == few


class TestConfirm:
    def test_creates_only_the_accepted_rows_with_their_assessment_due_and_history(
        self, supervisor_client: Any, world: World
    ) -> None:
        pending = uploaded(supervisor_client, world, filled(caseload_rows()))
        before = set(Beneficiary.objects.values_list("pk", flat=True))

        response = confirm(supervisor_client, pending)

        assert response.status_code == 200
        created = Beneficiary.objects.exclude(pk__in=before).order_by("case_code")
        assert [b.first_name for b in created] == ["Mira", "Dewi"]
        assert "2 files opened" in response.content.decode()
        for beneficiary in created:
            assert beneficiary.organisation == world.org
            manager = TeamMembership.objects.get(beneficiary=beneficiary)
            assert manager.user == world.case_manager and manager.role == "case_manager"
            assessment = Assessment.objects.get(beneficiary=beneficiary)
            assert assessment.kind == AssessmentKind.INITIAL
            assert assessment.due_on == beneficiary.admitted_on + timedelta(days=14)
            creation = beneficiary.history.get(history_type="+")
            assert creation.history_change_reason.startswith("Imported from an HTCDS v2.0 workbook")
            assert creation.history_user == world.supervisor
        assert created[0].admitted_on == REFERRED
        assert not PendingImport.objects.exists()
        # The case manager reads it in the file's history.
        supervisor_client.force_login(world.case_manager)
        history = supervisor_client.get(reverse("cases:history", args=[created[0].public_id]))
        assert "Imported from an HTCDS v2.0 workbook, row" in history.content.decode()

    def test_confirming_twice_imports_once(self, supervisor_client: Any, world: World) -> None:
        pending = uploaded(supervisor_client, world, filled(caseload_rows()))
        expected = importing.htcds_dry_run(pending).fingerprint
        confirm(supervisor_client, pending, expected)
        count = Beneficiary.objects.count()

        again = confirm(supervisor_client, pending, expected)

        assert Beneficiary.objects.count() == count
        assert "no longer waiting" in again.content.decode()

    def test_if_one_row_fails_at_creation_nothing_is_created(
        self, supervisor_client: Any, world: World, monkeypatch: Any
    ) -> None:
        pending = uploaded(supervisor_client, world, filled(caseload_rows()))
        before = Beneficiary.objects.count()
        real_register = importing.beneficiary_register
        calls = []

        def second_fails(**kwargs: Any) -> Beneficiary:
            calls.append(kwargs)
            if len(calls) == 2:  # the first file is saved by then
                from django.core.exceptions import ValidationError

                raise ValidationError("The case code could not be given.")
            return real_register(**kwargs)

        monkeypatch.setattr(importing, "beneficiary_register", second_fails)
        response = confirm(supervisor_client, pending)

        assert len(calls) == 2
        assert Beneficiary.objects.count() == before
        assert not Assessment.objects.filter(beneficiary__first_name="Mira").exists()
        html = response.content.decode()
        assert "Row 4 could not be registered" in html and "Nothing was imported" in html
        assert PendingImport.objects.filter(pk=pending.pk).exists()  # still there to retry

    def test_a_file_registered_meanwhile_stops_the_confirmation(
        self, supervisor_client: Any, world: World
    ) -> None:
        pending = uploaded(supervisor_client, world, filled(caseload_rows()))
        expected = importing.htcds_dry_run(pending).fingerprint
        make_case(case_manager=world.case_manager, first_name="Dewi", last_name="Lestari")
        count = Beneficiary.objects.count()

        response = confirm(supervisor_client, pending, expected)

        assert Beneficiary.objects.count() == count
        assert "came out differently" in response.content.decode()

    def test_cancel_deletes_the_upload(self, supervisor_client: Any, world: World) -> None:
        pending = uploaded(supervisor_client, world, filled(caseload_rows()))
        response = supervisor_client.post(
            reverse("exchange:import_cancel", args=[pending.public_id])
        )
        assert response.status_code == 302
        assert not PendingImport.objects.exists()

    def test_an_upload_expires_after_a_day(self, supervisor_client: Any, world: World) -> None:
        pending = uploaded(supervisor_client, world, filled(caseload_rows()))
        PendingImport.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
        assert supervisor_client.get(review_url(pending)).status_code == 404
        assert purge_pending_imports() == 1  # the hourly task
        assert not PendingImport.objects.exists()


class TestMultiSelect:
    def test_the_macro_enabled_workbook_with_several_values_per_cell(
        self, supervisor_client: Any, world: World
    ) -> None:
        row = person(
            "Nur",
            "Aini",
            **{
                vocabulary.CITIZENSHIP: "Indonesia; Malaysia",
                # As the toolkit's macro joins the values picked in one cell.
                vocabulary.TYPE_OF_EXPLOITATION: "Forced labour; Sexual exploitation",
                # One listed industry holds a "; " of its own.
                vocabulary.FORCED_LABOUR_INDUSTRY: "Construction; Manufacturing; Activities of "
                "households as employers; undifferentiated goods- and services- producing "
                "activities of households for own use",
                "vic_MethodsOfControl": "Debt bondage ; Withholds documents",
            },
        )
        data = filled(
            [
                row,
                person(
                    "Tari", "Dewi", **{vocabulary.TYPE_OF_EXPLOITATION: "Forced labour; Dancing"}
                ),
            ],
            source=vocabulary.MULTI_SELECT_WORKBOOK,
        )
        pending = uploaded(supervisor_client, world, data, name="caseload.xlsm")
        plan = importing.htcds_dry_run(pending)

        assert [r.number for r in plan.to_create] == [3]
        assert "“Dancing”" in plan.refused[0].problems[0]
        profile = plan.to_create[0].profile
        assert profile["nationality"] == "Indonesia, Malaysia"
        assert profile["exploitation_forms"] == [
            ExploitationForm.SEXUAL,
            ExploitationForm.LABOUR_DOMESTIC,
            ExploitationForm.LABOUR_CONSTRUCTION,
            ExploitationForm.LABOUR_FACTORY,
        ]
        confirm(supervisor_client, pending)
        created = Beneficiary.objects.get(first_name="Nur")
        assert created.exploitation_forms == profile["exploitation_forms"]
        assert Assessment.objects.filter(beneficiary=created, kind=AssessmentKind.INITIAL).exists()


def _field_errors(response: Any) -> str:
    form = response.context["form"]
    return " ".join(form.errors.get("workbook", []))


class TestHostileUploads:
    def test_a_text_file_named_xlsx(self, supervisor_client: Any, world: World) -> None:
        response = upload(
            supervisor_client, b"name,surname\nMira,Hoxha\n", case_manager=world.case_manager
        )
        assert response.status_code == 200
        assert "not an Excel workbook" in _field_errors(response)
        assert not PendingImport.objects.exists()

    def test_a_file_that_is_not_named_as_a_workbook(
        self, supervisor_client: Any, world: World
    ) -> None:
        response = upload(
            supervisor_client, filled([]), case_manager=world.case_manager, name="caseload.csv"
        )
        assert ".xlsx or .xlsm" in _field_errors(response)

    def test_a_zip_that_would_inflate_past_the_limit(
        self, supervisor_client: Any, world: World
    ) -> None:
        data = io.BytesIO()
        with zipfile.ZipFile(data, "a", zipfile.ZIP_DEFLATED) as archive:
            with zipfile.ZipFile(io.BytesIO(filled([person("Mira", "Hoxha")]))) as source:
                for member in source.infolist():
                    archive.writestr(member, source.read(member))
            # Zeros compress a thousandfold: small to upload, huge once opened.
            archive.writestr("xl/media/padding.bin", bytes(60_000_000))
        assert len(data.getvalue()) < htcds_read.max_upload_bytes()

        response = upload(supervisor_client, data.getvalue(), case_manager=world.case_manager)

        assert "too large" in _field_errors(response)
        assert not PendingImport.objects.exists()

    def test_an_upload_over_the_size_limit_is_not_kept(
        self, supervisor_client: Any, world: World, settings: Any
    ) -> None:
        settings.HTCDS_IMPORT_MAX_BYTES = 30_000
        data = filled([person("Mira", "Hoxha")])
        assert len(data) > 30_000
        response = upload(supervisor_client, data, case_manager=world.case_manager)
        assert "too large" in _field_errors(response)

    def test_more_rows_than_the_limit(
        self, supervisor_client: Any, world: World, settings: Any
    ) -> None:
        settings.HTCDS_IMPORT_MAX_ROWS = 3
        data = filled([person(f"P{i}", "Family") for i in range(4)])
        response = upload(supervisor_client, data, case_manager=world.case_manager)
        assert "more than 3 filled rows" in _field_errors(response)

    def test_formulas_are_refused_never_evaluated_or_kept(
        self, supervisor_client: Any, world: World
    ) -> None:
        rows = [
            person(
                "Mira",
                "Hoxha",
                **{vocabulary.MOBILE_PHONE: '=HYPERLINK("http://example.invalid","call")'},
            ),
            person("Dewi", "=1+1"),
        ]
        response = upload(supervisor_client, filled(rows), case_manager=world.case_manager)
        message = _field_errors(response)
        letters = _letters()
        assert "formulas are not accepted" in message
        assert (
            f"{letters[vocabulary.MOBILE_PHONE]}3" in message
            and f"{letters[vocabulary.SECOND_NAME]}4" in message
        )
        assert not PendingImport.objects.exists()
        assert not Beneficiary.objects.filter(first_name="Mira").exists()

    def test_a_workbook_without_a_case_sheet(self, supervisor_client: Any, world: World) -> None:
        workbook = openpyxl.Workbook()
        workbook.active.append(["Name", "Surname"])  # type: ignore[union-attr]
        out = io.BytesIO()
        workbook.save(out)
        response = upload(supervisor_client, out.getvalue(), case_manager=world.case_manager)
        assert "No sheet of this workbook is an HTCDS v2.0 Case Sheet" in _field_errors(response)

    def test_missing_columns_are_named(self, supervisor_client: Any, world: World) -> None:
        workbook = openpyxl.load_workbook(vocabulary.VALIDATED_WORKBOOK)
        sheet = workbook["Case Sheet"]
        letter = _letters()[vocabulary.SECOND_NAME]
        sheet[f"{letter}1"] = None
        sheet[f"{letter}2"] = None
        out = io.BytesIO()
        workbook.save(out)
        response = upload(supervisor_client, out.getvalue(), case_manager=world.case_manager)
        assert "prs_SecondName" in _field_errors(response)


class TestWhoMayImport:
    def test_case_workers_may_not(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        assert client.get(reverse("exchange:import_upload")).status_code == 403
        response = upload(client, filled(caseload_rows()), case_manager=world.case_manager)
        assert response.status_code == 403
        assert not PendingImport.objects.exists()

    def test_an_upload_is_its_supervisors_own(self, client: Any, world: World) -> None:
        client.force_login(world.supervisor)
        pending = uploaded(client, world, filled(caseload_rows()))
        count = Beneficiary.objects.count()
        other_supervisor = UserFactory(organisation=world.org, role=Role.SUPERVISOR)
        for intruder in (world.outsider, other_supervisor):
            client.force_login(intruder)
            assert client.get(review_url(pending)).status_code == 404
            client.post(review_url(pending), {"expected": "3,4"})
            client.post(reverse("exchange:import_cancel", args=[pending.public_id]))
        assert Beneficiary.objects.count() == count
        assert PendingImport.objects.filter(pk=pending.pk).exists()

    def test_the_upload_keeps_its_csrf_check(self, world: World) -> None:
        # The view is exempt only to set its upload handler first, then checks inside.
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(world.supervisor)
        response = upload(client, filled(caseload_rows()), case_manager=world.case_manager)
        assert response.status_code == 403
        assert not PendingImport.objects.exists()

    def test_the_case_manager_is_of_the_own_organisation(
        self, supervisor_client: Any, world: World
    ) -> None:
        foreign = UserFactory(organisation=world.other_org, role=Role.CASE_WORKER)
        response = upload(supervisor_client, filled(caseload_rows()), case_manager=foreign)
        assert response.status_code == 200
        assert response.context["form"].errors["case_manager"]
        assert not PendingImport.objects.exists()

    def test_the_reports_page_links_to_the_import(self, supervisor_client: Any) -> None:
        page = supervisor_client.get(reverse("reports:report"))
        assert reverse("exchange:import_upload") in page.content.decode()


class TestRoundTrip:
    def test_export_of_one_organisation_imports_into_another_with_the_same_values(
        self, world: World
    ) -> None:
        from directory.choices import InformationCategory
        from exchange import exporting
        from exchange.htcds_out import ExportForm
        from tests.factories import ProviderFactory, sharing_consent

        sent = [
            make_case(
                case_manager=world.case_manager,
                first_name="Elira",
                last_name="Marku",
                date_of_birth=date(1999, 9, 9),
                nationality="Albania",
                phone="+355 69 111 2222",
                address="Rruga e Dibrës 1, Tiranë",
                exploitation_forms=["sexual", "labour_domestic", "labour_agriculture"],
                referral_source="ngo",
                referral_details="Outreach team, night shift",
            ),
            make_case(
                case_manager=world.case_manager,
                first_name="Budi",
                last_name="Santoso",
                date_of_birth=None,
                sex="male",
                nationality="Indonesia",
                identification_status="presumed",
                exploitation_forms=["labour_fishing", "begging"],
                referral_source="embassy",
            ),
        ]

        def export(actor: Any, cases: list[Beneficiary]) -> bytes:
            provider = ProviderFactory()
            for case in cases:
                sharing_consent(case, actor, provider, [InformationCategory.CASE_FILE])
            filters = exporting.CaseFilters(case_codes=tuple(c.case_code for c in cases))
            result = exporting.case_sheet_export(
                actor=actor, filters=filters, form=ExportForm.IDENTIFIED, provider=provider
            )
            assert result.rows == len(cases)
            return result.content

        receiving = world.outsider  # a supervisor of the other organisation
        pending = importing.htcds_import_upload(
            actor=receiving, case_manager=receiving, workbook=export(world.supervisor, sent)
        )
        plan = importing.htcds_dry_run(pending)
        assert not plan.refused, [r.problems for r in plan.refused]
        received = importing.htcds_import_confirm(
            actor=receiving, upload_id=pending.public_id, expected=plan.fingerprint
        )

        compared = [
            "first_name", "last_name", "date_of_birth", "sex", "nationality", "phone",
            "address", "identification_status", "referral_source", "referral_details",
            "admitted_on", "status",
        ]  # fmt: skip
        by_name = {b.first_name: b for b in received}
        assert {b.organisation_id for b in received} == {world.other_org.pk}
        for original in sent:
            copy = by_name[original.first_name]
            assert {f: getattr(copy, f) for f in compared} == {
                f: getattr(original, f) for f in compared
            }
        # Fishing comes back as agriculture (the standard's first-level industry has both).
        assert by_name["Elira"].exploitation_forms == [
            "sexual",
            "labour_domestic",
            "labour_agriculture",
        ]
        assert by_name["Budi"].exploitation_forms == ["labour_agriculture", "begging"]

        # And out again from the receiving organisation: the same cells, but for the
        # transfer's own (record id, case owner, receiving organisation, dates, details).
        def cells(data: bytes) -> list[dict[str, Any]]:
            sheet = htcds_read.read_case_sheet(data)
            own = {
                vocabulary.CASE_OWNER,
                vocabulary.REFERRED_ORGANISATION,
                vocabulary.OUTGOING_REFERRAL_DATE,
                vocabulary.OUTGOING_REFERRAL_DETAILS,
            }
            rows = [{k: v for k, v in row.cells.items() if k not in own} for row in sheet.rows]
            return sorted(rows, key=lambda row: row[vocabulary.FIRST_NAME])

        sent_cells = cells(export(world.supervisor, sent))
        for row in sent_cells:  # fishing: see above
            row.pop(vocabulary.FORCED_LABOUR_INDUSTRY, None)
        back_cells = cells(export(receiving, received))
        for row in back_cells:
            row.pop(vocabulary.FORCED_LABOUR_INDUSTRY, None)
        assert back_cells == sent_cells
