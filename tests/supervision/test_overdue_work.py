"""The supervisors' overdue work: every overdue item of the organisation's active cases, one
row each, most overdue first, with totals, filters, paging and bulk reassignment."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assessments.models import Assessment
from cases import services as case_services
from cases.models import CaseReview, SafetyPlan, TeamMembership
from plans.models import Task
from supervision import views as supervision_views
from supervision.overdue import overdue_work
from tests.cases.test_hostile_input import NONSENSE
from tests.conftest import World
from tests.factories import UserFactory, close_case, make_case, make_plan_task

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
URL = "/supervision/overdue/"


def _days_ago(days: int) -> date:
    return TODAY() - timedelta(days=days)


@pytest.fixture
def work(world: World) -> dict[str, Any]:
    """Two case managers' cases with every kind of overdue item, each date known.

    - first (worker A, high security risk, admitted 40 days ago, never contacted): follow-up
      due 33 days ago, needs assessment 26 days ago, first signed plan 10 days ago, a plan
      task 2 days ago.
    - second (worker B, re-trafficking risk raised, transition, admitted 5 days ago and
      contacted): safety-plan review 3 days ago, case review 4 days ago; its assessment
      is not yet due.
    - the world's case (admitted 20 days ago, never contacted): follow-up 13 days ago,
      assessment 6 days ago.
    - closed, and another organisation's: nothing of them is listed.
    """
    a = UserFactory(username="wa", first_name="Alba", organisation=world.org)
    b = UserFactory(username="wb", first_name="Besa", organisation=world.org)
    first = make_case(
        case_manager=a, first_name="First", admitted_on=_days_ago(40), security_risk="high"
    )
    task = make_plan_task(first, a, assigned_to=a, description="Visit the training centre")
    Task.objects.filter(pk=task.pk).update(due_on=_days_ago(2))
    second = make_case(case_manager=b, first_name="Second", admitted_on=_days_ago(5))
    case_services.stage_change(
        beneficiary=second, actor=b, to_stage="transition", changed_on=TODAY(), reason="On"
    )
    from monitoring import services as monitoring_services

    monitoring_services.contact_log(
        beneficiary=second,
        actor=b,
        data={"occurred_at": timezone.now(), "kind": "office_visit", "summary": "Met."},
    )
    case_services.risk_flag_raise(
        beneficiary=second,
        actor=b,
        indicators=["exploiter_contact"],
        reason="Calls at night.",
        raised_on=TODAY(),
    )
    plan = case_services.safety_plan_record(
        beneficiary=second,
        actor=b,
        data={
            "safe_places": "The shelter.",
            "code_word": "Sunflower",
            "what_to_do": "Call the on-call worker.",
            "agreed_on": second.admitted_on,
            "review_on": TODAY(),
        },
    )
    SafetyPlan.objects.filter(pk=plan.pk).update(review_on=_days_ago(3))
    review = case_services.case_review_plan(beneficiary=second, actor=b, due_on=TODAY())
    CaseReview.objects.filter(pk=review.pk).update(due_on=_days_ago(4))
    closed = make_case(case_manager=a, first_name="Closed", admitted_on=_days_ago(60))
    close_case(closed, a)
    theirs = make_case(
        case_manager=UserFactory(organisation=world.other_org), admitted_on=_days_ago(60)
    )
    return {"a": a, "b": b, "first": first, "second": second, "closed": closed, "theirs": theirs}


def _rows(items: Any) -> list[tuple[str, str, int]]:
    return [(i.kind, i.case.first_name, i.days_overdue) for i in items]


EVERYTHING = [
    ("contact", "First", 33),
    ("assessment", "First", 26),
    ("contact", "Ana", 13),  # the world's case
    ("plan", "First", 10),
    ("assessment", "Ana", 6),
    ("case_review", "Second", 4),
    ("safety_plan", "Second", 3),
    ("task", "First", 2),
]


def test_every_overdue_item_one_row_each_most_overdue_first(world: World, work: dict) -> None:
    items = overdue_work(world.org.pk)
    assert _rows(items) == EVERYTHING
    task = next(i for i in items if i.kind == "task")
    assert task.detail == "Visit the training centre"
    assert task.due_on == _days_ago(2) and task.anchor == "plan"
    assert next(i for i in items if i.kind == "assessment").detail == "Initial assessment"
    assert overdue_work(world.other_org.pk)[0].case.pk == work["theirs"].pk


def _page(client: Any, user: Any, **query: str) -> Any:
    client.force_login(user)
    response = client.get(URL, query)
    assert response.status_code == 200
    return response


class TestThePage:
    def test_totals_per_kind_and_the_rows(self, client: Any, world: World, work: dict) -> None:
        response = _page(client, world.supervisor)
        assert {key: n for key, _label, n in response.context["totals"]} == {
            "contact": 2,
            "assessment": 2,
            "plan": 1,
            "task": 1,
            "safety_plan": 1,
            "case_review": 1,
        }
        assert response.context["total"] == 8
        body = response.content.decode()
        assert "8 items" in body and "Safety-plan reviews: 1" in body
        detail = reverse("casework:detail", args=[work["first"].public_id])
        assert f'href="{detail}#follow-up">{work["first"].case_code}<' in body
        assert "Alba" in body and "Besa" in body  # the case managers
        assert "high risk" in body and "re-trafficking risk" in body
        assert work["closed"].case_code not in body and work["theirs"].case_code not in body

    def test_filters(self, client: Any, world: World, work: dict) -> None:
        def rows(**query: str) -> list[tuple[str, str, int]]:
            return _rows(_page(client, world.supervisor, **query).context["page"])

        assert rows(worker=str(work["a"].pk)) == [r for r in EVERYTHING if r[1] == "First"]
        assert rows(stage="transition") == [r for r in EVERYTHING if r[1] == "Second"]
        assert rows(risk="high") == [r for r in EVERYTHING if r[1] == "First"]
        assert rows(risk="retrafficking") == [r for r in EVERYTHING if r[1] == "Second"]
        assert rows(risk="either") == [r for r in EVERYTHING if r[1] != "Ana"]
        assert rows(kind="contact") == [r for r in EVERYTHING if r[0] == "contact"]
        assert rows(kind="assessment", worker=str(work["a"].pk)) == [("assessment", "First", 26)]
        # The totals follow the other filters, not the kind: they are the kind's links.
        response = _page(client, world.supervisor, worker=str(work["b"].pk), kind="task")
        assert response.context["total"] == 2
        assert list(response.context["page"]) == []
        body = response.content.decode()
        assert f'href="?worker={work["b"].pk}&amp;kind=safety_plan"' in body
        assert 'aria-current="page">Plan tasks: 0<' in body
        # Cases without a case manager.
        TeamMembership.objects.filter(beneficiary=work["second"]).update(ended_on=TODAY())
        assert rows(worker="none") == [r for r in EVERYTHING if r[1] == "Second"]

    def test_paged_with_the_filters_kept(
        self, client: Any, world: World, work: dict, monkeypatch: Any
    ) -> None:
        monkeypatch.setattr(supervision_views, "OVERDUE_PAGE_SIZE", 3)
        seen: list[tuple[str, str, int]] = []
        for number in ("1", "2"):
            response = _page(client, world.supervisor, risk="either", page=number)
            seen += _rows(response.context["page"])
        assert not response.context["page"].has_next()
        assert seen == [r for r in EVERYTHING if r[1] != "Ana"]
        body = _page(client, world.supervisor, risk="either").content.decode()
        assert "?risk=either&amp;page=2" in body

    @pytest.mark.parametrize("kind", list(NONSENSE))
    def test_nonsense_in_the_address_shows_the_list(
        self, client: Any, world: World, work: dict, kind: str
    ) -> None:
        text = NONSENSE[kind]
        query = {"worker": text, "stage": text, "risk": text, "kind": text, "page": text}
        response = _page(client, world.supervisor, **query)
        assert response.context["total"] == len(EVERYTHING)
        assert "<script>alert(1)</script>" not in response.content.decode()

    def test_reached_from_the_menu_and_the_review(self, client: Any, world: World) -> None:
        body = _page(client, world.supervisor).content.decode()
        assert f'href="{URL}"' in body  # the Supervision menu
        review = client.get(reverse("supervision:review")).content.decode()
        assert f'href="{URL}?kind=contact"' in review and f'href="{URL}"' in review


def test_only_the_organisations_supervisors(client: Any, world: World, work: dict) -> None:
    assert reverse("supervision:overdue") == URL
    for persona in (world.case_manager, world.mdt, world.colleague, world.administrator):
        client.force_login(persona)
        assert client.get(URL).status_code == 403
    body = _page(client, world.outsider).content.decode()  # the other organisation's
    assert work["theirs"].case_code in body
    assert work["first"].case_code not in body and world.case.case_code not in body


class TestBulkReassignment:
    def test_ticked_cases_go_to_another_case_manager_at_once(
        self, client: Any, world: World, work: dict
    ) -> None:
        client.force_login(world.supervisor)
        back = f"{URL}?risk=either&page=1"
        page = client.get(back).content.decode()
        assert f'action="{reverse("supervision:reassign")}"' in page
        assert f'name="back" value="{back.replace("&", "&amp;")}"' in page
        first, second = work["first"], work["second"]
        response = client.post(
            reverse("supervision:reassign"),
            {
                # Two rows of the first case ticked: one case.
                "cases": [str(first.public_id), str(first.public_id), str(second.public_id)],
                "new_manager": world.colleague.pk,
                "handover_on": TODAY().isoformat(),
                "note": "Alba and Besa are on leave.",
                "back": back,
            },
            follow=True,
        )
        assert response.redirect_chain == [(back, 302)]
        assert "2 cases reassigned to" in response.content.decode()
        for case in (first, second):
            managers = TeamMembership.objects.filter(beneficiary=case, role="case_manager")
            assert managers.get(ended_on=None).user == world.colleague
        # The list follows at once.
        rows = _page(client, world.supervisor, worker=str(world.colleague.pk)).context["page"]
        assert {i.case.pk for i in rows} == {first.pk, second.pk}

    def test_nothing_moves_when_one_case_cannot(
        self, client: Any, world: World, work: dict
    ) -> None:
        client.force_login(world.supervisor)
        response = client.post(
            reverse("supervision:reassign"),
            {
                "cases": [str(work["first"].public_id), str(work["second"].public_id)],
                "new_manager": work["a"].pk,  # already manages the first
                "handover_on": TODAY().isoformat(),
                "note": "Rebalancing",
                "back": URL,
            },
            follow=True,
        )
        assert work["first"].case_code in response.content.decode()  # says which case
        second = TeamMembership.objects.get(
            beneficiary=work["second"], role="case_manager", ended_on=None
        )
        assert second.user == work["b"]

    def test_a_case_of_another_organisation_is_refused(
        self, client: Any, world: World, work: dict
    ) -> None:
        client.force_login(world.supervisor)
        response = client.post(
            reverse("supervision:reassign"),
            {
                "cases": [str(work["first"].public_id), str(work["theirs"].public_id)],
                "new_manager": world.colleague.pk,
                "handover_on": TODAY().isoformat(),
                "note": "Mine now",
                "back": URL,
            },
            follow=True,
        )
        assert response.redirect_chain == [(URL, 302)]
        assert "Select a valid choice" in response.content.decode()
        assert not TeamMembership.objects.filter(user=world.colleague).exists()


def test_the_list_reads_in_constant_queries(client: Any, world: World) -> None:
    client.force_login(world.supervisor)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"risk": "either"}).status_code == 200
        return len(captured)

    def grow(n: int) -> None:
        for i in range(n):
            worker = UserFactory(organisation=world.org, role=Role.CASE_WORKER)
            case = make_case(
                case_manager=worker,
                first_name=f"P{i}",
                security_risk="high",
                admitted_on=_days_ago(45),
            )
            task = make_plan_task(case, worker, assigned_to=worker)
            Task.objects.filter(pk=task.pk).update(due_on=_days_ago(1))
            Assessment.objects.filter(beneficiary=case).update(due_on=_days_ago(3))
            review = case_services.case_review_plan(beneficiary=case, actor=worker, due_on=TODAY())
            CaseReview.objects.filter(pk=review.pk).update(due_on=_days_ago(4))

    grow(1)
    few = count()
    grow(6)
    assert count() == few
