"""The service directory, referrals to its services, unmet needs and case transfers.

The directory is shared by every organisation using the system. Referrals, unmet needs and
transfers belong to a case file: nothing is deleted, every change keeps its history.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from assessments.choices import ServiceDomain
from cases.models import Beneficiary, CaseRecord, ChoiceListValidator

from .choices import (
    OPEN_STATUSES,
    Barrier,
    Cost,
    InformationCategory,
    OverrideKind,
    OverrideStatus,
    ProviderKind,
    ReferralStatus,
    TransferStatus,
    Treatment,
    UnmetBarrier,
    Urgency,
)


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
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

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
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
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


class Referral(CaseRecord):
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    # Kept on the referral: the service's provider could change its entry later.
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="referrals")
    task = models.ForeignKey(
        "plans.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    domain = models.CharField(max_length=20, choices=ServiceDomain.choices)
    reason = models.TextField(
        help_text="Why the person is referred, written as the provider will read it."
    )
    information = models.JSONField(
        default=list,
        blank=True,
        validators=[ChoiceListValidator(InformationCategory)],
        help_text="What case information goes to the provider. Nothing ticked: the person "
        "contacts the service themselves and no case information is shared.",
    )
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    status = models.CharField(
        max_length=30, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    status_changed_on = models.DateField()
    sent_on = models.DateField(null=True, blank=True)
    closing_reason = models.TextField(blank=True)
    consent_withdrawn_on = models.DateField(
        null=True,
        blank=True,
        help_text="Set when a consent this referral relied on was withdrawn while it was open.",
    )
    outcome = models.TextField(blank=True)
    treatment = models.CharField(
        max_length=20,
        choices=Treatment.choices,
        default=Treatment.NOT_ASKED,
        verbose_name="How the person felt treated",
    )
    feedback = models.TextField(blank=True, help_text="The person's own words about the service.")
    barriers = models.JSONField(default=list, blank=True, validators=[ChoiceListValidator(Barrier)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-status_changed_on", "-id"]
        indexes = [models.Index(fields=["status", "status_changed_on"])]

    def __str__(self) -> str:
        return f"Referral to {self.service.name}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", args=[self.beneficiary.public_id, self.public_id])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def shares_information(self) -> bool:
        return bool(self.information)

    @property
    def information_labels(self) -> list[str]:
        return [InformationCategory(c).label for c in self.information]

    @property
    def barrier_labels(self) -> list[str]:
        return [Barrier(b).label for b in self.barriers]


class ReferralEvent(models.Model):
    """One status change, with its date: the referral's timeline."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=30, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=ReferralStatus.choices)
    happened_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_to_status_display()} on {self.happened_on}"


class ReferralOverride(CaseRecord):
    """A supervisor's written permission to send despite a failed sharing check."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="overrides")
    kind = models.CharField(max_length=20, choices=OverrideKind.choices)
    status = models.CharField(
        max_length=20, choices=OverrideStatus.choices, default=OverrideStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(help_text="Why the referral must go without it.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=OverrideStatus.REQUESTED) | Q(decided_by__isnull=False),
                name="override_decision_has_a_supervisor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class UnmetNeed(CaseRecord):
    """A need no suitable service could meet: evidence for planning and funding."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="unmet_needs"
    )
    domain = models.CharField(max_length=20, choices=ServiceDomain.choices)
    barrier = models.CharField(max_length=20, choices=UnmetBarrier.choices)
    details = models.TextField(blank=True)
    recorded_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("recorded_on")),
                name="unmet_need_resolved_after_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.get_barrier_display()}"


class CaseTransfer(CaseRecord):
    """Handing case responsibility to another organisation that uses the system."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="transfers")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    status = models.CharField(
        max_length=20, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    new_case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(status=TransferStatus.REQUESTED),
                name="one_pending_transfer_per_case",
            ),
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")),
                name="transfer_to_another_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer to {self.to_organisation}"
