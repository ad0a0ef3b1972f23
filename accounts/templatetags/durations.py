"""Durations as people say them."""

from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def in_minutes(duration: timedelta) -> int:
    return round(duration.total_seconds() / 60)
