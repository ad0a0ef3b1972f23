"""Reference lists for the service directory and referrals."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Within a week")
    URGENT = "urgent", _("Urgent (today or tomorrow)")


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("referral status", "Draft")
    SENT = "sent", pgettext_lazy("referral status", "Sent")
    ACCEPTED = "accepted", _("Accepted by the provider")
    DECLINED_BY_PROVIDER = "declined_by_provider", _("Declined by the provider")
    IN_PROGRESS = "in_progress", pgettext_lazy("referral status", "In progress")
    COMPLETED = "completed", pgettext_lazy("referral status", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("referral status", "Cancelled")
    DECLINED_BY_PERSON = "declined_by_person", _("Declined by the person")


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

    DOCUMENTS = "documents", _("Missing documents")
    TRAVEL_COST = "travel_cost", _("Cost of travel")
    WORKING_HOURS = "working_hours", _("Opening hours clash with work")
    CHILDCARE = "childcare", _("No childcare")
    FAMILY_RESISTANCE = "family_resistance", _("Family resistance")
    NOT_SAFE_ALONE = "not_safe_alone", _("Not safe to travel alone")
    LANGUAGE = "language", _("Language")
    OTHER = "other", _("Other")


class Treatment(models.TextChoices):
    """How the person felt they were treated by the provider, in their own judgement."""

    RESPECTFUL = "respectful", _("Respectfully")
    MIXED = "mixed", _("Mixed")
    POORLY = "poorly", _("Poorly (complaint or concern)")
    NOT_ASKED = "not_asked", _("Not asked yet")


class OverrideKind(models.TextChoices):
    CONSENT = "consent", _("Sending without a consent that covers the information")
    AGREEMENT = "agreement", _("Sending to an organisation without a confidentiality agreement")


class OverrideStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting a supervisor")
    GRANTED = "granted", pgettext_lazy("override status", "Granted")
    REFUSED = "refused", pgettext_lazy("override status", "Refused")


class UnmetBarrier(models.TextChoices):
    """Why no suitable service could be found."""

    NONE_IN_AREA = "none_in_area", _("No such service in the area")
    FULL = "full", _("Service full or waiting list")
    TOO_COSTLY = "too_costly", _("Too costly")
    NOT_ACCESSIBLE = "not_accessible", _("Not accessible to the person")
    NOT_ELIGIBLE = "not_eligible", _("Person not eligible")
    LANGUAGE = "language", _("Not available in the person's language")
    OTHER = "other", _("Other")


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the receiving organisation")
    ACCEPTED = "accepted", pgettext_lazy("transfer status", "Accepted")
    DECLINED = "declined", pgettext_lazy("transfer status", "Declined")
    CANCELLED = "cancelled", pgettext_lazy("transfer status", "Cancelled")
