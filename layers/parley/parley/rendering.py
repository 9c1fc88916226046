"""A comment's plain text as safe HTML: paragraphs, line breaks and links, nothing else."""

import html
import re

import nh3

LINK_REL = "nofollow ugc noopener"
_BARE_URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""
_ALLOWED_TAGS = {"p", "br", "a"}


def _link(match: re.Match[str]) -> str:
    url = match.group(0)
    trailing = ""
    while (
        url and url[-1] in _TRAILING_PUNCTUATION and not (url[-1] == ")" and url.count("(") >= url.count(")"))
    ):
        trailing = url[-1] + trailing
        url = url[:-1]
    escaped = html.escape(url, quote=True)
    return f'<a href="{escaped}">{escaped}</a>{html.escape(trailing)}'


def _paragraph(text: str) -> str:
    pieces = _BARE_URL.split(text)
    links = [_link(match) for match in _BARE_URL.finditer(text)]
    escaped = [html.escape(piece, quote=True) for piece in pieces]
    joined = "".join(part for pair in zip(escaped, [*links, ""], strict=True) for part in pair)
    return "<p>" + joined.replace("\n", "<br>") + "</p>"


def message_to_html(message: str) -> str:
    """Blank lines separate paragraphs, single newlines become <br>, bare http(s) URLs become links.

    Everything else is escaped; nh3 then guarantees the result holds only p, br and a with
    http(s) hrefs and `rel="nofollow ugc noopener"`.
    """
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", message.replace("\r\n", "\n")) if p.strip()]
    rendered = "".join(_paragraph(paragraph) for paragraph in paragraphs)
    return nh3.clean(
        rendered,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel=LINK_REL,
    )
