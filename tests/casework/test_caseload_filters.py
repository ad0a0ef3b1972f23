"""The caseload's filter selects (`casework.forms.PlainSelect`), written out in Python: the
options and the choice Django's own select would show."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.urls import reverse

from casework.forms import PlainSelect
from tests.conftest import World

CHOICES = [("", "Any"), ("a", "A & co"), ("b", "B"), ("b", "B again")]


def _options(html: str) -> list[tuple[str, bool, str]]:
    found = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)
    return [(value, bool(selected), label) for value, selected, label in found]


@pytest.mark.parametrize("value", [None, "", "a", "b", "nothing of the kind"])
def test_the_same_options_and_choice_as_django_select(value: Any) -> None:
    plain = PlainSelect(attrs={"class": "form-select"}, choices=CHOICES)
    django_select = forms.Select(attrs={"class": "form-select"}, choices=CHOICES)
    html = plain.render("stage", value, {"id": "id_stage"})
    assert html.startswith('<select name="stage" class="form-select" id="id_stage">')
    assert _options(html) == _options(django_select.render("stage", value, {"id": "id_stage"}))
    assert "A &amp; co" in html


def test_only_the_first_option_of_a_value_is_chosen() -> None:
    html = PlainSelect(choices=CHOICES).render("stage", "b", {})
    assert [selected for _, selected, _ in _options(html)] == [False, False, True, False]


def test_option_groups_are_left_to_django() -> None:
    grouped = [("", "Any"), ("Group", [("a", "A"), ("b", "B")])]
    html = PlainSelect(choices=grouped).render("stage", "b", {})
    assert '<optgroup label="Group">' in html
    assert ("b", True, "B") in _options(html)


@pytest.mark.django_db
def test_the_case_manager_filter_keeps_its_choice(client: Any, world: World) -> None:
    client.force_login(world.supervisor)
    page = client.get(
        reverse("casework:caseload") + f"?case_manager={world.case_manager.pk}"
    ).content.decode()
    select = re.search(r'<select name="case_manager".*?</select>', page, flags=re.S)
    assert select is not None
    assert (str(world.case_manager.pk), True, str(world.case_manager)) in _options(select[0])
    assert 'id="id_case_manager"' in select[0]
