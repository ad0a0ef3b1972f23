"""Work the referrals app does when an app below it asks (`cases.signals`, `directory.signals`)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from cases.signals import consent_form_opened, consent_withdrawn
from directory.signals import referring_case_wanted

from . import selectors, services


@receiver(consent_withdrawn, dispatch_uid="referrals.flag_after_withdrawal")
def _flag_referrals(sender: Any, *, consent: Any, actor: Any, **kwargs: Any) -> None:
    services.flag_referrals_after_withdrawal(consent=consent, actor=actor)


@receiver(referring_case_wanted, dispatch_uid="referrals.referring_case")
def _referring_case(sender: Any, *, request: Any, case_id: Any, **kwargs: Any) -> Any:
    page = request.resolver_match.url_name if request.resolver_match else "directory"
    return services.referring_case_open(user=request.user, case_id=case_id, page=page)


@receiver(consent_form_opened, dispatch_uid="referrals.consent_prefill")
def _consent_for_referral(sender: Any, *, beneficiary: Any, referral_id: str, **kwargs: Any) -> Any:
    return selectors.consent_prefill(beneficiary, referral_id)
