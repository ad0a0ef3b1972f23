"""The case pages' links (`casework/templatetags/case_urls.py`): reversed once per process with
stand-in ids, they must give exactly the addresses `{% url %}` gives."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from casework.templatetags.case_urls import case_url
from tests.conftest import World


def test_the_same_address_as_reverse_for_one_two_and_three_ids() -> None:
    case, part = uuid.uuid4(), uuid.uuid4()
    assert case_url("casework:detail", case) == reverse("casework:detail", args=[case])
    assert case_url("cases:document_edit", case, part) == reverse(
        "cases:document_edit", args=[case, part]
    )
    # The same pattern, other ids: nothing of the first case stays in the address.
    other = uuid.uuid4()
    assert case_url("casework:detail", other) == reverse("casework:detail", args=[other])
    assert str(case) not in case_url("casework:detail", other)


def test_arguments_that_are_not_public_ids_go_through_reverse() -> None:
    assert case_url("casework:intake") == reverse("casework:intake")
    with pytest.raises(NoReverseMatch):
        case_url("casework:detail", "not-a-uuid")


def test_the_script_prefix_of_the_request_is_kept() -> None:
    case = uuid.uuid4()
    try:
        set_script_prefix("/office/")
        assert case_url("casework:detail", case) == f"/office/cases/{case}/"
    finally:
        set_script_prefix("/")
    assert case_url("casework:detail", case) == f"/cases/{case}/"


@pytest.mark.django_db
def test_the_case_file_links_to_the_pages_of_its_own_case(client: Any, world: World) -> None:
    client.force_login(world.case_manager)
    page = client.get(reverse("casework:detail", args=[world.case.public_id])).content.decode()
    for name in ("cases:team", "cases:history", "monitoring:contact_add", "cases:profile_edit"):
        assert f'href="{reverse(name, args=[world.case.public_id])}"' in page
    # Every stand-in id was replaced.
    assert not re.search(r"00000000-0000-0000-0000-00000000000\d", page)
