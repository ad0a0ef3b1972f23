"""Visits, calls, follow-up cadence and reminders (filled in by a later issue)."""
