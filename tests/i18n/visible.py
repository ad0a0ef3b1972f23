"""The text a person sees (or hears from a screen reader) on a page."""

from __future__ import annotations

from html.parser import HTMLParser

# Attributes whose text is shown or read aloud.
SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description"}
HIDDEN_ELEMENTS = {"script", "style", "template"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        # One entry per open element: whether its content is left out.
        self._skipping: list[bool] = []

    @property
    def _skip(self) -> bool:
        return bool(self._skipping and self._skipping[-1])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        # translate="no" marks what is deliberately not translated (each language's own name
        # in the language switcher).
        skip = self._skip or tag in HIDDEN_ELEMENTS or attributes.get("translate") == "no"
        if not skip:
            for name in SHOWN_ATTRIBUTES & attributes.keys():
                self.texts.append(attributes[name] or "")
            if tag == "input" and attributes.get("type") in {"submit", "button"}:
                self.texts.append(attributes.get("value") or "")
        if tag not in VOID_ELEMENTS:
            self._skipping.append(skip)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_ELEMENTS and self._skipping:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(data)


def visible_texts(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.texts
