"""The de-identified case list is k-anonymous: a person unlike everyone else in the caseload
is generalised into a group or left out, and the file says which."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseAccess, ExportLog
from reports.deidentified import CASE_LIST_QUASI_IDENTIFIERS
from tests.conftest import World
from tests.factories import make_case

SIMILAR = {
    "sex": "female",
    "date_of_birth": date(1998, 5, 17),
    "registration_place": "Tirana, Unit 3",
    "exploitation_forms": ["sexual"],
}


def _export(client: Any, world: World) -> tuple[list[dict[str, str]], list[str]]:
    """The released rows and the notes after them."""
    client.force_login(world.supervisor)
    response = client.get(reverse("reports:cases_export"))
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    blank = lines.index([])
    header, body, notes = lines[0], lines[1:blank], lines[blank + 1 :]
    return [dict(zip(header, row, strict=True)) for row in body], [n[0] for n in notes]


def _caseload(world: World) -> dict[str, Any]:
    """Fourteen women alike but for two neighbouring nationalities, seven each, and one man
    nobody else resembles (and the world's own case, with little recorded)."""
    similar = [
        make_case(
            case_manager=world.case_manager,
            first_name=f"S{n}",
            nationality="Moldovan" if n % 2 else "romanian",
            **SIMILAR,
        )
        for n in range(14)
    ]
    unique = make_case(
        case_manager=world.case_manager,
        first_name="Unique",
        sex="male",
        date_of_birth=date(1960, 1, 1),
        nationality="Vietnamese",
        registration_place="Shkodër",
        exploitation_forms=["labour_fishing"],
        admitted_on=timezone.localdate() - timedelta(days=400),
    )
    return {"similar": similar, "unique": unique}


class TestTheCaseListIsKAnonymous:
    def test_the_unique_case_is_withheld_and_nationality_generalised(
        self, client: Any, world: World
    ) -> None:
        cases = _caseload(world)
        rows, notes = _export(client, world)

        # Seven of each nationality is below k = 11: nationality became the region of the
        # world, which groups all fourteen; the two cases still alone were left out.
        assert len(rows) == 14
        assert {row["nationality"] for row in rows} == {"Eastern Europe"}
        assert {row["region"] for row in rows} == {"Tirana"}
        assert {row["exploitation_forms"] for row in rows} == {"Sexual exploitation"}
        text = "\n".join(",".join(row.values()) for row in rows)
        for trace in ("Vietnam", "Shkod", "fishing", "Unit 3", "Moldovan", "50+"):
            assert trace not in text

        # Every released combination of the declared quasi-identifiers occurs >= k times.
        columns = [qi.column for qi in CASE_LIST_QUASI_IDENTIFIERS]
        groups = Counter(tuple(row[c] for c in columns) for row in rows)
        assert min(groups.values()) >= 11

        assert notes == [
            "Every combination of age band at admission, sex, nationality, region (town or "
            "municipality of registration), forms of exploitation, admission quarter occurs "
            "at least 11 times in this export (k-anonymity with k = 11).",
            "Nationality was generalised (made coarser): region of the world (such as Eastern "
            "Europe), or other.",
            "2 rows were withheld (left out): their combination occurred fewer than 11 times "
            "even after generalising.",
        ]

        # What was withheld was not exported: not counted, not on its access log.
        assert ExportLog.objects.get(what="De-identified case list").rows == 14
        exported = set(
            CaseAccess.objects.filter(action="export", user=world.supervisor).values_list(
                "beneficiary_id", flat=True
            )
        )
        assert exported == {case.pk for case in cases["similar"]}

    def test_k_follows_the_setting(self, client: Any, world: World, settings: Any) -> None:
        settings.EXPORT_MIN_GROUP = 7
        _caseload(world)
        rows, notes = _export(client, world)
        # Groups of seven are enough now: nationality stays as recorded, one spelling each.
        assert Counter(row["nationality"] for row in rows) == {"Moldovan": 7, "Romanian": 7}
        assert "No values were generalised." in notes
        assert "k = 7" in notes[0]

    def test_fewer_cases_than_k_release_nothing(self, client: Any, world: World) -> None:
        rows, notes = _export(client, world)
        assert rows == []
        assert notes[-1].startswith("1 row was withheld")
        assert ExportLog.objects.get(what="De-identified case list").rows == 0
        assert not CaseAccess.objects.filter(action="export").exists()

    def test_query_counts_do_not_grow(self, client: Any, world: World, settings: Any) -> None:
        settings.EXPORT_MIN_GROUP = 2
        client.force_login(world.supervisor)

        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("reports:cases_export")).status_code == 200
            return len(captured)

        for n in range(3):
            make_case(case_manager=world.case_manager, first_name=f"A{n}")
        few = count()
        for n in range(12):
            make_case(
                case_manager=world.case_manager,
                first_name=f"B{n}",
                nationality="Albanian",
                exploitation_forms=["begging"],
            )
        assert count() == few
