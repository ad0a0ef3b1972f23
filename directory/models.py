"""The service directory: organisations and the services they offer.

Shared by every organisation using the system. Entries are made inactive, never deleted, and
every change keeps its history.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from core.validators import ChoiceListValidator

from .choices import Cost, ProviderKind, ServiceDomain


class Provider(models.Model):
    """An organisation in the service directory."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    printed_name = models.CharField(
        _("printed name"),
        max_length=200,
        blank=True,
        help_text=_(
            "Neutral name printed on handouts and letters, where the name itself could "
            "reveal why someone is referred. Leave empty to print the name."
        ),
    )
    # The printed name in other languages than the working one: {"sq": "...", "id": "..."}.
    printed_names = models.JSONField(_("printed name in other languages"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProviderKind.choices)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    confidentiality_agreement_on = models.DateField(
        null=True,
        blank=True,
        verbose_name=_("Confidentiality agreement signed on"),
        help_text=_(
            "Case information is shared only with organisations bound by a signed "
            "confidentiality agreement. Leave empty if there is none."
        ),
    )
    agreement_reference = models.CharField(_("agreement reference"), max_length=100, blank=True)
    system_organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_entry",
        verbose_name=_("Uses this system as"),
        help_text=_(
            "Set when the provider is an organisation using this system: cases can then "
            "be transferred to it."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(table_name="referrals_historicalprovider")

    class Meta:
        ordering = ["name"]
        db_table = "referrals_provider"  # the directory began inside the referrals app
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self) -> str:
        return self.name

    @property
    def name_on_paper(self) -> str:
        return self.printed_name or self.name

    def name_on_paper_in(self, language: str) -> str:
        """The name printed on a document in that language; the working language's where it
        has none of its own."""
        return self.printed_names.get(language) or self.name_on_paper

    @property
    def has_agreement(self) -> bool:
        return self.confidentiality_agreement_on is not None


# A service's texts printed on handouts and letters, which can be written in each language.
PRINTED_TEXTS = ("name", "description", "eligibility", "how_to_access")


class Service(models.Model):
    """One service a provider offers, with what a person needs to know to use it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="services", verbose_name=_("provider")
    )
    name = models.CharField(_("name"), max_length=200)
    domains = models.JSONField(
        _("domains"), default=list, validators=[ChoiceListValidator(ServiceDomain)]
    )
    trafficking_specific = models.BooleanField(
        default=False,
        verbose_name=_("Specialised service"),
        help_text=_(
            "Specialised for the people this organisation supports, rather than a general "
            "service (state social services, community organisations)."
        ),
    )
    description = models.TextField(
        _("description"),
        help_text=_("What the service offers, in plain language. Printed on handouts."),
    )
    eligibility = models.TextField(blank=True, verbose_name=_("Who can use it"))
    how_to_access = models.TextField(blank=True, verbose_name=_("How to get it"))
    # The PRINTED_TEXTS in other languages than the working one: {"sq": {"description": ...}}.
    printed_texts = models.JSONField(
        _("printed texts in other languages"), default=dict, blank=True
    )
    country = models.CharField(_("country"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    address = models.TextField(
        _("address"), blank=True, help_text=_("Where to go, if not the provider's address.")
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    cost = models.CharField(_("cost"), max_length=10, choices=Cost.choices, default=Cost.FREE)
    cost_details = models.CharField(_("cost details"), max_length=200, blank=True)
    disability_access = models.BooleanField(
        default=False, verbose_name=_("Accessible with a disability")
    )
    child_friendly = models.BooleanField(_("child friendly"), default=False)
    accepts_men = models.BooleanField(default=True, verbose_name=_("Men and boys accepted"))
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(table_name="referrals_historicalservice")

    class Meta:
        ordering = ["name", "id"]
        db_table = "referrals_service"
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(condition=~Q(domains=[]), name="service_has_a_domain"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"

    def printed_in(self, language: str) -> dict[str, str]:
        """What a handout or letter in that language prints of this service: each text in
        that language where written, else in the working language."""
        own = self.printed_texts.get(language, {})
        texts = {field: own.get(field) or getattr(self, field) for field in PRINTED_TEXTS}
        return {**texts, "provider": self.provider.name_on_paper_in(language)}

    @property
    def area(self) -> str:
        return ", ".join(p for p in (self.municipality, self.region, self.country) if p)

    @property
    def domain_labels(self) -> list[str]:
        return [str(ServiceDomain(d).label) for d in self.domains]

    @property
    def where(self) -> str:
        return self.address or self.provider.address

    @property
    def contact_phone(self) -> str:
        return self.phone or self.provider.phone
