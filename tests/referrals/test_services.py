"""The rules of referrals: the consent gate, the status path, overrides and withdrawal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services as case_services
from core.records import version_of
from directory import services as directory_services
from notifications.models import Notification
from referrals import services
from referrals.choices import TRANSITIONS, ReferralStatus
from referrals.models import Referral, ReferralEvent
from tests.conftest import World
from tests.factories import (
    ProviderFactory,
    ServiceFactory,
    close_case,
    make_referral,
    sharing_consent,
)

TODAY = timezone.localdate


def _send(referral: Any, world: World) -> Referral:
    return services.referral_send(referral=referral, actor=world.case_manager, on=TODAY())


def _refused(error: pytest.ExceptionInfo) -> str:
    return " ".join(error.value.messages)


class TestConsentGate:
    def test_no_consent_means_it_cannot_be_sent(self, world: World, referral: Any) -> None:
        with pytest.raises(ValidationError) as error:
            _send(referral, world)
        assert "has not agreed to share" in _refused(error)
        assert "Name, date of birth and sex" in _refused(error)
        assert Referral.objects.get().status == ReferralStatus.DRAFT

    def test_a_consent_covering_everything_shared_lets_it_go(
        self, world: World, referral: Any
    ) -> None:
        sharing_consent(world.case, world.case_manager, referral.provider, ["identity", "contact"])
        sent = _send(referral, world)
        assert sent.status == ReferralStatus.SENT
        assert sent.sent_on == TODAY()
        assert [e.to_status for e in sent.events.all()] == ["draft", "sent"]

    def test_a_consent_covering_only_part_is_not_enough(self, world: World, referral: Any) -> None:
        sharing_consent(world.case, world.case_manager, referral.provider, ["identity"])
        with pytest.raises(ValidationError) as error:
            _send(referral, world)
        assert "Phone number and safe-contact instructions" in _refused(error)
        assert "Name, date of birth" not in _refused(error)

    def test_consent_for_another_organisation_does_not_count(
        self, world: World, referral: Any
    ) -> None:
        other = ProviderFactory(name="Someone else")
        sharing_consent(world.case, world.case_manager, other, ["identity", "contact"])
        with pytest.raises(ValidationError):
            _send(referral, world)

    def test_consent_for_another_case_does_not_count(self, world: World, referral: Any) -> None:
        from tests.factories import make_case

        other_case = make_case(case_manager=world.case_manager, first_name="Other")
        sharing_consent(other_case, world.case_manager, referral.provider, ["identity", "contact"])
        with pytest.raises(ValidationError):
            _send(referral, world)

    def test_a_withdrawn_consent_does_not_count(self, world: World, referral: Any) -> None:
        consent = sharing_consent(
            world.case, world.case_manager, referral.provider, ["identity", "contact"]
        )
        case_services.consent_withdraw(
            consent=consent, actor=world.case_manager, withdrawn_on=TODAY(), reason="Changed mind"
        )
        with pytest.raises(ValidationError):
            _send(referral, world)

    def test_sharing_nothing_needs_no_consent(self, world: World, service: Any) -> None:
        referral = make_referral(world.case, world.case_manager, service=service, information=[])
        assert _send(referral, world).status == ReferralStatus.SENT

    def test_no_confidentiality_agreement_means_no_case_information(self, world: World) -> None:
        service = ServiceFactory(provider=ProviderFactory(confidentiality_agreement_on=None))
        referral = make_referral(world.case, world.case_manager, service=service)
        sharing_consent(world.case, world.case_manager, service.provider, ["identity"])
        with pytest.raises(ValidationError) as error:
            _send(referral, world)
        assert "no confidentiality agreement" in _refused(error)

    def test_a_case_managers_override_request_waits_for_a_supervisor(
        self, world: World, referral: Any
    ) -> None:
        override = services.override_request(
            referral=referral, actor=world.case_manager, kind="consent", reason="In danger tonight"
        )
        assert override.status == "requested"
        assert Notification.objects.filter(
            recipient=world.supervisor, kind="override_requested"
        ).exists()
        with pytest.raises(ValidationError):
            _send(referral, world)
        services.override_decide(
            override=override, actor=world.supervisor, grant=True, note="Agreed: risk to life"
        )
        assert _send(referral, world).status == ReferralStatus.SENT
        assert Notification.objects.filter(
            recipient=world.case_manager, kind="override_decided"
        ).exists()

    def test_a_refused_override_keeps_the_gate_shut(self, world: World, referral: Any) -> None:
        override = services.override_request(
            referral=referral, actor=world.case_manager, kind="consent", reason="Hurry"
        )
        services.override_decide(
            override=override, actor=world.supervisor, grant=False, note="Ask her first"
        )
        with pytest.raises(ValidationError):
            _send(referral, world)

    def test_a_supervisors_own_override_is_granted_at_once(
        self, world: World, referral: Any
    ) -> None:
        override = services.override_request(
            referral=referral, actor=world.supervisor, kind="consent", reason="Risk to life"
        )
        assert (override.status, override.decided_by) == ("granted", world.supervisor)
        assert _send(referral, world).status == ReferralStatus.SENT

    def test_only_a_supervisor_of_the_case_decides(self, world: World, referral: Any) -> None:
        override = services.override_request(
            referral=referral, actor=world.case_manager, kind="consent", reason="Hurry"
        )
        for someone in (world.case_manager, world.outsider):
            with pytest.raises(ValidationError):
                services.override_decide(override=override, actor=someone, grant=True, note="ok")

    def test_an_override_needs_a_reason_and_a_need(self, world: World, referral: Any) -> None:
        with pytest.raises(ValidationError) as error:
            services.override_request(
                referral=referral, actor=world.case_manager, kind="consent", reason=" "
            )
        assert "reason" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            # The provider has an agreement: nothing to override.
            services.override_request(
                referral=referral, actor=world.case_manager, kind="agreement", reason="x"
            )
        assert "kind" in error.value.message_dict


class TestWithdrawal:
    def test_withdrawing_consent_marks_open_referrals_and_tells_the_case_manager(
        self, world: World, referral: Any
    ) -> None:
        consent = sharing_consent(
            world.case, world.case_manager, referral.provider, ["identity", "contact"]
        )
        _send(referral, world)
        case_services.consent_withdraw(
            consent=consent, actor=world.mdt, withdrawn_on=TODAY(), reason="Changed mind"
        )
        assert Referral.objects.get().consent_withdrawn_on == TODAY()
        notification = Notification.objects.get(kind="referral_consent")
        assert notification.recipient == world.case_manager
        assert world.case.full_name not in notification.text

    def test_ended_referrals_and_still_covered_ones_are_left_alone(
        self, world: World, referral: Any, service: Any
    ) -> None:
        first = sharing_consent(world.case, world.case_manager, service.provider, ["identity"])
        sharing_consent(world.case, world.case_manager, service.provider, ["identity", "contact"])
        _send(referral, world)
        ended = make_referral(world.case, world.case_manager, service=service)
        _send(ended, world)
        services.referral_move(
            referral=ended, actor=world.case_manager, to_status="cancelled", on=TODAY(), note="No"
        )
        case_services.consent_withdraw(
            consent=first, actor=world.case_manager, withdrawn_on=TODAY(), reason="x"
        )
        assert not Referral.objects.exclude(consent_withdrawn_on=None).exists()
        assert not Notification.objects.exists()


ALL_MOVES = [
    (start, end)
    for start in ReferralStatus.values
    for end in ReferralStatus.values
    if end != ReferralStatus.SENT
]


class TestStatusPath:
    @pytest.fixture
    def sendable(self, world: World, service: Any) -> Any:
        return make_referral(world.case, world.case_manager, service=service, information=[])

    def _put_in(self, referral: Any, status: str) -> Any:
        Referral.objects.filter(pk=referral.pk).update(status=status)
        referral.refresh_from_db()
        return referral

    @pytest.mark.parametrize(("start", "end"), ALL_MOVES)
    def test_only_the_allowed_moves_are_made(
        self, world: World, sendable: Any, start: str, end: str
    ) -> None:
        referral = self._put_in(sendable, start)
        allowed = end in TRANSITIONS.get(start, set())
        if allowed:
            moved = services.referral_move(
                referral=referral, actor=world.case_manager, to_status=end, on=TODAY(), note="Why"
            )
            assert moved.status == end
            assert ReferralEvent.objects.filter(referral=referral, to_status=end).exists()
        else:
            with pytest.raises(ValidationError):
                services.referral_move(
                    referral=referral, actor=world.case_manager, to_status=end, on=TODAY(), note="x"
                )
            assert Referral.objects.get(pk=referral.pk).status == start

    def test_sent_only_through_the_gate(self, world: World, sendable: Any) -> None:
        with pytest.raises(ValidationError):
            services.referral_move(
                referral=sendable, actor=world.case_manager, to_status="sent", on=TODAY()
            )

    def test_the_whole_path_with_its_dates(self, world: World, service: Any) -> None:
        start = TODAY() - timedelta(days=10)
        sendable = make_referral(
            world.case, world.case_manager, service=service, information=[], on=start
        )
        services.referral_send(referral=sendable, actor=world.case_manager, on=start)
        for days, status in ((2, "accepted"), (5, "in_progress"), (9, "completed")):
            services.referral_move(
                referral=sendable,
                actor=world.case_manager,
                to_status=status,
                on=start + timedelta(days=days),
                note="Got a flat" if status == "completed" else "",
            )
        done = Referral.objects.get()
        assert done.outcome == "Got a flat"
        assert [(e.to_status, (e.happened_on - start).days) for e in done.events.all()] == [
            ("draft", 0),
            ("sent", 0),
            ("accepted", 2),
            ("in_progress", 5),
            ("completed", 9),
        ]

    @pytest.mark.parametrize("status", ["declined_by_provider", "cancelled", "declined_by_person"])
    def test_a_decline_or_cancellation_needs_its_reason(
        self, world: World, sendable: Any, status: str
    ) -> None:
        _send(sendable, world)
        with pytest.raises(ValidationError) as error:
            services.referral_move(
                referral=sendable, actor=world.case_manager, to_status=status, on=TODAY(), note=""
            )
        assert "note" in error.value.message_dict

    def test_completion_needs_the_outcome(self, world: World, sendable: Any) -> None:
        _send(sendable, world)
        services.referral_move(
            referral=sendable, actor=world.case_manager, to_status="accepted", on=TODAY()
        )
        with pytest.raises(ValidationError) as error:
            services.referral_move(
                referral=sendable, actor=world.case_manager, to_status="completed", on=TODAY()
            )
        assert "note" in error.value.message_dict

    def test_dates_run_forward_and_not_into_the_future(self, world: World, sendable: Any) -> None:
        _send(sendable, world)
        for on in (TODAY() + timedelta(days=1), TODAY() - timedelta(days=1)):
            with pytest.raises(ValidationError) as error:
                services.referral_move(
                    referral=sendable, actor=world.case_manager, to_status="accepted", on=on
                )
            assert "on" in error.value.message_dict

    def test_a_stale_copy_never_undoes_a_status(self, world: World, sendable: Any) -> None:
        stale = Referral.objects.get(pk=sendable.pk)
        _send(sendable, world)
        services.referral_follow_through(
            referral=stale,
            actor=world.case_manager,
            data={"treatment": "respectful"},
            opened_at=version_of(stale),
        )
        fresh = Referral.objects.get(pk=sendable.pk)
        assert (fresh.status, fresh.treatment) == ("sent", "respectful")

    def test_a_sent_referral_cannot_be_edited(self, world: World, sendable: Any) -> None:
        _send(sendable, world)
        with pytest.raises(ValidationError):
            services.referral_update(
                referral=sendable,
                actor=world.case_manager,
                data={"reason": "Changed"},
                opened_at=version_of(sendable),
            )


class TestContent:
    def test_the_reason_is_written_in_neutral_words(self, world: World, service: Any) -> None:
        with pytest.raises(ValidationError) as error:
            make_referral(
                world.case, world.case_manager, service=service, reason="Trafficking victim"
            )
        message = error.value.message_dict["reason"][0]
        assert "Trafficking" in message and "victim" in message

    def test_the_domain_must_be_one_the_service_offers(self, world: World, service: Any) -> None:
        with pytest.raises(ValidationError) as error:
            make_referral(world.case, world.case_manager, service=service, domain="legal")
        assert "domain" in error.value.message_dict

    def test_the_whole_file_goes_only_with_a_transfer(self, world: World, service: Any) -> None:
        with pytest.raises(ValidationError):
            make_referral(
                world.case, world.case_manager, service=service, information=["case_file"]
            )

    def test_a_closed_case_gets_no_new_referrals(self, world: World, service: Any) -> None:
        close_case(world.case, world.case_manager)
        with pytest.raises(ValidationError):
            make_referral(world.case, world.case_manager, service=service)


class TestDirectory:
    def test_printed_text_stays_neutral(self, world: World) -> None:
        provider = ProviderFactory()
        data = {
            "name": "Counselling",
            "domains": ["psychological"],
            "description": "Support for trafficked women",
            "country": "Testland",
        }
        with pytest.raises(ValidationError) as error:
            directory_services.service_save(actor=world.supervisor, provider=provider, data=data)
        assert "description" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            directory_services.provider_save(
                actor=world.supervisor, data={"name": "Victim Support Centre", "kind": "ngo"}
            )
        assert "printed_name" in error.value.message_dict
        saved = directory_services.provider_save(
            actor=world.supervisor,
            data={"name": "Victim Support Centre", "printed_name": "Support Centre", "kind": "ngo"},
        )
        assert saved.name_on_paper == "Support Centre"

    def test_only_supervisors_and_administrators_edit_it(self, world: World) -> None:
        with pytest.raises(ValidationError):
            directory_services.provider_save(
                actor=world.case_manager, data={"name": "X", "kind": "ngo"}
            )
        assert directory_services.provider_save(
            actor=world.administrator, data={"name": "X", "kind": "ngo"}
        ).pk


class TestUnmetNeeds:
    def test_record_and_meet(self, world: World) -> None:
        need = services.unmet_need_record(
            beneficiary=world.case,
            actor=world.case_manager,
            data={"domain": "housing", "barrier": "none_in_area", "recorded_on": TODAY()},
        )
        with pytest.raises(ValidationError):
            services.unmet_need_resolve(
                need=need, actor=world.case_manager, resolved_on=TODAY(), resolution=""
            )
        with pytest.raises(ValidationError):
            services.unmet_need_resolve(
                need=need,
                actor=world.case_manager,
                resolved_on=TODAY() - timedelta(days=1),
                resolution="Found one",
            )
        met = services.unmet_need_resolve(
            need=need, actor=world.case_manager, resolved_on=TODAY(), resolution="Found one"
        )
        assert met.resolved_on == TODAY()
