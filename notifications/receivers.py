"""Work the notifications app does when the case file tells it something (`cases.signals`)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from cases.signals import (
    crisis_alarm_raised,
    emergency_access_opened,
    refused_access_burst,
    risk_flag_raised,
)

from . import services


@receiver(emergency_access_opened, dispatch_uid="notifications.emergency_access")
def _tell_supervisors_of_emergency_access(sender: Any, *, access: Any, **kwargs: Any) -> None:
    services.emergency_access_notify(access=access)


@receiver(refused_access_burst, dispatch_uid="notifications.refused_access_burst")
def _tell_supervisors_of_refused_access(
    sender: Any, *, user: Any, refused: Any, **kwargs: Any
) -> None:
    services.refused_access_notify(user=user, refused=refused)


@receiver(crisis_alarm_raised, dispatch_uid="notifications.crisis_alarm")
def _tell_of_the_crisis(sender: Any, *, alarm: Any, **kwargs: Any) -> None:
    services.crisis_alarm_notify(alarm=alarm)


@receiver(risk_flag_raised, dispatch_uid="notifications.risk_flag_raised")
def _tell_supervisors_of_the_risk(sender: Any, *, flag: Any, **kwargs: Any) -> None:
    services.risk_raised_notify(beneficiary=flag.beneficiary, flag_id=flag.pk)
