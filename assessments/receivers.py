"""Work the assessments app does when the case file tells it something (`cases.signals`)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from cases.signals import beneficiary_registered

from . import services
from .choices import AssessmentKind


@receiver(beneficiary_registered, dispatch_uid="assessments.initial_assessment")
def _start_initial_assessment(sender: Any, *, beneficiary: Any, actor: Any, **kwargs: Any) -> None:
    services.assessment_start(beneficiary=beneficiary, actor=actor, kind=AssessmentKind.INITIAL)
