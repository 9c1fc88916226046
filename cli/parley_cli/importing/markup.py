"""Messages as text: the HTML that WordPress and Disqus keep becomes what a reader would have read."""

from __future__ import annotations

import html
import re

import nh3

_LINK = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(p|div|blockquote|li|h[1-6]|pre)\s*>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BLANK_LINES = re.compile(r"\n{3,}")


def _link(match: re.Match[str]) -> str:
    href, text = match.group(1), match.group(2)
    shown = nh3.clean(text, tags=set())
    return shown if html.unescape(shown).strip() == html.unescape(href).strip() else f"{shown} ({href})"


def to_text(markup: str) -> str:
    """Tags dropped (scripts and styles with their content), links kept as `text (address)`,
    paragraphs as blank lines, entities decoded, control characters removed."""
    text = markup.replace("\r\n", "\n").replace("\r", "\n")
    text = _LINK.sub(_link, text)
    text = _LINE_BREAK.sub("\n", text)
    text = _BLOCK_END.sub("\n\n", text)
    text = html.unescape(nh3.clean(text, tags=set()))
    return _BLANK_LINES.sub("\n\n", _CONTROL.sub("", text)).strip()


def one_line(text: str, limit: int) -> str:
    """A name or address: one line, no control characters, at most `limit` characters."""
    return " ".join(_CONTROL.sub("", html.unescape(text)).split())[:limit]
