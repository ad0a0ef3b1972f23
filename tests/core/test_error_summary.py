"""The error summary on a refused form: one line per error, each a link to its field."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_a_refused_form_lists_each_error_with_a_link_to_its_field(
    client: Any, world: World
) -> None:
    client.force_login(world.case_manager)
    response = client.post(reverse("casework:intake"), {"first_name": "Lina"})

    assert response.status_code == 200
    html = response.content.decode()
    opening = html.rindex("<div", 0, html.index("data-error-summary"))
    summary = html[opening : html.index("</ul>", opening)]
    assert 'role="alert"' in summary
    assert 'tabindex="-1"' in summary
    assert 'href="#id_last_name"' in summary
    assert 'href="#id_sex"' in summary
    assert 'href="#id_first_name"' not in summary  # given, so not in error
    assert "error-summary.js" in html


def test_a_page_without_errors_has_no_summary(client: Any, world: World) -> None:
    client.force_login(world.case_manager)
    response = client.get(reverse("casework:intake"))
    assert "data-error-summary" not in response.content.decode()
