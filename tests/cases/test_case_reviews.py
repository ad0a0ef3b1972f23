"""Multidisciplinary case reviews (issue 17): setting a complex factor asks the team for one;
the team records who took part, what was decided and when it reviews again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Beneficiary, CaseReview
from cases.selectors import case_history_for
from core.records import VERSION_FIELD, version_of
from monitoring import reminders
from notifications.models import Notification, NotificationKind
from supervision import review as supervision_review
from tests.conftest import World
from tests.factories import close_case, make_case
from tests.html_forms import form_values

TODAY = timezone.localdate
WITHIN = timedelta(days=settings.CASE_REVIEW_WITHIN_DAYS)


def _set_factors(world: World, factors: list[str], case: Beneficiary | None = None) -> None:
    case = case or world.case
    case.refresh_from_db()
    services.beneficiary_update(
        beneficiary=case,
        actor=world.case_manager,
        profile={"complex_factors": factors},
        opened_at=version_of(case),
    )


def _pending(case: Beneficiary) -> CaseReview:
    return CaseReview.objects.get(beneficiary=case, held_on__isnull=True)


def _record(review: CaseReview, actor: Any, **fields: Any) -> CaseReview:
    data = {
        "held_on": TODAY(),
        "participants": "Case manager; psychologist; the person",
        "decisions": "Weekly sessions with the psychologist; look for a quieter shelter.",
        "next_review_on": None,
        **fields,
    }
    return services.case_review_record(
        review=review, actor=actor, opened_at=version_of(review), **data
    )


class TestAskedFor:
    def test_a_case_registered_with_factors_asks_for_a_review(self, world: World) -> None:
        case = make_case(
            case_manager=world.case_manager, complex_factors=["disability", "no_documents"]
        )
        review = _pending(case)
        assert review.factors == ["disability", "no_documents"]
        assert review.due_on == TODAY() + WITHIN
        assert not CaseReview.objects.filter(beneficiary=world.case).exists()

    def test_a_factor_newly_set_asks_unchanged_factors_do_not(self, world: World) -> None:
        _set_factors(world, ["pregnancy"])
        review = _pending(world.case)
        assert review.factors == ["pregnancy"]
        versions = review.history.count()
        _set_factors(world, ["pregnancy"])  # saved again, nothing new
        _set_factors(world, [])  # a factor taken off asks for nothing
        assert _pending(world.case).history.count() == versions
        assert CaseReview.objects.filter(beneficiary=world.case).count() == 1

    def test_new_factors_join_the_review_already_pending(self, world: World) -> None:
        _set_factors(world, ["pregnancy"])
        with time_machine.travel(TODAY() + timedelta(days=5), tick=False):
            _set_factors(world, ["pregnancy", "suicide_risk", "severe_trauma"])
        review = _pending(world.case)
        assert review.factors == ["pregnancy", "suicide_risk", "severe_trauma"]
        assert review.due_on == TODAY() + WITHIN  # the earlier date stands
        assert CaseReview.objects.filter(beneficiary=world.case).count() == 1

    def test_a_new_factor_brings_a_later_planned_review_forward(self, world: World) -> None:
        planned = services.case_review_plan(
            beneficiary=world.case, actor=world.case_manager, due_on=TODAY() + timedelta(days=90)
        )
        _set_factors(world, ["security"])
        planned.refresh_from_db()
        assert (planned.due_on, planned.factors) == (TODAY() + WITHIN, ["security"])

    def test_through_the_profile_form(self, client: Any, world: World) -> None:
        """The form puts the factors on the case before the service sees it: the service
        still tells the new ones from those stored."""
        url = reverse("cases:profile_edit", args=[world.case.public_id])
        client.force_login(world.case_manager)
        values = form_values(client.get(url).content.decode(), VERSION_FIELD)
        values["complex_factors"] = ["domestic_violence", "cannot_return"]
        assert client.post(url, values).status_code == 302
        assert _pending(world.case).factors == ["domestic_violence", "cannot_return"]
        values = form_values(client.get(url).content.decode(), VERSION_FIELD)
        values["alias"] = ["Mimi"]
        assert client.post(url, values).status_code == 302
        assert _pending(world.case).history.count() == 1

    def test_a_closed_case_is_not_reviewed(self, world: World) -> None:
        close_case(world.case, world.case_manager)
        _set_factors(world, ["lgbtqi"])
        assert not CaseReview.objects.filter(beneficiary=world.case).exists()


class TestRecorded:
    def test_who_took_part_what_was_decided_and_the_next_review(self, world: World) -> None:
        _set_factors(world, ["substance_abuse"])
        review = _record(
            _pending(world.case), world.mdt, next_review_on=TODAY() + timedelta(days=60)
        )
        assert (review.held_on, review.recorded_by) == (TODAY(), world.mdt)
        following = _pending(world.case)
        assert (following.due_on, following.factors) == (TODAY() + timedelta(days=60), [])
        # Correcting the held review without moving its next date plans nothing more.
        _record(review, world.case_manager, next_review_on=TODAY() + timedelta(days=60))
        assert CaseReview.objects.filter(beneficiary=world.case).count() == 2
        review.refresh_from_db()
        assert review.recorded_by == world.mdt

    def test_a_next_review_date_brings_a_later_pending_one_forward(self, world: World) -> None:
        _set_factors(world, ["security"])
        first = _record(_pending(world.case), world.mdt, next_review_on=TODAY() + timedelta(60))
        _set_factors(world, ["security", "pregnancy"])
        pending = _pending(world.case)
        assert pending.due_on == TODAY() + WITHIN
        _record(first, world.case_manager, next_review_on=TODAY() + timedelta(days=3))
        pending.refresh_from_db()
        assert pending.due_on == TODAY() + timedelta(days=3)
        assert pending.factors == ["pregnancy"]

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"held_on": None}, "held_on"),
            ({"participants": "  "}, "participants"),
            ({"decisions": ""}, "decisions"),
            ({"held_on": TODAY() + timedelta(days=1)}, "held_on"),
            ({"held_on": TODAY() - timedelta(days=400)}, "held_on"),  # before admission
            ({"next_review_on": TODAY()}, "next_review_on"),
            ({"next_review_on": TODAY() - timedelta(days=1)}, "next_review_on"),
        ],
    )
    def test_the_rules(self, world: World, fields: dict[str, Any], field: str) -> None:
        _set_factors(world, ["security"])
        with pytest.raises(ValidationError) as refused:
            _record(_pending(world.case), world.mdt, **fields)
        assert field in refused.value.message_dict
        assert _pending(world.case).held_on is None

    def test_not_on_a_closed_case(self, world: World) -> None:
        _set_factors(world, ["security"])
        close_case(world.case, world.case_manager)
        with pytest.raises(ValidationError, match="closed"):
            _record(_pending(world.case), world.mdt)

    def test_through_the_page_by_the_mdt_member(self, client: Any, world: World) -> None:
        _set_factors(world, ["mental_health"])
        review = _pending(world.case)
        url = reverse("cases:case_review_record", args=[world.case.public_id, review.public_id])
        client.force_login(world.mdt)
        values = form_values(client.get(url).content.decode(), VERSION_FIELD)
        assert values["held_on"] == [TODAY().isoformat()]
        refused = client.post(url, {**values, "participants": "", "decisions": ""})
        assert refused.status_code == 200
        assert set(refused.context["form"].errors) == {"participants", "decisions"}
        values.update(
            participants=["Case manager, psychologist"],
            decisions=["Therapy twice a week."],
            next_review_on=[(TODAY() + timedelta(days=30)).isoformat()],
        )
        response = client.post(url, values)
        assert response.status_code == 302
        assert response["Location"].endswith("#case-reviews")
        review.refresh_from_db()
        assert review.decisions == "Therapy twice a week." and not review.is_pending
        refused = client.post(url, {**values, "next_review_on": TODAY().isoformat()})
        assert "next_review_on" in refused.context["form"].errors


class TestPlanned:
    def test_the_case_manager_plans_one_when_none_is_pending(self, world: World) -> None:
        planned = services.case_review_plan(
            beneficiary=world.case, actor=world.case_manager, due_on=TODAY() + timedelta(days=10)
        )
        assert (planned.factors, planned.is_pending) == ([], True)
        with pytest.raises(ValidationError, match="already due"):
            services.case_review_plan(
                beneficiary=world.case, actor=world.case_manager, due_on=TODAY()
            )

    @pytest.mark.parametrize("days", [-1, 400])
    def test_not_in_the_past_nor_years_ahead(self, world: World, days: int) -> None:
        with pytest.raises(ValidationError) as refused:
            services.case_review_plan(
                beneficiary=world.case,
                actor=world.case_manager,
                due_on=TODAY() + timedelta(days=days),
            )
        assert "due_on" in refused.value.message_dict

    def test_through_the_page(self, client: Any, world: World) -> None:
        url = reverse("cases:case_review_plan", args=[world.case.public_id])
        client.force_login(world.case_manager)
        due = (TODAY() + timedelta(days=20)).isoformat()
        assert client.post(url, {"due_on": due}).status_code == 302
        again = client.post(url, {"due_on": due})
        assert again.status_code == 200 and "due_on" in again.context["form"].errors
        client.force_login(world.mdt)
        assert client.post(url, {"due_on": due}).status_code == 403


class TestShown:
    def test_the_case_file_box(self, client: Any, world: World) -> None:
        _set_factors(world, ["suicide_risk"])
        client.force_login(world.mdt)
        url = reverse("casework:detail", args=[world.case.public_id])
        page = client.get(url).content.decode()
        assert 'id="case-reviews"' in page
        assert "Prompted by: Risk of suicide or self-harm" in page
        assert f"review due by {(TODAY() + WITHIN):%d %b %Y}" in page
        assert "Plan a case review" not in page  # one is pending; planning is the manager's
        _record(_pending(world.case), world.mdt, next_review_on=TODAY() + timedelta(days=2))
        with time_machine.travel(TODAY() + timedelta(days=5), tick=False):
            client.force_login(world.mdt)
            page = client.get(url).content.decode()
        assert "review overdue since" in page and "border-danger" in page
        assert "Took part: Case manager; psychologist; the person" in page
        assert "Weekly sessions with the psychologist" in page
        assert f"Next review: {(TODAY() + timedelta(days=2)):%d %b %Y}" in page

    def test_the_manager_is_offered_to_plan_one(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        page = client.get(reverse("casework:detail", args=[world.case.public_id]))
        assert "No case review yet." in page.content.decode()
        assert reverse("cases:case_review_plan", args=[world.case.public_id]) in (
            page.content.decode()
        )

    def test_the_change_history_keeps_them(self, world: World) -> None:
        _set_factors(world, ["security"])
        _record(_pending(world.case), world.mdt)
        records = {entry.record for entry in case_history_for(world.case)}
        assert "Case review" in records

    def test_my_follow_ups_lists_those_due_within_a_week(self, client: Any, world: World) -> None:
        _set_factors(world, ["security"])
        client.force_login(world.case_manager)
        url = reverse("monitoring:my_follow_ups")
        assert client.get(url).context["case_reviews"] == []
        with time_machine.travel(TODAY() + WITHIN - timedelta(days=3), tick=False):
            client.force_login(world.case_manager)
            assert [r.beneficiary for r in client.get(url).context["case_reviews"]] == [world.case]
        with time_machine.travel(TODAY() + WITHIN + timedelta(days=3), tick=False):
            client.force_login(world.case_manager)
            page = client.get(url)
        assert "overdue since" in page.content.decode()
        client.force_login(world.mdt)  # only the case manager's list
        assert client.get(url).context["case_reviews"] == []

    def test_the_supervisors_review_marks_the_overdue(self, world: World) -> None:
        _set_factors(world, ["security"])
        assert not supervision_review.active_cases(world.org.pk)[0].case_review_overdue
        later = TODAY() + WITHIN + timedelta(days=1)
        with time_machine.travel(later, tick=False):
            cases = supervision_review.active_cases(world.org.pk)
            assert cases[0].case_review_overdue
            assert supervision_review.cases_behind("case_review", cases) == cases

    def test_the_case_file_stays_constant_in_queries(self, client: Any, world: World) -> None:
        client.force_login(world.case_manager)
        url = reverse("casework:detail", args=[world.case.public_id])

        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        _set_factors(world, ["security"])
        review = _record(_pending(world.case), world.mdt, next_review_on=TODAY() + timedelta(1))
        few = count()
        for n in range(5):
            review = _record(
                _pending(world.case),
                world.mdt if n % 2 else world.case_manager,
                next_review_on=TODAY() + timedelta(days=n + 2),
            )
        assert review.held_on and count() == few


class TestReminder:
    def _overdue_scan(self, days: int = 1) -> None:
        with time_machine.travel(TODAY() + WITHIN + timedelta(days=days), tick=False):
            reminders.scan()

    def test_the_case_manager_is_reminded_once_then_the_supervisors(self, world: World) -> None:
        _set_factors(world, ["security"])
        with time_machine.travel(TODAY() + WITHIN, tick=False):
            reminders.scan()  # due today: not overdue yet
        assert not Notification.objects.filter(kind=NotificationKind.CASE_REVIEW_DUE).exists()
        self._overdue_scan()
        self._overdue_scan(days=2)  # a day later: the same reminder, not another
        sent = Notification.objects.get(kind=NotificationKind.CASE_REVIEW_DUE)
        assert (sent.recipient, sent.beneficiary, sent.escalated) == (
            world.case_manager,
            world.case,
            False,
        )
        assert sent.url.endswith(f"/{world.case.public_id}/#case-reviews")
        assert world.case.first_name not in sent.text
        self._overdue_scan(days=settings.REMINDER_ESCALATION_DAYS + 1)
        escalated = Notification.objects.filter(
            kind=NotificationKind.CASE_REVIEW_DUE, escalated=True
        )
        assert [n.recipient for n in escalated] == [world.supervisor]

    def test_held_or_closed_reviews_are_not_reminded(self, world: World) -> None:
        _set_factors(world, ["security"])
        _record(_pending(world.case), world.mdt)
        other = make_case(case_manager=world.case_manager, complex_factors=["pregnancy"])
        close_case(other, world.case_manager)
        self._overdue_scan()
        assert not Notification.objects.filter(kind=NotificationKind.CASE_REVIEW_DUE).exists()
