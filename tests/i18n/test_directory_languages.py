"""Directory entries keep their printed texts in each language, neutral in every one."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from directory.models import Provider, Service
from tests.conftest import World
from tests.factories import ProviderFactory, opened

pytestmark = pytest.mark.django_db

SERVICE = {
    "name": "Check-ups",
    "domains": ["medical"],
    "description": "Check-ups for adults",
    "country": "Testland",
    "cost": "free",
    "accepts_men": "on",
    "active": "on",
}


def test_a_supervisor_writes_a_services_texts_in_albanian_and_indonesian(
    world: World, client: Client
) -> None:
    provider = ProviderFactory(name="Hill Clinic")
    client.force_login(world.supervisor)
    url = reverse("directory:service_add", args=[provider.public_id])
    form = client.get(url).content.decode()
    assert 'name="description_sq"' in form and 'name="how_to_access_id"' in form
    response = client.post(
        url,
        {
            **SERVICE,
            "name_sq": "Kontrolle mjekësore",
            "description_sq": "Kontrolle për të rriturit",
            "description_id": "Pemeriksaan untuk orang dewasa",
            "eligibility_id": "  ",  # blank: the working language's is printed
        },
    )
    assert response.status_code == 302
    service = Service.objects.get()
    assert service.printed_texts == {
        "sq": {"name": "Kontrolle mjekësore", "description": "Kontrolle për të rriturit"},
        "id": {"description": "Pemeriksaan untuk orang dewasa"},
    }
    assert service.printed_in("id")["name"] == "Check-ups"  # falls back
    # Editing shows them again, and clearing one removes it.
    edit = reverse("directory:service_edit", args=[service.public_id])
    assert "Pemeriksaan untuk orang dewasa" in client.get(edit).content.decode()
    client.post(edit, {**SERVICE, "description_sq": "Kontrolle për të rriturit", **opened(service)})
    assert Service.objects.get().printed_texts == {
        "sq": {"description": "Kontrolle për të rriturit"}
    }


def test_a_refused_word_of_any_language_is_refused_next_to_its_field(
    world: World, client: Client
) -> None:
    provider = ProviderFactory(name="Hill Clinic")
    client.force_login(world.supervisor)
    url = reverse("directory:service_add", args=[provider.public_id])
    response = client.post(url, {**SERVICE, "description_id": "Layanan untuk korban"})
    assert response.status_code == 200
    assert not Service.objects.exists()
    form = response.context["form"]
    assert "korban" in " ".join(form.errors["description_id"])
    edit = reverse("directory:provider_edit", args=[provider.public_id])
    response = client.post(
        edit,
        {
            "name": "Hill Clinic",
            "kind": "state",
            "printed_name_sq": "Qendra për viktimat",
            **opened(provider),
        },
    )
    assert "printed_name_sq" in response.context["form"].errors
    assert Provider.objects.get().printed_names == {}
