"""A migration operation for changes people read but the database never sees."""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState


class LabelsOnly(Operation):
    """AlterField and AlterModelOptions operations that change only labels: verbose names,
    help texts, choices' labels. Nothing in the database changes.

    Django re-renders its migration state after each AlterField, with every model related to
    the altered one; for the few hundred labels made translatable at once that took three
    minutes on every new database (each test run, each fresh install). Applied together,
    the state is rendered once.
    """

    reduces_to_sql = False
    reversible = True

    def __init__(self, operations: list[Operation]) -> None:
        self.operations = operations
        super().__init__()

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.operations], {})

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        # Without rendered apps, each operation only records its change...
        rendered = state.__dict__.pop("apps", None)
        try:
            for operation in self.operations:
                operation.state_forwards(app_label, state)
        finally:
            if rendered is not None:
                state.__dict__["apps"] = rendered
        # ...and the altered models, with those related to them, are rendered once.
        if rendered is not None:
            models = {(app_label, self._model_of(operation)) for operation in self.operations}
            state.reload_models(sorted(models), delay=False)

    @staticmethod
    def _model_of(operation: Any) -> str:
        return getattr(operation, "model_name_lower", None) or operation.name_lower

    def database_forwards(self, *args: Any) -> None:
        """Labels live in the code: the database has nothing to change."""

    def database_backwards(self, *args: Any) -> None:
        """Labels live in the code: the database has nothing to change."""

    def describe(self) -> str:
        return f"Change {len(self.operations)} labels (no database change)"
