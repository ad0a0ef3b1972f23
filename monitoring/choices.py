"""Reference lists for monitoring and follow-up."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class ContactType(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    OFFICE_VISIT = "office_visit", _("Office visit")
    PHONE_CALL = "phone_call", _("Phone call")
    VIDEO_CALL = "video_call", _("Video call")
    ACCOMPANIMENT = "accompaniment", _("Accompaniment to a service")
    SCHOOL_WORK_VISIT = "school_work_visit", _("School or workplace visit")
    OTHER = "other", _("Other")


# Contacts that reach into the person's surroundings: a safety check comes first.
SAFETY_CHECKED_TYPES = {
    ContactType.HOME_VISIT,
    ContactType.PHONE_CALL,
    ContactType.VIDEO_CALL,
    ContactType.SCHOOL_WORK_VISIT,
}
# Contacts ruled out when the instructions say it is not safe to call.
CALL_TYPES = {ContactType.PHONE_CALL, ContactType.VIDEO_CALL}


class ContactException(models.TextChoices):
    """Why a visit or call went against the person's safe-contact instructions."""

    EMERGENCY = "emergency", _("An emergency: the person's safety was at stake")
    PERSON_ASKED = "person_asked", _("The person asked for it")
    NO_OTHER_WAY = "no_other_way", _("No other way to reach the person")
    OTHER = "other", _("Other reason")


class CadencePhase(models.TextChoices):
    """The phases with their own minimum contact interval: the three stages, after closure,
    the weeks after a crisis alarm (whatever the stage), and a child's case (the closer of
    the child's interval and the stage's applies)."""

    CRISIS = "crisis", _("Crisis intervention")
    TRANSITION = "transition", _("Transition")
    INCLUSION = "inclusion", _("Reintegration and inclusion")
    AFTER_CLOSURE = "after_closure", _("After closure (long-term monitoring)")
    AFTER_ALARM = "after_alarm", _("After a crisis alarm (closer follow-up)")
    CHILD = "child", _("A child (under 18), whatever the stage")


# Minimum days between contacts. The guides: at least weekly in transition, at least monthly
# in inclusion; crisis and after-closure figures are this product's defaults (DOMAIN.md 8).
DEFAULT_INTERVAL_DAYS = {
    CadencePhase.CRISIS: 7,
    CadencePhase.TRANSITION: 7,
    CadencePhase.INCLUSION: 30,
    CadencePhase.AFTER_CLOSURE: 90,
    CadencePhase.AFTER_ALARM: 2,
    CadencePhase.CHILD: 14,
}
# Post-closure monitoring goes on up to five years from admission.
MONITORING_YEARS = 5


class Observation(models.TextChoices):
    """Feelings and behaviours often seen in each stage (DOMAIN.md 3), as optional tags."""

    ANGER = "anger", _("Anger or aggression")
    SELF_HARM_RISK = "self_harm_risk", _("Risk of self-harm")
    FLASHBACKS = "flashbacks", _("Flashbacks or nightmares")
    ANXIETY = "anxiety", _("Anxiety")
    DISTRUST = "distrust", _("Distrust")
    STRESS_REACTIONS = "stress_reactions", _("Physical stress reactions")
    DENIAL = "denial", _("Denial")
    MIXED_FEELINGS_EXPLOITER = (
        "mixed_feelings_exploiter",
        _("Contradictory feelings toward the exploiter"),
    )
    HOPELESSNESS = "hopelessness", _("Pessimism or hopelessness")
    SLEEP = "sleep", _("Sleep problems")
    GUILT_SHAME = "guilt_shame", _("Guilt and shame")
    RELIEF = "relief", _("Relief")
    HOPE = "hope", _("Joy and hope")
    FEAR_OF_CHANGE = "fear_of_change", _("Fear of change or of failure")
    IMPATIENCE = "impatience", _("Impatience")
    CONFIDENCE = "confidence", _("Growing self-confidence")
    CONFUSION_FUTURE = "confusion_future", _("Confusion or doubt about the future")
    EMOTIONAL_EXTREMES = "emotional_extremes", _("Emotional extremes")
    WELL_BEING = "well_being", _("Sense of well-being")
    PRIDE = "pride", _("Pride and satisfaction at meeting own needs")
    TRUST = "trust", _("Trust")
    EMPATHY = "empathy", _("Empathy for others")
    GRATITUDE = "gratitude", _("Gratitude")


# The texts of the reference milestones (seeded by migration 0003, stored in English as the
# rows' identity): marked here so that `makemessages` finds them; `Milestone.label` translates.
MILESTONE_TEXTS = (
    # Crisis intervention
    gettext_noop("Accepts the present situation and finds some meaning in it"),
    gettext_noop("Has a new daily routine"),
    gettext_noop("Trauma symptoms ease; is processing the experience"),
    gettext_noop("Physical and psychological well-being improve"),
    gettext_noop("Gains self-confidence and autonomy"),
    gettext_noop("Manages the immediate surroundings"),
    gettext_noop("Shows empathy, affection and closeness"),
    gettext_noop("Family and social relationships improve"),
    gettext_noop("Is safe and feels secure"),
    # Transition
    gettext_noop("Knows the support and services in the home community"),
    gettext_noop(
        "Life skills improve (relationships, communication, parenting, time and money, household)"
    ),
    gettext_noop("Has stable housing"),
    gettext_noop("Has completed vocational training linked to a job goal"),
    gettext_noop("Has found a job and keeps it, with good relations at work"),
    gettext_noop("Attends or has finished school"),
    gettext_noop("Acts more autonomously"),
    gettext_noop("Is motivated and committed to the process"),
    gettext_noop("Shows personal and emotional growth"),
    # Reintegration and inclusion
    gettext_noop("Has long-term housing"),
    gettext_noop("Has long-term employment"),
    gettext_noop("Uses life skills in daily life"),
    gettext_noop("Family relationships are sustainable and better"),
    gettext_noop("Is emotionally stable"),
    gettext_noop("Meets own needs and copes with problems"),
    gettext_noop("Takes part in social life"),
    gettext_noop("Has a reasonable standard of living"),
)


# The guides' whole process takes about three years: a case open longer says why, every year.
KEEP_OPEN_AFTER_MONTHS = 36
KEEP_OPEN_ASKED_EVERY_MONTHS = 12


class KeepOpenReason(models.TextChoices):
    """Why a case stays open beyond the usual three years."""

    LEGAL_PROCEEDINGS = "legal_proceedings", _("Legal proceedings still going on")
    DOCUMENTS = "documents", _("Documents or legal status not settled yet")
    HOUSING = "housing", _("Housing not yet secure")
    HEALTH = "health", _("Health or mental-health care still needed")
    CHILDREN = "children", _("Children's care or schooling still being arranged")
    SETBACK = "setback", _("A recent setback or crisis")
    PERSON_ASKED = "person_asked", _("The person asked to stay in the programme")
    OTHER = "other", _("Other reason")
