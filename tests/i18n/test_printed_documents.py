"""The plan, the referral letter and the handout in Albanian and Indonesian.

Each is printed in the language chosen (by default the person's), with its headings in that
language and none left in English, and without the refused words of that language; the
bilingual plan carries both.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from cases import services as case_services
from core.records import version_of
from core.wording import sensitive_words_in
from directory.models import Service
from directory.pdf import handout_pdf
from plans.models import Goal, PlanVersion
from plans.pdf import plan_pdf
from referrals.pdf import referral_letter_pdf
from tests.conftest import World
from tests.factories import ProviderFactory, ServiceFactory, make_referral, sharing_consent
from tests.i18n.helpers import translated as _in
from tests.plans.conftest import sign_all, signature_data

pytestmark = pytest.mark.django_db

TRANSLATED = ["sq", "id"]
PLAN_HEADINGS = ["Individual plan", "Goals and steps", "Signatures", "Sign of success"]
LETTER_HEADINGS = ["Referral letter", "Request", "About the person", "Contact"]
HANDOUT_HEADINGS = ["Services that can help", "What they offer", "Good to know"]


def _text(pdf: bytes) -> str:
    """The document's words, with line breaks as spaces (a narrow column wraps a heading)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _printed_in(text: str, language: str, headings: list[str]) -> None:
    """The document's headings are in that language, none in English, and it holds no
    refused word of that language (nor of English)."""
    for heading in headings:
        assert _in(language, heading) in text, heading
        assert heading not in text, heading
    assert sensitive_words_in(text, language) == []
    assert sensitive_words_in(text, "en-gb") == []


def _set_document_language(world: World, language: str) -> None:
    case_services.beneficiary_update(
        beneficiary=world.case,
        actor=world.case_manager,
        profile={"document_language": language},
        opened_at=version_of(world.case),
    )
    world.case.refresh_from_db()


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_plan_prints_in_the_language_chosen(
    world: World, plan: PlanVersion, goal: Goal, language: str
) -> None:
    sign_all(world, plan)
    text = _text(plan_pdf(plan, language=language))
    _printed_in(text, language, PLAN_HEADINGS)
    assert "Find work in a bakery" in text  # what people wrote, as written


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_plan_prints_in_the_persons_language_unless_told_otherwise(
    world: World, plan: PlanVersion, goal: Goal, language: str
) -> None:
    _set_document_language(world, language)
    plan.refresh_from_db()
    _printed_in(_text(plan_pdf(plan)), language, PLAN_HEADINGS)
    # Asked for in English, it is English.
    assert "Goals and steps" in _text(plan_pdf(plan, language="en-gb"))


def test_a_bilingual_plan_carries_both_languages_heading_by_heading(
    world: World, plan: PlanVersion, goal: Goal
) -> None:
    text = _text(plan_pdf(plan, language="sq", bilingual=True))
    for heading in PLAN_HEADINGS:
        assert _in("sq", heading) in text and heading in text, heading
    assert sensitive_words_in(text) == []  # no refused word of any language
    # The goal the person wrote is printed once, not once per language.
    assert text.count("Find work in a bakery") == 1


def test_the_signature_says_which_language_the_plan_was_read_in_and_through_whom(
    world: World, plan: PlanVersion, goal: Goal
) -> None:
    from plans import services

    services.signature_record(
        version=plan,
        actor=world.case_manager,
        data=signature_data("beneficiary", read_in="Shqip", interpreter="Dritan Hoxha"),
    )
    text = _text(plan_pdf(plan, language="sq"))
    with translation.override("sq"):
        read = translation.gettext("The plan was read in %(language)s") % {"language": "Shqip"}
        interpreted = translation.gettext("interpreted by %(interpreter)s") % {
            "interpreter": "Dritan Hoxha"
        }
    assert read in text and interpreted in text


@pytest.fixture
def letter_referral(world: World) -> Any:
    provider = ProviderFactory(
        name="Harbour Housing", printed_names={"sq": "Strehimi i Portit", "id": "Hunian Pelabuhan"}
    )
    service = ServiceFactory(
        provider=provider,
        name="Supported flats",
        printed_texts={"sq": {"name": "Apartamente me mbështetje"}},
    )
    referral = make_referral(
        world.case, world.case_manager, service=service, information=["identity"]
    )
    sharing_consent(world.case, world.case_manager, provider, ["identity"])
    return referral


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_referral_letter_prints_in_the_language_chosen(
    world: World, letter_referral: Any, language: str
) -> None:
    text = _text(referral_letter_pdf(letter_referral, language=language))
    _printed_in(text, language, LETTER_HEADINGS)
    # The directory's printed texts in that language, else in the working language.
    assert {"sq": "Strehimi i Portit", "id": "Hunian Pelabuhan"}[language] in text
    assert {"sq": "Apartamente me mbështetje", "id": "Supported flats"}[language] in text


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_handout_prints_in_the_language_chosen(world: World, language: str) -> None:
    ServiceFactory(
        name="Safe rooms",
        domains=["housing"],
        printed_texts={language: {"description": f"Dhoma / kamar ({language})"}},
    )
    found = list(Service.objects.select_related("provider"))
    text = _text(handout_pdf(found, ["housing"], "Riverton", world.org, language=language))
    _printed_in(text, language, HANDOUT_HEADINGS)
    assert f"Dhoma / kamar ({language})" in text
    assert "Safe rooms" in text  # no name of its own in that language: the working one's


def test_printing_asks_the_page_for_a_language_and_falls_back_on_nonsense(
    world: World, plan: PlanVersion, goal: Goal, client: Client
) -> None:
    client.force_login(world.case_manager)
    url = reverse("plans:pdf", args=[world.case.public_id, plan.public_id])
    assert _in("id", "Goals and steps") in _text(client.get(url, {"language": "id"}).content)
    both = _text(client.get(url, {"language": "id", "bilingual": "on"}).content)
    assert _in("id", "Goals and steps") in both and "Goals and steps" in both
    # An address no form makes: the default (the working language here), not an error.
    assert "Goals and steps" in _text(client.get(url, {"language": "klingon"}).content)
    page = client.get(reverse("plans:version", args=[world.case.public_id, plan.public_id]))
    assert 'name="bilingual"' in page.content.decode()


def test_the_letter_and_handout_pages_ask_for_a_language(
    world: World, letter_referral: Any, client: Client
) -> None:
    client.force_login(world.case_manager)
    args = [world.case.public_id, letter_referral.public_id]
    letter = client.get(reverse("referrals:letter", args=args), {"language": "sq"})
    assert _in("sq", "Referral letter") in _text(letter.content)
    handout = client.get(reverse("directory:handout"), {"domains": ["housing"], "language": "id"})
    assert _in("id", "Services that can help") in _text(handout.content)


def test_a_handout_for_a_person_defaults_to_their_language(world: World, client: Client) -> None:
    _set_document_language(world, "id")
    client.force_login(world.case_manager)
    page = client.get(reverse("directory:directory"), {"case": world.case.public_id})
    assert page.context["handout_form"]["language"].value() == "id"
    # Without a person, the working language.
    page = client.get(reverse("directory:directory"))
    assert page.context["handout_form"]["language"].value() == "en-gb"
