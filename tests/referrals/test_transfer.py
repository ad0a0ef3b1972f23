"""Handing a case to another organisation: consent first, and access moves at acceptance."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from cases.models import Beneficiary, CaseAccess, Consent, TeamMembership
from cases.selectors import beneficiaries_visible_to
from notifications.models import Notification
from referrals import services
from referrals.models import CaseTransfer
from tests.conftest import World
from tests.factories import ProviderFactory, UserFactory, sharing_consent


@pytest.fixture
def receiving(world: World) -> dict[str, Any]:
    """The other organisation, in the directory, with a supervisor and a case worker."""
    provider = ProviderFactory(
        name="Other Service (directory)", system_organisation=world.other_org
    )
    supervisor = UserFactory(
        username="their-sup", organisation=world.other_org, role=Role.SUPERVISOR
    )
    worker = UserFactory(username="their-cw", organisation=world.other_org, role=Role.CASE_WORKER)
    return {"provider": provider, "supervisor": supervisor, "worker": worker}


def _request(world: World) -> CaseTransfer:
    return services.transfer_request(
        beneficiary=world.case,
        actor=world.case_manager,
        to_organisation=world.other_org,
        reason="Moving to their town",
    )


def _sees(user: Any, world: World) -> bool:
    return beneficiaries_visible_to(user).filter(pk=world.case.pk).exists()


def test_it_needs_consent_to_share_the_whole_file(world: World, receiving: dict) -> None:
    with pytest.raises(ValidationError) as error:
        _request(world)
    assert "to_organisation" in error.value.message_dict
    sharing_consent(world.case, world.case_manager, receiving["provider"], ["identity", "needs"])
    with pytest.raises(ValidationError):
        _request(world)  # consent to share some things is not consent to hand over the file
    sharing_consent(world.case, world.case_manager, receiving["provider"], ["case_file"])
    transfer = _request(world)
    assert transfer.status == "requested"
    assert Notification.objects.filter(
        recipient=receiving["supervisor"], kind="transfer_requested"
    ).exists()


def test_only_organisations_in_the_directory_receive_cases(world: World) -> None:
    with pytest.raises(ValidationError):
        _request(world)


def test_access_moves_at_acceptance_and_the_history_stays(
    world: World, receiving: dict, client: Any
) -> None:
    sharing_consent(world.case, world.case_manager, receiving["provider"], ["case_file"])
    transfer = _request(world)

    # Before acceptance nothing changes: the sending team works on, the receivers see nothing.
    assert all(_sees(u, world) for u in (world.case_manager, world.mdt, world.supervisor))
    assert not any(_sees(u, world) for u in receiving.values() if hasattr(u, "role"))

    services.transfer_accept(
        transfer=transfer, actor=receiving["supervisor"], case_manager=receiving["worker"]
    )

    assert not any(_sees(u, world) for u in (world.case_manager, world.mdt, world.supervisor))
    assert _sees(receiving["worker"], world) and _sees(receiving["supervisor"], world)
    case = Beneficiary.objects.get(pk=world.case.pk)
    assert case.organisation == world.other_org
    assert case.case_code == world.case.case_code
    # The sending team's memberships ended, not deleted; the file's records are all there.
    ended = TeamMembership.objects.filter(beneficiary=case, user__organisation=world.org)
    assert ended.count() == 2 and not ended.filter(ended_on=None).exists()
    assert case.team.get(ended_on=None).user == receiving["worker"]
    assert Consent.objects.filter(beneficiary=case).count() == 1
    assert case.history.count() >= 2

    client.force_login(world.case_manager)
    assert client.get(reverse("casework:detail", args=[case.public_id])).status_code == 404
    client.force_login(receiving["worker"])
    assert client.get(reverse("casework:detail", args=[case.public_id])).status_code == 200
    assert client.get(reverse("cases:history", args=[case.public_id])).status_code == 200


def test_only_the_receiving_supervisor_answers(world: World, receiving: dict) -> None:
    sharing_consent(world.case, world.case_manager, receiving["provider"], ["case_file"])
    transfer = _request(world)
    for someone in (world.supervisor, receiving["worker"]):
        with pytest.raises(ValidationError):
            services.transfer_accept(
                transfer=transfer, actor=someone, case_manager=receiving["worker"]
            )
    with pytest.raises(ValidationError):
        # The new case manager must belong to the receiving organisation.
        services.transfer_accept(
            transfer=transfer, actor=receiving["supervisor"], case_manager=world.colleague
        )
    assert Beneficiary.objects.get(pk=world.case.pk).organisation == world.org
    assert CaseTransfer.objects.get().status == "requested"


def test_a_decline_leaves_everything_as_it_was(world: World, receiving: dict) -> None:
    sharing_consent(world.case, world.case_manager, receiving["provider"], ["case_file"])
    transfer = _request(world)
    with pytest.raises(ValidationError):
        services.transfer_decline(transfer=transfer, actor=receiving["supervisor"], note="")
    services.transfer_decline(transfer=transfer, actor=receiving["supervisor"], note="No capacity")
    assert _sees(world.case_manager, world)
    assert Notification.objects.filter(
        recipient=world.case_manager, kind="transfer_declined"
    ).exists()
    with pytest.raises(ValidationError):
        services.transfer_accept(
            transfer=transfer, actor=receiving["supervisor"], case_manager=receiving["worker"]
        )
    assert _request(world).status == "requested"  # and it may be asked again


def test_the_transfer_pages(world: World, receiving: dict, client: Any) -> None:
    sharing_consent(world.case, world.case_manager, receiving["provider"], ["case_file"])
    client.force_login(world.case_manager)
    url = reverse("referrals:transfer", args=[world.case.public_id])
    assert (
        client.post(url, {"to_organisation": world.other_org.pk, "reason": ""}).status_code == 200
    )
    response = client.post(url, {"to_organisation": world.other_org.pk, "reason": "Moving"})
    assert response.status_code == 302
    transfer = CaseTransfer.objects.get()

    accept = reverse("referrals:transfer_accept", args=[transfer.public_id])
    client.force_login(world.supervisor)  # a supervisor, but of the sending organisation
    assert client.get(accept).status_code == 404
    client.force_login(receiving["worker"])
    assert client.get(accept).status_code == 403
    client.force_login(receiving["supervisor"])
    review = client.get(reverse("referrals:review")).content.decode()
    assert world.case.case_code in review and world.case.full_name not in review
    assert client.get(accept).status_code == 200
    response = client.post(accept, {"case_manager": receiving["worker"].pk, "note": ""})
    assert response.status_code == 302
    assert CaseTransfer.objects.get().status == "accepted"
    assert client.get(accept).status_code == 404  # answered: no longer waiting
    # Nothing opened before accepting; the answer itself is in the case's access log.
    assert list(
        CaseAccess.objects.filter(user=receiving["supervisor"]).values_list("action", "what")
    ) == [("change", "transfer_accept")]
