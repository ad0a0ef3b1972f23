"""Outages degrade, never crash: Redis unreachable, the database connection ended."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases.models import TeamMembership
from monitoring.models import Contact
from tests.conftest import World
from tests.factories import make_case
from tests.test_page_gates import _url, pages_outside_case_files

UNREACHABLE = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
# The production cache settings (reintegration/settings/base.py), pointed at nothing.
UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "core.cache.OutageTolerantRedisCache",
        "LOCATION": UNREACHABLE,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.mark.django_db
@override_settings(CACHES=UNREACHABLE_CACHE)
def test_every_supervisor_page_answers_while_redis_is_unreachable(
    client: Client, world: World
) -> None:
    make_case(case_manager=world.case_manager)
    client.force_login(world.supervisor)
    supervisor_pages = [
        (name, pattern)
        for name, pattern in pages_outside_case_files()
        if Role.SUPERVISOR in getattr(pattern.callback, "allowed_roles", ())
    ]
    assert len(supervisor_pages) > 10
    for name, pattern in supervisor_pages:
        response = client.get(_url(name, pattern))
        assert response.status_code in {200, 302, 404, 405}, name
    review = client.get(reverse("supervision:review"))
    assert (
        review.status_code == 200 and world.case_manager.get_full_name() in review.content.decode()
    )


@pytest.mark.django_db
@override_settings(CACHES=UNREACHABLE_CACHE)
def test_a_reassignment_while_redis_is_unreachable_is_saved_and_says_so(
    client: Client, world: World
) -> None:
    client.force_login(world.supervisor)
    response = client.post(
        reverse("supervision:reassign"),
        {
            "cases": [str(world.case.public_id)],
            "new_manager": world.colleague.pk,
            "handover_on": timezone.localdate().isoformat(),
            "note": "Covering a leave",
        },
    )
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    manager = TeamMembership.objects.get(beneficiary=world.case, role="case_manager", ended_on=None)
    assert manager.user == world.colleague
    # And the review, computed directly, shows it at once.
    assert client.get(reverse("supervision:review")).status_code == 200


# --- The database connection ------------------------------------------------------------


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="ending a server's connection from outside is a PostgreSQL test",
)
@pytest.mark.django_db(transaction=True)
def test_a_contact_posted_after_the_database_ended_the_connection_is_saved(
    client: Client, world: World
) -> None:
    client.force_login(world.case_manager)
    connection.ensure_connection()  # the connection a worker keeps between requests
    kept = connection.connection.info.backend_pid
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    with other.cursor() as cursor:  # as a database restart would: end it from outside
        cursor.execute("SELECT pg_terminate_backend(%s)", [kept])
    other.close()
    # What the WSGI handler does before every request (the test client leaves it out).
    request_started.send(sender=WSGIHandler)
    response = client.post(
        reverse("monitoring:contact_add", args=[world.case.public_id]),
        {
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": "office_visit",
            "made": "on",
            "summary": "Met after the restart.",
        },
    )
    assert response.status_code == 302
    assert Contact.objects.filter(summary="Met after the restart.").exists()
    assert connection.connection.info.backend_pid != kept
