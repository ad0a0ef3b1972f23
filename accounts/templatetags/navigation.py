"""The main menu, rendered once per kind of user rather than on every page."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from accounts.models import User

register = template.Library()


@register.simple_tag
def main_menu(user: User) -> SafeString:
    """The menu's links depend only on the user's role and staff flag, never on their data.

    Reversing its fifteen URLs cost more than the rest of the page chrome, so each variant
    is rendered once per process and language (the script prefix is part of the key for
    sub-path sites).
    """
    return _menu(user.role, user.is_staff, get_script_prefix(), get_language())


@lru_cache(maxsize=64)
def _menu(role: str, is_staff: bool, script_prefix: str, language: str) -> SafeString:
    # An unsaved stand-in carries only what the menu may depend on.
    return render_to_string("_main_menu.html", {"user": User(role=role, is_staff=is_staff)})
