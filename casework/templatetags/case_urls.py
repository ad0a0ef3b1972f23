"""Addresses of a case's pages, for the pages that show dozens of them.

The case file links to some fifty pages of the case and its parts. Every `{% url %}` asks
the URL resolver anew (about 40 µs each, measured): a case file spent more in reversing its
links than in rendering the rest of its sections. The addresses of one page differ only in
the public ids they carry, so each is reversed once per process with stand-in ids, which
each link replaces. Only URL patterns are kept: no case data outlives the request.
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Any

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()

# Stand-ins for a page's public ids, in order: ids no record is ever given (version 4 UUIDs
# are random; these have no version bits).
_STAND_INS = tuple(str(uuid.UUID(int=n)) for n in range(1, 4))


@lru_cache(maxsize=512)
def _pattern(name: str, arity: int, script_prefix: str) -> str:
    return reverse(name, args=_STAND_INS[:arity])


@register.simple_tag
def case_url(name: str, *ids: Any) -> str:
    """`{% url name id … %}` for URLs whose arguments are all public ids (UUIDs)."""
    if len(ids) > len(_STAND_INS) or not all(isinstance(i, uuid.UUID) for i in ids):
        return reverse(name, args=ids)  # anything else: the resolver's own way
    url = _pattern(name, len(ids), get_script_prefix())
    for stand_in, public_id in zip(_STAND_INS, ids, strict=False):
        url = url.replace(stand_in, str(public_id), 1)
    return url
