"""The referral letter and the handout: neutral words, and only what the person agreed to."""

from __future__ import annotations

import io
from typing import Any

from django.urls import reverse
from pypdf import PdfReader

from cases import services as case_services
from cases.models import CaseAccess
from core.records import version_of
from directory.models import Service
from directory.pdf import handout_pdf
from referrals import services
from referrals.pdf import referral_letter_pdf
from tests.conftest import World
from tests.factories import ProviderFactory, ServiceFactory, make_referral, sharing_consent


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _with_contact_details(world: World) -> None:
    case_services.beneficiary_update(
        beneficiary=world.case,
        actor=world.case_manager,
        profile={
            "phone": "+000 555 0199",
            "safe_times": "after six",
            "documents_notes": "No passport",
        },
        opened_at=version_of(world.case),
    )


def test_the_letter_prints_only_what_the_consent_covers(world: World, service: Any) -> None:
    _with_contact_details(world)
    referral = make_referral(
        world.case, world.case_manager, service=service, information=["identity", "contact"]
    )
    # The person agreed to their name going, not their phone number.
    sharing_consent(world.case, world.case_manager, service.provider, ["identity"])
    text = _text(referral_letter_pdf(referral))
    assert world.case.full_name in text
    assert "+000 555 0199" not in text and "after six" not in text
    assert "No passport" not in text  # never selected for this referral
    assert "Needs a stable place to live." in text
    assert world.case.case_code in text


def test_without_identity_the_letter_names_no_one(world: World, service: Any) -> None:
    referral = make_referral(world.case, world.case_manager, service=service, information=[])
    text = _text(referral_letter_pdf(referral))
    assert world.case.full_name not in text
    assert world.case.first_name not in text
    assert "the person presenting this letter" in text


def test_a_consent_override_prints_what_the_referral_shares(world: World, service: Any) -> None:
    _with_contact_details(world)
    referral = make_referral(
        world.case, world.case_manager, service=service, information=["identity", "contact"]
    )
    services.override_request(
        referral=referral, actor=world.supervisor, kind="consent", reason="Risk to life"
    )
    text = _text(referral_letter_pdf(referral))
    assert world.case.full_name in text and "+000 555 0199" in text


def test_the_letter_uses_neutral_wording(world: World, service: Any) -> None:
    provider = ProviderFactory(name="Anti-Trafficking Centre", printed_name="City Centre")
    service = ServiceFactory(provider=provider, name="Advice")
    referral = make_referral(world.case, world.case_manager, service=service)
    sharing_consent(world.case, world.case_manager, provider, ["identity"])
    text = _text(referral_letter_pdf(referral)).lower()
    assert "city centre" in text
    for word in ("trafficking", "victim", "exploitation"):
        assert word not in text


def test_the_handout_uses_neutral_wording_and_the_chosen_domains(world: World) -> None:
    provider = ProviderFactory(name="Victim Support Office", printed_name="Support Office")
    ServiceFactory(provider=provider, name="Safe rooms", domains=["housing"])
    ServiceFactory(name="Job club", domains=["economic"])
    services_found = list(Service.objects.select_related("provider"))
    text = _text(handout_pdf(services_found, ["housing"], "Riverton", world.org))
    assert "Safe rooms" in text and "Support Office" in text
    assert "Job club" not in text
    lowered = text.lower()
    assert "victim" not in lowered and "trafficking" not in lowered


def test_printing_the_letter_is_in_the_access_log(world: World, referral: Any, client: Any) -> None:
    sharing_consent(world.case, world.case_manager, referral.provider, ["identity", "contact"])
    client.force_login(world.case_manager)
    response = client.get(
        reverse("referrals:letter", args=[world.case.public_id, referral.public_id])
    )
    assert response["Content-Type"] == "application/pdf"
    assert world.case.last_name not in response["Content-Disposition"]
    assert CaseAccess.objects.filter(
        user=world.case_manager, action="print", what="letter"
    ).exists()


def test_no_letter_while_the_sharing_check_fails(world: World, referral: Any, client: Any) -> None:
    client.force_login(world.case_manager)
    url = reverse("referrals:letter", args=[world.case.public_id, referral.public_id])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == referral.get_absolute_url()


def test_the_mdt_cannot_print_a_letter(world: World, referral: Any, client: Any) -> None:
    client.force_login(world.mdt)
    url = reverse("referrals:letter", args=[world.case.public_id, referral.public_id])
    assert client.get(url).status_code == 403
