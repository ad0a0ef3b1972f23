from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments.choices import OutcomeDomain
from assessments.models import Assessment
from cases.models import CaseAccess
from tests.conftest import World
from tests.factories import opened

from .conftest import section


def _url(name: str, world: World, assessment: Assessment, *more: Any) -> str:
    return reverse(f"assessments:{name}", args=[world.case.public_id, assessment.public_id, *more])


def _section_url(world: World, assessment: Assessment, domain: str) -> str:
    return _url("section_edit", world, assessment, section(assessment, domain).public_id)


ANSWERS = {
    "needs": "Sleeps badly.",
    "priority": "high",
    "strengths": "Sister nearby",
    "complete": "on",
}


class TestSectionEditing:
    def test_the_psychologist_completes_their_section(
        self, client: Any, world: World, assessment: Assessment
    ) -> None:
        client.force_login(world.mdt)
        response = client.post(
            _section_url(world, assessment, "psychological"),
            ANSWERS | opened(section(assessment, "psychological")),
        )
        assert response.status_code == 302
        assert section(assessment, "psychological").completed_by == world.mdt

    def test_another_discipline_gets_403_on_a_section_not_theirs(
        self, client: Any, world: World, assessment: Assessment, doctor: User
    ) -> None:
        client.force_login(doctor)
        url = _section_url(world, assessment, "psychological")
        assert client.get(url).status_code == 403
        assert client.post(url, ANSWERS).status_code == 403
        assert not section(assessment, "psychological").is_done
        assert client.get(_section_url(world, assessment, "medical")).status_code == 200

    def test_a_missing_priority_is_shown_next_to_the_field(
        self, client: Any, world: World, assessment: Assessment
    ) -> None:
        client.force_login(world.mdt)
        response = client.post(
            _section_url(world, assessment, "psychological"), {**ANSWERS, "priority": ""}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["priority"] == [
            "Choose a priority before completing."
        ]

    def test_a_section_of_another_case_is_404(
        self, client: Any, world: World, assessment: Assessment
    ) -> None:
        from tests.factories import make_case

        other = make_case(case_manager=world.case_manager, first_name="Other").assessments.get()
        client.force_login(world.case_manager)
        url = reverse(
            "assessments:section_edit",
            args=[world.case.public_id, assessment.public_id, other.sections.first().public_id],
        )
        assert client.get(url).status_code == 404


class TestReading:
    def test_sensitive_sections_are_hidden_from_other_disciplines(
        self, client: Any, world: World, assessment: Assessment, doctor: User
    ) -> None:
        client.force_login(world.mdt)
        client.post(
            _section_url(world, assessment, "psychological"),
            {
                **ANSWERS,
                "needs": "Nightmares every night.",
                **opened(section(assessment, "psychological")),
            },
        )
        client.force_login(doctor)
        body = client.get(_url("detail", world, assessment)).content.decode()
        assert "Nightmares every night." not in body
        assert "Only the psychologist, the case manager and supervisors read this section." in body
        for reader in (world.case_manager, world.supervisor, world.mdt):
            client.force_login(reader)
            assert (
                "Nightmares every night."
                in client.get(_url("detail", world, assessment)).content.decode()
            )

    def test_every_view_is_in_the_access_log(
        self, client: Any, world: World, assessment: Assessment
    ) -> None:
        client.force_login(world.mdt)
        client.get(_url("detail", world, assessment))
        assert CaseAccess.objects.filter(user=world.mdt, what="detail").exists()


class TestCompletionFlow:
    def test_the_case_manager_scores_and_completes(
        self, client: Any, world: World, assessment: Assessment
    ) -> None:
        client.force_login(world.case_manager)
        complete = {
            "beneficiary_present": "yes",
            "beneficiary_views": "Wants training.",
            "summary": "Stable.",
        }
        response = client.post(_url("complete", world, assessment), complete)
        assert response.status_code == 200
        assert "These sections are not completed yet" in response.content.decode()

        for s in assessment.sections.all():
            client.post(_url("section_edit", world, assessment, s.public_id), ANSWERS | opened(s))
        scores = {f"score_{d}": "3" for d in OutcomeDomain.values}
        assert client.post(_url("scores", world, assessment), scores).status_code == 302
        assert client.post(_url("complete", world, assessment), complete).status_code == 302
        assessment.refresh_from_db()
        assert assessment.is_complete

        response = client.get(_section_url(world, assessment, "housing"))
        assert response.status_code == 302  # read-only now, back to the assessment with a message
        case_file = client.get(reverse("casework:detail", args=[world.case.public_id]))
        # The case file shows each domain's scores over time.
        rows = {row.domain: row.scores for row in case_file.context["score_rows"]}
        assert [s.score for s in rows[OutcomeDomain.SAFETY]] == [3]
        assert "Safe, satisfactory and affordable accommodation" in case_file.content.decode()

    def test_scores_must_all_be_given(
        self, client: Any, world: World, assessment: Assessment
    ) -> None:
        client.force_login(world.case_manager)
        response = client.post(_url("scores", world, assessment), {"score_safety": "9"})
        assert response.status_code == 200
        assert not assessment.scores.exists()

    def test_starting_a_review_while_one_is_open_is_refused(
        self, client: Any, world: World, assessment: Assessment
    ) -> None:
        client.force_login(world.case_manager)
        response = client.post(
            reverse("assessments:start", args=[world.case.public_id]), {"reason": "Setback"}
        )
        assert response.status_code == 200
        assert (
            "Complete the open assessment before starting a new one." in response.content.decode()
        )


class TestMine:
    def test_it_lists_my_open_sections_with_links(
        self, client: Any, world: World, assessment: Assessment
    ) -> None:
        client.force_login(world.mdt)
        response = client.get(reverse("assessments:mine"))
        body = response.content.decode()
        assert world.case.case_code in body
        assert _section_url(world, assessment, "psychological") in body
        assert "Medical care" not in body

    def test_overdue_is_marked(self, client: Any, world: World, assessment: Assessment) -> None:
        client.force_login(world.mdt)
        assert assessment.is_overdue  # the world's case was admitted 20 days ago
        assert "overdue" in client.get(reverse("assessments:mine")).content.decode()


def test_a_childs_section_asks_for_the_childs_own_words(
    client: Any, world: World, assessment: Assessment
) -> None:
    client.force_login(world.case_manager)
    url = _section_url(world, assessment, "housing")
    assert "In the person&#x27;s own words" in client.get(url).content.decode()
    world.case.date_of_birth = timezone.localdate() - timedelta(days=12 * 365)
    world.case.save()
    assert "In the child&#x27;s own words" in client.get(url).content.decode()
