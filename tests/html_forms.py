"""What a browser would send back: the fields of a form on a page, with their values."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

NOT_SENT = {"submit", "button", "image", "reset", "file"}


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._textarea: list[str] | None = None
        self._select: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        if self._form is None or (tag != "option" and not a.get("name")):
            return
        if tag == "input":
            kind = a.get("type") or "text"
            if kind in NOT_SENT or (kind in {"checkbox", "radio"} and "checked" not in a):
                return
            self._form.append(
                (str(a["name"]), a.get("value") or ("on" if kind == "checkbox" else ""))
            )
        elif tag == "textarea":
            self._textarea = [str(a["name"]), ""]
        elif tag == "select":
            self._select = {"name": a["name"], "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append((a.get("value") or "", "selected" in a))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            # Browsers drop the one newline that may follow <textarea>.
            self._form.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            options = self._select["options"]
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not self._select["multiple"]:
                chosen = [options[0][0]]
            self._form.extend((self._select["name"], value) for value in chosen)
            self._select = None


def form_values(html: str, having: str) -> dict[str, list[str]]:
    """The values the first form with a field named `having` (or starting so) would send."""
    parser = _Forms()
    parser.feed(html)
    for fields in parser.forms:
        if any(name.startswith(having) for name, _value in fields):
            values: dict[str, list[str]] = {}
            for name, value in fields:
                values.setdefault(name, []).append(value)
            return values
    raise AssertionError(f"no form on the page has a field {having!r}")
