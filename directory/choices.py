"""Reference lists of the service directory: the domains of help, kinds of provider, cost,
and the categories of information a consent to share (and a referral) may cover."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceDomain(models.TextChoices):
    """The domains of help: a service offers some, a needs assessment has a section for each."""

    HOUSING = "housing", _("Housing and accommodation")
    MEDICAL = "medical", _("Medical care")
    PSYCHOLOGICAL = "psychological", _("Psychological support and counselling")
    EDUCATION = "education", _("Education, training and life skills")
    ECONOMIC = "economic", _("Economic empowerment")
    ADMINISTRATIVE = "administrative", _("Administrative support and documents")
    LEGAL = "legal", _("Legal assistance")
    SAFETY = "safety", _("Safety and security")
    FAMILY = "family", _("Assistance to family members")
    RETURN = "return", _("Return assistance")


class ProviderKind(models.TextChoices):
    NGO = "ngo", _("Non-governmental organisation")
    STATE = "state", _("State service")
    COMMUNITY = "community", _("Community or faith-based organisation")
    INTERNATIONAL = "international", _("International organisation")
    PRIVATE = "private", _("Private practice or business")


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    REDUCED = "reduced", _("Free or reduced for people on low income")
    FEE = "fee", _("A fee is charged")


class InformationCategory(models.TextChoices):
    """What a consent to share, and a referral, may cover. Each maps to parts of the file."""

    IDENTITY = "identity", _("Name, date of birth and sex")
    CONTACT = "contact", _("Phone number and safe-contact instructions")
    LANGUAGE = "language", _("Languages, interpreter need and literacy")
    DOCUMENTS = "documents", _("Documents and legal status")
    NEEDS = "needs", _("Needs assessed in the service's domain")
    PLAN = "plan", _("Plan goals in the service's domain")
    CASE_FILE = "case_file", _("The whole case file (transfer of case responsibility)")


# A referral shares at most these; the whole file goes only with a transfer.
REFERRAL_INFORMATION = [c for c in InformationCategory if c != InformationCategory.CASE_FILE]
