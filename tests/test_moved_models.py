"""Models that moved to an app of their own keep their tables and their rows.

The database is taken back to where the models still lived in their first apps (the
migrations that moved them change only Django's record of them), rows are written there
through the models as they were, and after migrating forward the same rows are read
through the models where they live now.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from directory.models import Provider, Service

# The last migrations before the moves.
BEFORE_THE_MOVES = [
    ("referrals", "0001_initial"),
    ("monitoring", "0008_complaints_and_new_notifications"),
    ("cases", "0006_emergency_access"),
]
# The apps the models moved to did not exist yet.
NEW_APPS = [("directory", None), ("notifications", None), ("supervision", None)]
MOVES = [
    ("directory", "0001_initial"),
    ("notifications", "0001_initial"),
    ("supervision", "0001_initial"),
    ("cases", "0008_consent_provider_in_directory"),
    ("referrals", "0002_directory_moved_out"),
    ("monitoring", "0009_moved_out"),
]


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_read_after_it() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([*NEW_APPS, *BEFORE_THE_MOVES])
    old = executor.loader.project_state(BEFORE_THE_MOVES).apps
    provider = old.get_model("referrals", "Provider").objects.create(
        name="Riverside Counselling", kind="ngo"
    )
    old.get_model("referrals", "Service").objects.create(
        provider=provider, name="Counselling", domains=["psychological"], country="Albania"
    )
    # As on a database of the earlier layout: the content type is the old app's.
    ContentType.objects.filter(app_label="directory", model="provider").delete()
    ContentType.objects.get_or_create(app_label="referrals", model="provider")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    applied = MigrationRecorder(connection).applied_migrations()
    assert all(move in applied for move in MOVES)
    service = Service.objects.select_related("provider").get(name="Counselling")
    assert service.provider == Provider.objects.get(name="Riverside Counselling")
    assert ContentType.objects.filter(app_label="directory", model="provider").exists()
    assert not ContentType.objects.filter(app_label="referrals", model="provider").exists()
