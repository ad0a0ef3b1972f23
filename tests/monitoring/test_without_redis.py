"""With Redis unreachable the web app keeps working: reminders come from the database later."""

from __future__ import annotations

from typing import Any

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from monitoring import reminders
from monitoring.models import Contact
from reintegration.celery import app
from tests.conftest import World

UNREACHABLE = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


def test_a_contact_is_saved_while_redis_is_down_and_reminders_catch_up(
    client: Any, world: World
) -> None:
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=UNREACHABLE, task_always_eager=False)
    try:
        with override_settings(
            CACHES={
                "default": {
                    "BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": UNREACHABLE,
                }
            }
        ):
            client.force_login(world.case_manager)
            response = client.post(
                reverse("monitoring:contact_add", args=[world.case.public_id]),
                {
                    "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                    "kind": "office_visit",
                    "made": "on",
                    "summary": "Met at the office.",
                },
            )
    finally:
        app.conf.update(saved)
    assert response.status_code == 302
    assert Contact.objects.filter(beneficiary=world.case).exists()
    # Once a scan runs again (Redis back, or send_reminders), what is due is found from the rows.
    reminders.scan()
    assert world.case_manager.notifications.filter(kind="assessment_overdue").exists()
