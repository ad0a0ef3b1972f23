from __future__ import annotations

from typing import Any

from django.urls import reverse

from cases.models import CaseAccess
from tests.conftest import World
from tests.factories import make_case

URL = reverse("supervision:organisation_access_log")


class TestOrganisationAccessLog:
    def test_it_lists_accesses_to_the_organisations_cases_by_staff_member(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.mdt)
        client.get(reverse("casework:detail", args=[world.case.public_id]))
        client.force_login(world.supervisor)

        response = client.get(URL, {"user": world.mdt.pk})

        assert response.status_code == 200
        rows = response.context["rows"]
        assert [(r.user, r.beneficiary, r.action) for r in rows] == [
            (world.mdt, world.case, "view_file")
        ]
        assert world.case.case_code in response.content.decode()

    def test_it_leaves_out_other_organisations(self, client: Any, world: World) -> None:
        foreign_manager = world.outsider
        foreign_case = make_case(case_manager=foreign_manager, first_name="Far", last_name="Away")
        client.force_login(foreign_manager)
        client.get(reverse("casework:detail", args=[foreign_case.public_id]))
        assert CaseAccess.objects.filter(beneficiary=foreign_case).exists()
        client.force_login(world.supervisor)

        response = client.get(URL)

        assert foreign_case.case_code not in response.content.decode()

    def test_it_is_for_supervisors_and_administrators(self, client: Any, world: World) -> None:
        for user in (world.case_manager, world.mdt, world.colleague):
            client.force_login(user)
            assert client.get(URL).status_code == 403

    def test_administrators_review_it_without_reaching_case_files(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.mdt)
        client.get(reverse("casework:detail", args=[world.case.public_id]))
        client.force_login(world.administrator)
        html = client.get(URL).content.decode()
        assert world.case.case_code in html and str(world.mdt) in html
        assert str(world.case.public_id) not in html  # no link into the case
        assert world.case.first_name not in html

    def test_a_user_of_another_organisation_cannot_be_chosen(
        self, client: Any, world: World
    ) -> None:
        client.force_login(world.supervisor)
        response = client.get(URL, {"user": world.outsider.pk})
        assert response.status_code == 200
        assert "user" in response.context["form"].errors
