from __future__ import annotations

import io
import re

from pypdf import PdfReader

from core.records import version_of
from plans.models import Goal, PlanVersion
from plans.pdf import plan_pdf
from tests.conftest import World

from .conftest import sign_all


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_draft_prints_blank_signature_lines(world: World, plan: PlanVersion, goal: Goal) -> None:
    text = _text(plan_pdf(plan))
    assert "draft for discussion" in text
    assert text.count("Name, signature and date") == 2
    assert "Find work in a bakery" in text and "Has a written work contract" in text


def test_a_signed_plan_prints_everything_agreed(
    world: World, plan: PlanVersion, goal: Goal
) -> None:
    sign_all(world, plan)
    text = _text(plan_pdf(plan))
    for expected in (
        world.case.case_code,
        world.case.full_name,
        "Test Association",
        "version 1",
        "Find work in a bakery",
        "Has a written work contract",
        "CV workshop",
        str(world.mdt),
        "Ana Testova",
        "Staff Tester",
        "Page 1 of 1",
    ):
        assert expected in text, expected
    assert plan.fingerprint in re.sub(r"\s", "", text)


def test_the_printed_plan_uses_neutral_wording(world: World, plan: PlanVersion, goal: Goal) -> None:
    sign_all(world, plan)
    text = _text(plan_pdf(plan)).lower()
    assert "trafficking" not in text
    assert "victim" not in text


def test_a_signed_version_reprints_the_same(world: World, plan: PlanVersion, goal: Goal) -> None:
    sign_all(world, plan)
    assert _text(plan_pdf(plan)) == _text(plan_pdf(PlanVersion.objects.get(pk=plan.pk)))


def test_letters_of_every_language_are_embedded(
    world: World, plan: PlanVersion, goal: Goal
) -> None:
    from plans import services

    services.plan_update(
        version=plan,
        actor=world.case_manager,
        own_goals="Të gjej punë; Saya ingin bekerja.",
        participants="",
        opened_at=version_of(plan),
    )
    text = _text(plan_pdf(plan))
    assert "Të gjej punë; Saya ingin bekerja." in text


def test_the_benchmark_command_runs_and_keeps_nothing(db: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    from cases.models import Beneficiary

    out = StringIO()
    call_command("benchmark_plan_pdf", runs=1, goals=2, stdout=out)
    assert re.match(r"plan PDF: \d+ pages, 1 runs, median [\d.]+ s", out.getvalue())
    assert not Beneficiary.objects.exists()


def test_the_printed_plan_is_tagged_for_screen_readers(
    world: World, plan: PlanVersion, goal: Goal
) -> None:
    catalog = PdfReader(io.BytesIO(plan_pdf(plan))).trailer["/Root"]
    assert "/StructTreeRoot" in catalog  # headings, paragraphs and tables are marked up
    assert catalog["/MarkInfo"]["/Marked"]
    assert str(catalog["/Lang"]).startswith("en")  # the language it is printed in
