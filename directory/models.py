"""The service directory: organisations and the services they offer.

Shared by every organisation using the system. Entries are made inactive, never deleted, and
every change keeps its history.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from core.validators import ChoiceListValidator

from .choices import Cost, ProviderKind, ServiceDomain


class Provider(models.Model):
    """An organisation in the service directory."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    printed_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="Neutral name printed on handouts and letters, where the name itself could "
        "reveal why someone is referred. Leave empty to print the name.",
    )
    kind = models.CharField(max_length=20, choices=ProviderKind.choices)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    confidentiality_agreement_on = models.DateField(
        null=True,
        blank=True,
        verbose_name="Confidentiality agreement signed on",
        help_text="Case information is shared only with organisations bound by a signed "
        "confidentiality agreement. Leave empty if there is none.",
    )
    agreement_reference = models.CharField(max_length=100, blank=True)
    system_organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_entry",
        verbose_name="Uses this system as",
        help_text="Set when the provider is an organisation using this system: cases can then "
        "be transferred to it.",
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(table_name="referrals_historicalprovider")

    class Meta:
        ordering = ["name"]
        db_table = "referrals_provider"  # the directory began inside the referrals app

    def __str__(self) -> str:
        return self.name

    @property
    def name_on_paper(self) -> str:
        return self.printed_name or self.name

    @property
    def has_agreement(self) -> bool:
        return self.confidentiality_agreement_on is not None


class Service(models.Model):
    """One service a provider offers, with what a person needs to know to use it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=200)
    domains = models.JSONField(default=list, validators=[ChoiceListValidator(ServiceDomain)])
    trafficking_specific = models.BooleanField(
        default=False,
        verbose_name="Specialised service",
        help_text="Specialised for the people this organisation supports, rather than a general "
        "service (state social services, community organisations).",
    )
    description = models.TextField(
        help_text="What the service offers, in plain language. Printed on handouts."
    )
    eligibility = models.TextField(blank=True, verbose_name="Who can use it")
    how_to_access = models.TextField(blank=True, verbose_name="How to get it")
    country = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    municipality = models.CharField(max_length=100, blank=True)
    address = models.TextField(blank=True, help_text="Where to go, if not the provider's address.")
    phone = models.CharField(max_length=50, blank=True)
    languages = models.CharField(max_length=200, blank=True)
    opening_hours = models.CharField(max_length=200, blank=True)
    cost = models.CharField(max_length=10, choices=Cost.choices, default=Cost.FREE)
    cost_details = models.CharField(max_length=200, blank=True)
    disability_access = models.BooleanField(
        default=False, verbose_name="Accessible with a disability"
    )
    child_friendly = models.BooleanField(default=False)
    accepts_men = models.BooleanField(default=True, verbose_name="Men and boys accepted")
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(table_name="referrals_historicalservice")

    class Meta:
        ordering = ["name", "id"]
        db_table = "referrals_service"
        constraints = [
            models.CheckConstraint(condition=~Q(domains=[]), name="service_has_a_domain"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"

    @property
    def area(self) -> str:
        return ", ".join(p for p in (self.municipality, self.region, self.country) if p)

    @property
    def domain_labels(self) -> list[str]:
        return [ServiceDomain(d).label for d in self.domains]

    @property
    def where(self) -> str:
        return self.address or self.provider.address

    @property
    def contact_phone(self) -> str:
        return self.phone or self.provider.phone
