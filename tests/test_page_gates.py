"""Every page outside case files declares who may open it.

The URLconf is walked, so a page added later is checked without being listed: each named
URL is a case page (`case_view`, covered by tests/cases/test_access_matrix.py), a page
behind `role_required` (checked here against every role), or on the short list below of
pages for anyone logged in, with the reason. A new page that is none of these fails.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from accounts.models import Role
from tests.cases.test_access_matrix import _walk
from tests.conftest import World

# Pages for everyone, logged in or not.
PUBLIC = {
    "login": "where a login starts",
    "logout": "ends a login; nothing to show",
    "set_language": "the language switcher, on the login page too",
    "health": "polled by the proxy and the orchestrator; says only whether services answer",
}

# Pages for anyone logged in, whatever their role, and why.
ANY_STAFF = {
    "home": "sends each person to their own work",
    "still_here": "keeps a login alive while someone types",
    "two_step_verify": "the second step of every login",
    "two_step_set_up": "every member of staff sets up their own phone",
    "password_change": "everyone's own password",
    "login_security": "everyone's own login security",
    "logins_elsewhere_end": "everyone's own logins",
    "reminder_emails": "everyone's own choice of reminder e-mails",
    "two_step_backup_codes": "everyone's own backup codes",
    "two_step_remove": "everyone's own phone",
    "casework:caseload": "each person's visible cases; the visibility rule decides which",
    "notifications:inbox": "each person's own notifications",
    "notifications:read": "each person's own notifications",
    "assessments:mine": "each person's own assessment sections",
    "plans:my_tasks": "each person's own plan tasks, on the cases they may see",
    "monitoring:my_follow_ups": "each person's own follow-ups",
    "referrals:mine": "each person's own referrals",
    "directory:directory": "every member of staff looks for services",
    "directory:handout": "every member of staff prints a handout (it holds no case data)",
    "directory:providers": "every member of staff reads the directory",
    "directory:provider": "every member of staff reads the directory",
    "directory:service": "every member of staff reads the directory",
}

# The role of each persona of the test world (tests/conftest.py).
PERSONA_ROLES = {
    "case_manager": Role.CASE_WORKER,
    "mdt": Role.MDT_MEMBER,
    "supervisor": Role.SUPERVISOR,
    "administrator": Role.ADMINISTRATOR,
}


def pages_outside_case_files() -> list[tuple[str, URLPattern]]:
    return [
        (name, pattern)
        for name, pattern in _walk(get_resolver().url_patterns)
        if "case_id" not in pattern.all_converters and not name.startswith("admin:")
    ]


def _url(name: str, pattern: URLPattern) -> str:
    """The page's address, with made-up ids: the gate answers before any lookup."""
    kwargs: dict[str, Any] = {
        parameter: "report" if converter.__class__.__name__ == "SlugConverter" else uuid.uuid4()
        for parameter, converter in pattern.pattern.converters.items()
    }
    return reverse(name, kwargs=kwargs)


def _status(client: Client, url: str) -> int:
    """GET, or POST for a page that takes only submissions."""
    status = client.get(url).status_code
    return client.post(url).status_code if status == 405 else status


PAGES = pages_outside_case_files()


def test_every_page_outside_case_files_declares_who_opens_it() -> None:
    undeclared = [
        name
        for name, pattern in PAGES
        if not getattr(pattern.callback, "allowed_roles", None)
        and not getattr(pattern.callback, "case_access", None)
        and name not in PUBLIC
        and name not in ANY_STAFF
    ]
    assert undeclared == []
    # And the lists name only pages that exist and are not gated otherwise.
    names = {name: pattern for name, pattern in PAGES}
    for name in [*PUBLIC, *ANY_STAFF]:
        assert name in names, f"{name} is listed but no such page exists"
        assert not getattr(names[name].callback, "allowed_roles", None), f"{name} is gated"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "pattern"),
    [(n, p) for n, p in PAGES if getattr(p.callback, "allowed_roles", None)],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_a_role_gated_page_refuses_every_other_role(
    world: World, client: Client, name: str, pattern: URLPattern
) -> None:
    url = _url(name, pattern)
    assert _status(client, url) == 302  # not logged in: to the login page
    allowed = pattern.callback.allowed_roles  # type: ignore[attr-defined]
    for persona, role in PERSONA_ROLES.items():
        client.force_login(world.personas()[persona])
        status = _status(client, url)
        if role in allowed:
            assert status != 403, f"{persona} ({role}) is refused {name}"
        else:
            assert status == 403, f"{persona} ({role}) opens {name}: {status}"
        assert status < 500


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ANY_STAFF))
def test_a_page_for_any_staff_still_needs_a_login(world: World, client: Client, name: str) -> None:
    pattern = dict(PAGES)[name]
    url = _url(name, pattern)
    response = client.get(url)
    if response.status_code == 405:  # a page that takes only submissions
        response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for persona in PERSONA_ROLES:
        client.force_login(world.personas()[persona])
        assert _status(client, url) not in {403, 500}, persona
