"""The directory and referral pages: who may do what, the flows, and constant query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Consent
from directory.models import Provider, Service
from directory.selectors import directory_search
from referrals import services
from referrals.models import Referral
from tests.conftest import World
from tests.factories import (
    ProviderFactory,
    ServiceFactory,
    make_case,
    make_plan_task,
    make_referral,
)

TODAY = timezone.localdate


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


class TestDirectorySearch:
    @pytest.fixture
    def directory(self, world: World) -> dict[str, Service]:
        return {
            "riverton_flats": ServiceFactory(name="Flats", domains=["housing"]),
            "north_wide": ServiceFactory(
                name="Jobs", domains=["economic", "education"], municipality=""
            ),
            "countrywide": ServiceFactory(
                name="Hotline", domains=["safety"], region="", municipality="", accepts_men=False
            ),
            "south": ServiceFactory(
                name="Clinic",
                domains=["medical"],
                region="South",
                municipality="Bay",
                child_friendly=True,
            ),
            "closed": ServiceFactory(name="Old", domains=["housing"], active=False),
        }

    def _names(self, **filters: Any) -> set[str]:
        return {s.name for s in directory_search(filters)}

    def test_filters(self, directory: dict) -> None:
        assert self._names() == {"Flats", "Jobs", "Hotline", "Clinic"}
        assert self._names(domain="education") == {"Jobs"}
        assert self._names(domain="housing") == {"Flats"}
        # An area also finds what covers its whole region or the whole country.
        assert self._names(region="North", municipality="Riverton") == {"Flats", "Jobs", "Hotline"}
        assert self._names(region="South") == {"Clinic", "Hotline"}
        assert self._names(child_friendly=True) == {"Clinic"}
        assert self._names(accepts_men=True) == {"Flats", "Jobs", "Clinic"}
        assert self._names(q="hot") == {"Hotline"}
        assert self._names(q=directory["south"].provider.name) == {"Clinic"}

    def test_the_page_filters_and_offers_to_refer_for_a_case(
        self, client: Any, world: World, directory: dict
    ) -> None:
        client.force_login(world.case_manager)
        url = reverse("directory:directory")
        page = client.get(url, {"domain": "medical", "case": world.case.public_id}).content.decode()
        assert "Clinic" in page and "Flats" not in page
        refer = reverse("referrals:add", args=[world.case.public_id])
        assert f"{refer}?service={directory['south'].public_id}" in page
        # Nonsense in the query string is ignored, not an error.
        for nonsense in ({"case": "nope"}, {"domain": "x"}, {"page": "-4"}, {"region": "<b>"}):
            assert client.get(url, nonsense).status_code == 200

    def test_finding_a_service_for_a_case_is_in_its_access_log(
        self, client: Any, world: World, directory: dict
    ) -> None:
        from cases.models import CaseAccess

        client.force_login(world.case_manager)
        client.get(reverse("directory:directory"), {"case": world.case.public_id})
        assert CaseAccess.objects.filter(
            beneficiary=world.case, user=world.case_manager, what="directory"
        ).exists()
        # The MDT may read the case but not refer it: no Refer button, nothing logged.
        client.force_login(world.mdt)
        page = client.get(reverse("directory:directory"), {"case": world.case.public_id})
        assert world.case.case_code not in page.content.decode()
        assert not CaseAccess.objects.filter(user=world.mdt, what="directory").exists()

    def test_someone_elses_case_gets_no_refer_button(
        self, client: Any, world: World, directory: dict
    ) -> None:
        client.force_login(world.colleague)
        page = client.get(
            reverse("directory:directory"), {"case": world.case.public_id}
        ).content.decode()
        assert world.case.case_code not in page


class TestDirectoryEditing:
    def test_case_workers_read_but_do_not_edit(self, client: Any, world: World) -> None:
        service = ServiceFactory()
        client.force_login(world.case_manager)
        assert client.get(reverse("directory:service", args=[service.public_id])).status_code == 200
        assert client.get(reverse("directory:provider_add")).status_code == 403
        edit = reverse("directory:service_edit", args=[service.public_id])
        assert client.post(edit, {"name": "Changed"}).status_code == 403
        assert Service.objects.get().name != "Changed"

    def test_a_supervisor_adds_an_organisation_and_a_service(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.supervisor)
        response = client.post(
            reverse("directory:provider_add"),
            {"name": "Hill Clinic", "kind": "state", "confidentiality_agreement_on": "2026-01-05"},
        )
        provider = Provider.objects.get()
        assert response["Location"] == reverse("directory:provider", args=[provider.public_id])
        url = reverse("directory:service_add", args=[provider.public_id])
        data = {
            "name": "Check-ups",
            "domains": ["medical"],
            "description": "For trafficking survivors",
            "country": "Testland",
            "cost": "free",
            "accepts_men": "on",
            "active": "on",
        }
        response = client.post(url, data)
        assert response.status_code == 200
        assert "use neutral wording" in response.content.decode()
        assert not Service.objects.exists()
        response = client.post(url, {**data, "description": "Check-ups for adults"})
        assert response.status_code == 302
        assert Service.objects.get().domains == ["medical"]

    def test_the_handout_is_a_pdf_without_case_data(self, client: Any, world: World) -> None:
        ServiceFactory(name="Flats", domains=["housing"])
        client.force_login(world.mdt)
        url = reverse("directory:handout")
        assert client.get(url).status_code == 200  # the form first
        response = client.get(url, {"domains": ["housing"], "region": "North"})
        assert response["Content-Type"] == "application/pdf"
        assert client.get(url, {"domains": ["nonsense"]}).status_code == 200


class TestReferralFlow:
    def test_from_the_directory_through_consent_to_sent(
        self, client: Any, world: World, service: Any
    ) -> None:
        client.force_login(world.case_manager)
        add = reverse("referrals:add", args=[world.case.public_id])
        form = client.get(add, {"service": service.public_id}).content.decode()
        assert f'value="{service.pk}" selected' in form
        response = client.post(
            add,
            {
                "service": service.pk,
                "domain": "housing",
                "urgency": "soon",
                "reason": "Needs a room near her work.",
                "information": ["identity", "needs"],
            },
        )
        referral = Referral.objects.get()
        assert response["Location"] == referral.get_absolute_url()

        page = client.get(referral.get_absolute_url()).content.decode()
        assert "Consent missing" in page
        consent_url = reverse("cases:consent_add", args=[world.case.public_id])
        assert f"{consent_url}?referral={referral.public_id}" in page
        response = client.post(
            reverse("referrals:send", args=[world.case.public_id, referral.public_id]),
            {"on": TODAY().isoformat()},
        )
        assert Referral.objects.get().status == "draft"

        # The consent form comes prefilled for this provider and returns to the referral.
        form = client.get(consent_url, {"referral": referral.public_id}).content.decode()
        assert f'value="{service.provider.pk}" selected' in form
        response = client.post(
            f"{consent_url}?referral={referral.public_id}",
            {
                "scope": "sharing",
                "provider": service.provider.pk,
                "information": ["identity", "needs"],
                "given_by": "beneficiary",
                "given_on": TODAY().isoformat(),
                "method": "written",
            },
        )
        assert response["Location"] == referral.get_absolute_url()
        assert Consent.objects.get().provider == service.provider

        response = client.post(
            reverse("referrals:send", args=[world.case.public_id, referral.public_id]),
            {"on": TODAY().isoformat()},
        )
        assert Referral.objects.get().status == "sent"

        status = reverse("referrals:status", args=[world.case.public_id, referral.public_id])
        response = client.post(
            status, {"to_status": "declined_by_provider", "on": TODAY().isoformat()}
        )
        assert response.status_code == 200
        assert "Record the reason." in response.content.decode()
        client.post(status, {"to_status": "accepted", "on": TODAY().isoformat()})
        assert Referral.objects.get().status == "accepted"

    def test_a_plan_task_becomes_a_referral(self, client: Any, world: World, service: Any) -> None:
        task = make_plan_task(
            world.case,
            world.case_manager,
            description="Apply for a flat",
            external_organisation="Housing office",
        )
        version = task.goal.version
        client.force_login(world.case_manager)
        page = client.get(reverse("plans:version", args=[world.case.public_id, version.public_id]))
        add = reverse("referrals:add", args=[world.case.public_id])
        assert f"{add}?task={task.public_id}" in page.content.decode()
        form = client.get(add, {"task": task.public_id}).content.decode()
        assert "Apply for a flat" in form
        client.post(
            f"{add}?task={task.public_id}",
            {
                "service": service.pk,
                "domain": "housing",
                "urgency": "routine",
                "reason": "Apply for a flat",
            },
        )
        assert Referral.objects.get().task == task

    def test_the_mdt_reads_but_does_not_refer(
        self, client: Any, world: World, referral: Any
    ) -> None:
        client.force_login(world.mdt)
        assert client.get(reverse("referrals:case", args=[world.case.public_id])).status_code == 200
        assert client.get(referral.get_absolute_url()).status_code == 200
        assert client.get(reverse("referrals:add", args=[world.case.public_id])).status_code == 403

    def test_a_referral_of_another_case_is_not_found_through_this_one(
        self, client: Any, world: World, service: Any
    ) -> None:
        other = make_case(case_manager=world.case_manager, first_name="Other")
        theirs = make_referral(other, world.case_manager, service=service)
        client.force_login(world.case_manager)
        url = reverse("referrals:detail", args=[world.case.public_id, theirs.public_id])
        assert client.get(url).status_code == 404


class TestLists:
    def test_my_referrals_shows_open_ones_on_my_cases(
        self, client: Any, world: World, referral: Any
    ) -> None:
        other = make_case(case_manager=world.colleague, first_name="Other")
        make_referral(other, world.colleague)
        client.force_login(world.case_manager)
        page = client.get(reverse("referrals:mine")).content.decode()
        assert world.case.case_code in page and other.case_code not in page

    def test_the_review_is_for_supervisors_of_the_organisation(
        self, client: Any, world: World, referral: Any
    ) -> None:
        services.override_request(
            referral=referral, actor=world.case_manager, kind="consent", reason="Urgent need"
        )
        client.force_login(world.case_manager)
        assert client.get(reverse("referrals:review")).status_code == 403
        client.force_login(world.outsider)
        assert "Urgent need" not in client.get(reverse("referrals:review")).content.decode()
        client.force_login(world.supervisor)
        page = client.get(reverse("referrals:review")).content.decode()
        assert "Urgent need" in page and world.case.case_code in page


def _fill(world: World, rows: int) -> None:
    for n in range(rows):
        service = ServiceFactory(provider=ProviderFactory())
        referral = make_referral(world.case, world.case_manager, service=service)
        services.override_request(
            referral=referral, actor=world.case_manager, kind="consent", reason=f"Reason {n}"
        )
        sent = make_referral(world.case, world.case_manager, service=service, information=[])
        sent = services.referral_send(referral=sent, actor=world.case_manager, on=TODAY())
        services.referral_move(
            referral=sent,
            actor=world.case_manager,
            to_status="declined_by_provider",
            on=TODAY(),
            note="Full",
        )
        services.unmet_need_record(
            beneficiary=world.case,
            actor=world.case_manager,
            data={"domain": "housing", "barrier": "full", "recorded_on": TODAY()},
        )


@pytest.mark.parametrize(
    ("persona", "url_name", "case_scoped"),
    [
        ("case_manager", "referrals:case", True),
        ("case_manager", "referrals:mine", False),
        ("supervisor", "referrals:review", False),
        ("case_manager", "directory:directory", False),
        ("case_manager", "directory:providers", False),
    ],
)
def test_query_counts_do_not_grow_with_rows(
    client: Any, world: World, persona: str, url_name: str, case_scoped: bool
) -> None:
    url = reverse(url_name, args=[world.case.public_id] if case_scoped else [])
    client.force_login(getattr(world, persona))
    _fill(world, 1)
    few = _queries(client, url)
    _fill(world, 6)
    assert _queries(client, url) == few


def test_the_referral_page_query_count_does_not_grow(
    client: Any, world: World, service: Any
) -> None:
    """However long its timeline and however many overrides were asked for."""
    referral = make_referral(world.case, world.case_manager, service=service, information=[])
    client.force_login(world.supervisor)
    few = _queries(client, referral.get_absolute_url())
    referral = services.referral_send(referral=referral, actor=world.case_manager, on=TODAY())
    for status in ("accepted", "in_progress"):
        services.referral_move(
            referral=referral, actor=world.case_manager, to_status=status, on=TODAY()
        )
    assert _queries(client, referral.get_absolute_url()) == few


@pytest.mark.parametrize(
    "url_name",
    [
        "directory:provider_add",
        "directory:provider_edit",
        "directory:service_add",
        "directory:service_edit",
        "referrals:transfer_accept",
    ],
)
def test_nonsense_in_the_directory_and_transfer_forms_is_refused_politely(
    client: Any, world: World, url_name: str
) -> None:
    """(Declining a transfer takes only free text: any of it is a valid reason.)"""
    from referrals.models import CaseTransfer
    from tests.cases.test_hostile_input import FIELD_NAMES, NONSENSE

    service = ServiceFactory()
    transfer = CaseTransfer.objects.create(
        beneficiary=world.case,
        from_organisation=world.other_org,  # offered to the world's organisation
        to_organisation=world.org,
        reason="Moving",
        requested_by=world.outsider,
    )
    ids = {
        "provider_id": service.provider.public_id,
        "service_id": service.public_id,
        "transfer_id": transfer.public_id,
    }
    pattern_ids = {
        "directory:provider_add": {},
        "directory:provider_edit": {"provider_id": ids["provider_id"]},
        "directory:service_add": {"provider_id": ids["provider_id"]},
        "directory:service_edit": {"service_id": ids["service_id"]},
        "referrals:transfer_accept": {"transfer_id": ids["transfer_id"]},
    }
    url = reverse(url_name, kwargs=pattern_ids[url_name])
    client.force_login(world.supervisor)
    for text in NONSENSE.values():
        response = client.post(url, {field: text for field in FIELD_NAMES})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()
    assert Provider.objects.count() == 1 and Service.objects.count() == 1
    assert CaseTransfer.objects.get().status == "requested"
