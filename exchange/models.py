"""What the exchange app keeps: an uploaded HTCDS workbook waiting for its confirmation."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation


class PendingImport(models.Model):
    """An uploaded HTCDS workbook between its dry run and the supervisor's confirmation.

    The workbook holds personal data, so it is kept here (the organisation's database, like
    the case files it becomes) and nowhere else: not in the session, a cache, an address or
    a log. Deleted when confirmed or cancelled; unconfirmed ones expire
    (`exchange.importing.PENDING_IMPORT_HOURS`). No change history: a history table would
    keep a copy of the workbook after it is deleted.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("case manager"),
    )
    workbook = models.BinaryField(_("workbook"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("pending HTCDS import")
        verbose_name_plural = _("pending HTCDS imports")

    def __str__(self) -> str:
        return str(self.public_id)
