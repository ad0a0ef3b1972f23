from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.conftest import World


def test_case_pages_are_never_cached(client: Any, world: World) -> None:
    client.force_login(world.case_manager)
    response = client.get(reverse("casework:detail", args=[world.case.public_id]))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_every_page_limits_what_it_may_load(client: Any, db: None) -> None:
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
