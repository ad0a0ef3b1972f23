"""Reference lists for monitoring and follow-up."""

from __future__ import annotations

from django.db import models


class ContactType(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    OFFICE_VISIT = "office_visit", "Office visit"
    PHONE_CALL = "phone_call", "Phone call"
    VIDEO_CALL = "video_call", "Video call"
    ACCOMPANIMENT = "accompaniment", "Accompaniment to a service"
    SCHOOL_WORK_VISIT = "school_work_visit", "School or workplace visit"
    OTHER = "other", "Other"


# Contacts that reach into the person's surroundings: a safety check comes first.
SAFETY_CHECKED_TYPES = {
    ContactType.HOME_VISIT,
    ContactType.PHONE_CALL,
    ContactType.VIDEO_CALL,
    ContactType.SCHOOL_WORK_VISIT,
}


class CadencePhase(models.TextChoices):
    """The phases with their own minimum contact interval: the three stages and after closure."""

    CRISIS = "crisis", "Crisis intervention"
    TRANSITION = "transition", "Transition"
    INCLUSION = "inclusion", "Reintegration and inclusion"
    AFTER_CLOSURE = "after_closure", "After closure (long-term monitoring)"


# Minimum days between contacts. The guides: at least weekly in transition, at least monthly
# in inclusion; crisis and after-closure figures are this product's defaults (DOMAIN.md 8).
DEFAULT_INTERVAL_DAYS = {
    CadencePhase.CRISIS: 7,
    CadencePhase.TRANSITION: 7,
    CadencePhase.INCLUSION: 30,
    CadencePhase.AFTER_CLOSURE: 90,
}
# Post-closure monitoring goes on up to five years from admission.
MONITORING_YEARS = 5


class Observation(models.TextChoices):
    """Feelings and behaviours often seen in each stage (DOMAIN.md 3), as optional tags."""

    ANGER = "anger", "Anger or aggression"
    SELF_HARM_RISK = "self_harm_risk", "Risk of self-harm"
    FLASHBACKS = "flashbacks", "Flashbacks or nightmares"
    ANXIETY = "anxiety", "Anxiety"
    DISTRUST = "distrust", "Distrust"
    STRESS_REACTIONS = "stress_reactions", "Physical stress reactions"
    DENIAL = "denial", "Denial"
    MIXED_FEELINGS_EXPLOITER = (
        "mixed_feelings_exploiter",
        "Contradictory feelings toward the exploiter",
    )
    HOPELESSNESS = "hopelessness", "Pessimism or hopelessness"
    SLEEP = "sleep", "Sleep problems"
    GUILT_SHAME = "guilt_shame", "Guilt and shame"
    RELIEF = "relief", "Relief"
    HOPE = "hope", "Joy and hope"
    FEAR_OF_CHANGE = "fear_of_change", "Fear of change or of failure"
    IMPATIENCE = "impatience", "Impatience"
    CONFIDENCE = "confidence", "Growing self-confidence"
    CONFUSION_FUTURE = "confusion_future", "Confusion or doubt about the future"
    EMOTIONAL_EXTREMES = "emotional_extremes", "Emotional extremes"
    WELL_BEING = "well_being", "Sense of well-being"
    PRIDE = "pride", "Pride and satisfaction at meeting own needs"
    TRUST = "trust", "Trust"
    EMPATHY = "empathy", "Empathy for others"
    GRATITUDE = "gratitude", "Gratitude"
