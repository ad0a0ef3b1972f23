"""Signals the directory sends where an app above it has the answer."""

from __future__ import annotations

from django.dispatch import Signal

# Sent when a directory page is opened with ?case= (a case manager finding a service for a
# person), with `request` and `case_id`. A receiver returns the case, fetched, authorised
# and logged as any case page is, or None: the page then shows no Refer buttons.
referring_case_wanted = Signal()
