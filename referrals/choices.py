"""Reference lists for the service directory and referrals."""

from __future__ import annotations

from django.db import models


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    SOON = "soon", "Within a week"
    URGENT = "urgent", "Urgent (today or tomorrow)"


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted by the provider"
    DECLINED_BY_PROVIDER = "declined_by_provider", "Declined by the provider"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    DECLINED_BY_PERSON = "declined_by_person", "Declined by the person"


# The only moves a referral can make. Anything else is refused by the service.
TRANSITIONS: dict[str, set[str]] = {
    ReferralStatus.DRAFT: {
        ReferralStatus.SENT,
        ReferralStatus.CANCELLED,
        ReferralStatus.DECLINED_BY_PERSON,
    },
    ReferralStatus.SENT: {
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED_BY_PROVIDER,
        ReferralStatus.CANCELLED,
        ReferralStatus.DECLINED_BY_PERSON,
    },
    ReferralStatus.ACCEPTED: {
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.COMPLETED,
        ReferralStatus.CANCELLED,
        ReferralStatus.DECLINED_BY_PERSON,
    },
    ReferralStatus.IN_PROGRESS: {
        ReferralStatus.COMPLETED,
        ReferralStatus.CANCELLED,
        ReferralStatus.DECLINED_BY_PERSON,
    },
}
OPEN_STATUSES = set(TRANSITIONS)
# Moves that need a written reason.
REASON_REQUIRED = {
    ReferralStatus.DECLINED_BY_PROVIDER,
    ReferralStatus.CANCELLED,
    ReferralStatus.DECLINED_BY_PERSON,
}


class Barrier(models.TextChoices):
    """What got in the way of the person reaching or using a service."""

    DOCUMENTS = "documents", "Missing documents"
    TRAVEL_COST = "travel_cost", "Cost of travel"
    WORKING_HOURS = "working_hours", "Opening hours clash with work"
    CHILDCARE = "childcare", "No childcare"
    FAMILY_RESISTANCE = "family_resistance", "Family resistance"
    NOT_SAFE_ALONE = "not_safe_alone", "Not safe to travel alone"
    LANGUAGE = "language", "Language"
    OTHER = "other", "Other"


class Treatment(models.TextChoices):
    """How the person felt they were treated by the provider, in their own judgement."""

    RESPECTFUL = "respectful", "Respectfully"
    MIXED = "mixed", "Mixed"
    POORLY = "poorly", "Poorly (complaint or concern)"
    NOT_ASKED = "not_asked", "Not asked yet"


class OverrideKind(models.TextChoices):
    CONSENT = "consent", "Sending without a consent that covers the information"
    AGREEMENT = "agreement", "Sending to an organisation without a confidentiality agreement"


class OverrideStatus(models.TextChoices):
    REQUESTED = "requested", "Awaiting a supervisor"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class UnmetBarrier(models.TextChoices):
    """Why no suitable service could be found."""

    NONE_IN_AREA = "none_in_area", "No such service in the area"
    FULL = "full", "Service full or waiting list"
    TOO_COSTLY = "too_costly", "Too costly"
    NOT_ACCESSIBLE = "not_accessible", "Not accessible to the person"
    NOT_ELIGIBLE = "not_eligible", "Person not eligible"
    LANGUAGE = "language", "Not available in the person's language"
    OTHER = "other", "Other"


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", "Awaiting the receiving organisation"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"
