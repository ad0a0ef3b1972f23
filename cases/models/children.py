"""Children: the children of a beneficiary, and the safeguards of a beneficiary who is a
child (their guardians and the best-interests determinations made for them)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import ChildSituation, GuardianKind, Sex
from .beneficiary import Beneficiary, CaseRecord


class Child(CaseRecord):
    """A child of the beneficiary, with needs of their own."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("beneficiary"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=20, choices=Sex.choices, default=Sex.NOT_STATED)
    situation = models.CharField(_("situation"), max_length=20, choices=ChildSituation.choices)
    lives_with_beneficiary = models.BooleanField(_("lives with beneficiary"), default=False)
    current_carer = models.CharField(_("current carer"), max_length=200, blank=True)
    needs = models.TextField(_("needs"), blank=True)
    services = models.TextField(_("services"), blank=True)
    # When the child is registered as a case of their own: read both ways, from the parent's
    # file (`child.own_case`) and from the child's (`beneficiary.as_child.beneficiary`).
    own_case = models.OneToOneField(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="as_child",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("case of their own"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["date_of_birth", "id"]

    def __str__(self) -> str:
        return self.first_name


class Guardian(CaseRecord):
    """Who holds parental authority for a beneficiary who is a child, and for how long.

    Appointed when the parents are complicit, absent or unable. Consents and plan
    signatures for the child come from a guardian whose authority holds on that day."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="guardians",
        verbose_name=_("beneficiary"),
    )
    kind = models.CharField(_("kind of guardian"), max_length=20, choices=GuardianKind.choices)
    name = models.CharField(_("name"), max_length=200)
    relationship = models.CharField(
        _("relationship to the child"),
        max_length=100,
        blank=True,
        help_text=_("E.g. mother, aunt, social worker of the municipality."),
    )
    contact = models.CharField(
        _("how to reach them"),
        max_length=200,
        blank=True,
        help_text=_("Phone, address or office; what is safe to use."),
    )
    appointed_by = models.CharField(
        _("appointed by"),
        max_length=200,
        blank=True,
        help_text=_("The court or authority that appointed them, and the decision's reference."),
    )
    authority_from = models.DateField(_("authority from"))
    authority_until = models.DateField(
        _("authority until"),
        null=True,
        blank=True,
        help_text=_("Empty: until the child comes of age or the authority is ended."),
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["-authority_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(authority_until__isnull=True)
                | Q(authority_until__gte=models.F("authority_from")),
                name="guardian_authority_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def holds_authority_on(self, day: date) -> bool:
        return self.authority_from <= day and (
            self.authority_until is None or day <= self.authority_until
        )


class BestInterestsDetermination(CaseRecord):
    """A decision about a child (return to the family, placement, a move, school) taken
    for the child's best interests, with who took part and what the child said."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="best_interests",
        verbose_name=_("beneficiary"),
    )
    decided_on = models.DateField(_("decided on"))
    question = models.CharField(
        _("what was decided about"),
        max_length=200,
        help_text=_("E.g. return to the family, alternative care, a move to another town."),
    )
    decision = models.TextField(_("decision"))
    participants = models.TextField(
        _("who took part"), help_text=_("Names and roles, including the child and guardian.")
    )
    child_view = models.TextField(
        _("the child's view"), help_text=_("What the child said, in their own words.")
    )
    review_on = models.DateField(_("review on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("best-interests determination")
        verbose_name_plural = _("best-interests determinations")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gte=models.F("decided_on")),
                name="best_interests_review_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.question
