from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared helpers and the status badges' template tags; no models."""

    name = "core"
