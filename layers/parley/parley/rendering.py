"""A comment's text as safe HTML: a CommonMark subset (markdown-it-py), then nh3's allow-list.

Rendered when a comment becomes public (its approval), when it is imported, and by `rerender`;
never when it is posted or listed. markdown-it loads on the first render, not on import: the
functions that take posts and list comments never load it, unless asked for a preview (their cold
starts; see docs/architecture.md, "Message HTML").
"""

import re
from functools import cache
from typing import TYPE_CHECKING

import nh3

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

LINK_REL = "nofollow ugc noopener"
# Emphasis, strong, inline code, code blocks, links (also bare http(s) URLs), blockquotes, lists.
# Not images, raw HTML (escaped as text), headings or rules (left as the text typed), tables.
_BLOCK_RULES = ["blockquote", "code", "fence", "list", "reference", "paragraph"]
_INLINE_RULES = [
    "text",
    "linkify",
    "newline",
    "escape",
    "backticks",
    "emphasis",
    "link",
    "autolink",
    "entity",
]
_ALLOWED_TAGS = {"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}, "*": set()}  # "*": no title or lang anywhere
_HTTP_URL = re.compile(r"^https?://", re.IGNORECASE)


@cache
def _markdown() -> "MarkdownIt":
    from markdown_it import MarkdownIt

    markdown = MarkdownIt("zero", {"breaks": True, "linkify": True, "html": False})
    markdown.enable(_BLOCK_RULES).enable(_INLINE_RULES)
    linkify = markdown.linkify
    assert linkify is not None  # linkify-it-py is installed (the layer's requirements)
    linkify.set({"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
    # Links go only to http(s) addresses: no javascript:, data:, mailto: or relative links.
    markdown.validateLink = lambda url: bool(_HTTP_URL.match(url))  # type: ignore[method-assign]
    return markdown


def message_to_html(message: str) -> str:
    """The HTML a comment is shown as. Blank lines separate paragraphs and single newlines are line
    breaks, as people type; anything that is not the subset stays as the text typed, escaped.

    nh3 then guarantees the result holds only the allowed tags, `href` only on links (http or
    https) with `rel="nofollow ugc noopener"`, and `start` on ordered lists."""
    rendered = _markdown().render(message.replace("\r\n", "\n"))
    return nh3.clean(
        rendered,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel=LINK_REL,
    ).strip()
