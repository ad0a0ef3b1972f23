"""Table rows written out in Python, for the lists staff open all day (the caseload, My
follow-ups).

Written as templates, such rows cost most of a page's time in tags, includes and
translations rather than in their data. Instead a page fills in one row pattern, made with
the column labels and the shared words already in it, and what many rows show alike (badges,
dates) is made once per rendering. Only words and address patterns are kept between rows:
nothing from a case outlives the rendering.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Self

from django import template
from django.utils.html import conditional_escape

# The rows' addresses differ only in the case's public id: each is reversed once with this
# stand-in (an id no record is given), which each row replaces with its own.
STAND_IN = str(uuid.UUID(int=0))


def escaped(value: Any) -> str:
    return str(conditional_escape(value))


def row_pattern(pattern: str, words: Mapping[str, Any]) -> str:
    """`pattern` with its `{name}` places filled in with `words`, escaped for HTML; its
    `{{name}}` places become the `{name}` each row fills in."""
    # Braces in the words doubled: the pattern is filled in again for each row.
    return pattern.format(
        **{
            name: escaped(word).replace("{", "{{").replace("}", "}}")
            for name, word in words.items()
        }
    )


class RowParts:
    """What the rows of one rendering share. Subclasses add the words and addresses."""

    def __init__(self) -> None:
        self._shared: dict[Hashable, str] = {}

    def shared(self, key: Hashable, make: Callable[[], Any]) -> str:
        """What `make` gives, made once per rendering for rows with the same `key`."""
        try:
            return self._shared[key]
        except KeyError:
            made = self._shared[key] = str(make())
            return made

    def for_rendering(self) -> Self:
        """A copy for one rendering: the same words, nothing shared yet."""
        parts = copy.copy(self)
        parts._shared = {}
        return parts


def parts_for(context: template.Context, name: str, make: Callable[[], RowParts]) -> Any:
    """The parts the rows of this rendering share (kept in its render context as `name`)."""
    parts = context.render_context.get(name)
    if parts is None:
        parts = context.render_context[name] = make()
    return parts
