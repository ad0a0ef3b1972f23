from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared helpers, the status badges' template tags and the health endpoint; no models."""

    name = "core"

    def ready(self) -> None:
        from . import checks  # noqa: F401  # registers the system checks
