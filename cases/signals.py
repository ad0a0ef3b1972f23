"""What the case file tells the apps built on it.

Cases sit below assessments, plans, referrals and notifications, so they cannot call them.
Where a change to a case must set off work up there, the case service sends one of these
inside its transaction; each receiver is one line calling its own app's service (see the
`receivers.py` of each app), so the work commits or rolls back with the change. A test
fails if any of them has no receiver.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

# A new case file was opened: `beneficiary`, `actor`. Its initial assessment starts.
beneficiary_registered = Signal()

# A consent naming a directory organisation was withdrawn: `consent`, `actor`. Open
# referrals that relied on it are flagged.
consent_withdrawn = Signal()

# Someone off the team opened the file in an emergency: `access`. Supervisors are told.
emergency_access_opened = Signal()

# A setback signalled danger and raised `alarm` (a CrisisAlarm): the case manager and the
# supervisors are told at once.
crisis_alarm_raised = Signal()

# A re-trafficking risk was raised on a case: `flag` (a RiskFlag). The supervisors are told.
risk_flag_raised = Signal()

# Sent with `user` and `refused` (the latest RefusedAccess) when one account has been
# refused REFUSED_ACCESS_ALERT_COUNT case pages within REFUSED_ACCESS_ALERT_MINUTES.
refused_access_burst = Signal()

# The consent form was opened from something that needs a consent (?referral=<id>), with
# `beneficiary` and `referral_id`. A receiver that knows it returns what to prefill and where
# to go back to, as a `ConsentPrefill`; otherwise None.
consent_form_opened = Signal()


@dataclass(frozen=True)
class ConsentPrefill:
    initial: dict[str, Any]
    back_url: str
