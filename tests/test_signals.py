"""The signals a lower app sends for work an upper app does: every one has its receiver.

A receiver that is not connected (its app's `ready()` no longer imports `receivers`, or
a receiver was renamed) would silently skip the work: no initial assessment for a new
case, no flag on referrals after a consent is withdrawn, no notice of an emergency access.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.dispatch import Signal

# Each signal, and the app whose receivers module must answer it.
EXPECTED = {
    "cases.signals.beneficiary_registered": "assessments.receivers",
    "cases.signals.consent_withdrawn": "referrals.receivers",
    "cases.signals.consent_form_opened": "referrals.receivers",
    "cases.signals.emergency_access_opened": "notifications.receivers",
    "cases.signals.refused_access_burst": "notifications.receivers",
    "cases.signals.crisis_alarm_raised": "notifications.receivers",
    "cases.signals.risk_flag_raised": "notifications.receivers",
    "directory.signals.referring_case_wanted": "referrals.receivers",
}


def _signal_modules() -> list[ModuleType]:
    found = []
    ours = [c for c in apps.get_app_configs() if Path(c.path).parent == Path(settings.BASE_DIR)]
    for config in ours:
        try:
            found.append(importlib.import_module(f"{config.name}.signals"))
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.signals":
                raise
    return found


def _declared() -> dict[str, Signal]:
    return {
        f"{module.__name__}.{name}": value
        for module in _signal_modules()
        for name, value in vars(module).items()
        if isinstance(value, Signal)
    }


def _receiver_modules(signal: Signal) -> set[str]:
    # Each entry of `receivers` holds a weak reference to the receiving function.
    modules = set()
    for entry in signal.receivers:
        receiver = entry[1]() if callable(entry[1]) else None
        if receiver is not None:
            modules.add(receiver.__module__)
    return modules


def test_every_signal_of_ours_is_expected_here() -> None:
    assert set(_declared()) == set(EXPECTED)


def test_every_signal_has_its_receiver_connected() -> None:
    for name, signal in _declared().items():
        assert signal.has_listeners(), f"{name} has no receiver"
        assert EXPECTED[name] in _receiver_modules(signal), f"{name}: {EXPECTED[name]}"
