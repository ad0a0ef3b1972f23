"""Reference lists of the service directory: the domains of help, kinds of provider, cost,
and the categories of information a consent to share (and a referral) may cover."""

from __future__ import annotations

from django.db import models


class ServiceDomain(models.TextChoices):
    """The domains of help: a service offers some, a needs assessment has a section for each."""

    HOUSING = "housing", "Housing and accommodation"
    MEDICAL = "medical", "Medical care"
    PSYCHOLOGICAL = "psychological", "Psychological support and counselling"
    EDUCATION = "education", "Education, training and life skills"
    ECONOMIC = "economic", "Economic empowerment"
    ADMINISTRATIVE = "administrative", "Administrative support and documents"
    LEGAL = "legal", "Legal assistance"
    SAFETY = "safety", "Safety and security"
    FAMILY = "family", "Assistance to family members"
    RETURN = "return", "Return assistance"


class ProviderKind(models.TextChoices):
    NGO = "ngo", "Non-governmental organisation"
    STATE = "state", "State service"
    COMMUNITY = "community", "Community or faith-based organisation"
    INTERNATIONAL = "international", "International organisation"
    PRIVATE = "private", "Private practice or business"


class Cost(models.TextChoices):
    FREE = "free", "Free"
    REDUCED = "reduced", "Free or reduced for people on low income"
    FEE = "fee", "A fee is charged"


class InformationCategory(models.TextChoices):
    """What a consent to share, and a referral, may cover. Each maps to parts of the file."""

    IDENTITY = "identity", "Name, date of birth and sex"
    CONTACT = "contact", "Phone number and safe-contact instructions"
    LANGUAGE = "language", "Languages, interpreter need and literacy"
    DOCUMENTS = "documents", "Documents and legal status"
    NEEDS = "needs", "Needs assessed in the service's domain"
    PLAN = "plan", "Plan goals in the service's domain"
    CASE_FILE = "case_file", "The whole case file (transfer of case responsibility)"


# A referral shares at most these; the whole file goes only with a transfer.
REFERRAL_INFORMATION = [c for c in InformationCategory if c != InformationCategory.CASE_FILE]
