"""Fill `Goal.origin` and `Goal.status_changed_on` for goals saved before they existed.

A new version copied every goal unchanged, so a goal is taken to be a copy of the goal of
the version before it with the same area, description, target date and indicator text (a
copy edited before the new version was signed counts as a new goal). The day the status
now shown was recorded is read from the change history of the goal and the goals it was
copied from; where the history is gone (an anonymised case), the goal's last change.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.db import migrations
from django.utils import timezone

NOT_STARTED = "not_started"


def _same_goal(goal: dict[str, Any]) -> tuple[Any, ...]:
    return (goal["domain"], goal["description"], goal["target_date"], goal["indicator"])


def _run_start(history: list[tuple[datetime, str]], status: str) -> date | None:
    """The day the last unbroken run of `status` began in an ordered history."""
    start = None
    for when, recorded in reversed(history):
        if recorded != status:
            break
        start = when
    return timezone.localtime(start).date() if start else None


def backfill(apps: Any, schema_editor: Any) -> None:
    Goal = apps.get_model("plans", "Goal")
    HistoricalGoal = apps.get_model("plans", "HistoricalGoal")
    history: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for goal_id, when, status in HistoricalGoal.objects.order_by(
        "history_date", "history_id"
    ).values_list("id", "history_date", "status"):
        history[goal_id].append((when, status))
    by_version: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for goal in Goal.objects.order_by("id").values(
        "id",
        "version__beneficiary_id",
        "version__number",
        "domain",
        "description",
        "target_date",
        "indicator",
        "status",
        "updated_at",
    ):
        by_version[(goal["version__beneficiary_id"], goal["version__number"])].append(goal)

    origin: dict[int, int] = {}
    lineage_history: dict[int, list[tuple[datetime, str]]] = {}
    changes = []
    for (beneficiary_id, number), goals in sorted(by_version.items()):
        unmatched = list(by_version.get((beneficiary_id, number - 1), []))
        for goal in goals:
            source = next((g for g in unmatched if _same_goal(g) == _same_goal(goal)), None)
            lineage_history[goal["id"]] = history[goal["id"]]
            if source is not None:
                unmatched.remove(source)
                origin[goal["id"]] = origin.get(source["id"], source["id"])
                lineage_history[goal["id"]] = lineage_history[source["id"]] + history[goal["id"]]
            changed_on = None
            if goal["status"] != NOT_STARTED:
                changed_on = _run_start(lineage_history[goal["id"]], goal["status"]) or (
                    timezone.localtime(goal["updated_at"]).date()
                )
            if goal["id"] in origin or changed_on:
                changes.append(
                    Goal(id=goal["id"], origin_id=origin.get(goal["id"]), status_changed_on=changed_on)
                )
    Goal.objects.bulk_update(changes, ["origin", "status_changed_on"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("plans", "0006_indicator_matrix")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
