"""Work the notifications app does when the case file tells it something (`cases.signals`)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from cases.signals import emergency_access_opened, refused_access_burst

from . import services


@receiver(emergency_access_opened, dispatch_uid="notifications.emergency_access")
def _tell_supervisors_of_emergency_access(sender: Any, *, access: Any, **kwargs: Any) -> None:
    services.emergency_access_notify(access=access)


@receiver(refused_access_burst, dispatch_uid="notifications.refused_access_burst")
def _tell_supervisors_of_refused_access(
    sender: Any, *, user: Any, refused: Any, **kwargs: Any
) -> None:
    services.refused_access_notify(user=user, refused=refused)
