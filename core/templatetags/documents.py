"""Printed documents in one language, or in two side by side."""

from __future__ import annotations

from django import template
from django.template.base import Parser, Token
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


class BilingualNode(template.Node):
    def __init__(self, nodelist: template.NodeList, block: bool) -> None:
        self.nodelist = nodelist
        self.block = block

    def render(self, context: template.Context) -> SafeString:
        languages = context.get("document_languages") or [translation.get_language()]
        versions = []
        for language in languages:
            with translation.override(language):
                versions.append((language, self.nodelist.render(context)))
        if len(versions) == 1:
            return SafeString(versions[0][1])
        if self.block:
            return format_html_join("", '<div lang="{}" class="bilingual">{}</div>', versions)
        return format_html_join(" / ", '<span lang="{}">{}</span>', versions)


@register.tag
def bilingual(parser: Parser, token: Token) -> BilingualNode:
    """`{% bilingual %}…{% endbilingual %}`: the content in each of the document's languages
    (the context's `document_languages`; else the active language), so that the person and
    the case worker read the same page. Inline, the versions are joined by a slash; with
    `{% bilingual block %}` each is a paragraph of its own. Data inside is shown in every
    version: keep what people wrote outside the tag."""
    bits = token.split_contents()
    if len(bits) > 2 or (len(bits) == 2 and bits[1] != "block"):
        raise template.TemplateSyntaxError("Use {% bilingual %} or {% bilingual block %}.")
    nodelist = parser.parse(("endbilingual",))
    parser.delete_first_token()
    return BilingualNode(nodelist, block=len(bits) == 2)
