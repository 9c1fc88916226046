"""Atom 1.0 feeds (RFC 4287) of approved comments: one article's, and the whole site's.

Built with ElementTree, which escapes every text and attribute: an entry's content is its
message_html as `type="html"` (escaped HTML), its author only the name and website, never an email.
"""

import re
from datetime import UTC, datetime
from uuid import UUID
from xml.etree import ElementTree

from parley.listing import shown_html
from parley.models import FeedEntry
from parley.settings import Settings

ATOM = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 50
ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"
# Characters XML 1.0 cannot carry (an imported message may hold them): left out.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A feed must say when it last changed; one with no entries says this fixed time (so its ETag holds).
_NO_ENTRIES_UPDATED = datetime(2000, 1, 1, tzinfo=UTC)


def article_feed(slug: str, entries: list[FeedEntry], settings: Settings, self_url: str) -> str:
    article = settings.article_url(slug)
    return _feed(f"Comments on {slug}", f"{article}#comments", article, self_url, entries, settings)


def site_feed(entries: list[FeedEntry], settings: Settings, self_url: str) -> str:
    site = settings.site_url + "/"
    return _feed(f"Comments on {site}", f"{site}#comments", site, self_url, entries, settings)


def _feed(
    title: str,
    feed_id: str,
    alternate: str,
    self_url: str,
    entries: list[FeedEntry],
    settings: Settings,
) -> str:
    feed = ElementTree.Element("feed", xmlns=ATOM)
    _text(feed, "title", title)
    _text(feed, "id", feed_id)
    _text(feed, "updated", _when(max((e.created_at for e in entries), default=_NO_ENTRIES_UPDATED)))
    ElementTree.SubElement(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    ElementTree.SubElement(feed, "link", rel="alternate", type="text/html", href=alternate)
    _text(feed, "generator", "Parley")
    for entry in entries:
        _entry(feed, entry, settings, shown_html(entry))
    return ElementTree.tostring(feed, encoding="unicode", xml_declaration=True)


def _entry(feed: ElementTree.Element, comment: FeedEntry, settings: Settings, message_html: str) -> None:
    entry = ElementTree.SubElement(feed, "entry")
    _text(
        entry, "id", UUID(hex=comment.id).urn if _is_uuid(comment.id) else f"urn:parley:comment:{comment.id}"
    )
    _text(entry, "title", f"{comment.name} on {comment.article_slug}")
    _text(entry, "updated", _when(comment.created_at))
    _text(entry, "published", _when(comment.created_at))
    author = ElementTree.SubElement(entry, "author")
    _text(author, "name", comment.name)
    if comment.website:
        _text(author, "uri", comment.website)
    link = f"{settings.article_url(comment.article_slug)}#comment-{comment.id}"
    ElementTree.SubElement(entry, "link", rel="alternate", type="text/html", href=link)
    content = _text(entry, "content", message_html)
    content.set("type", "html")


def _text(parent: ElementTree.Element, tag: str, text: str) -> ElementTree.Element:
    child = ElementTree.SubElement(parent, tag)
    child.text = _NOT_XML.sub("", text)
    return child


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _is_uuid(text: str) -> bool:
    try:
        UUID(hex=text)
    except ValueError:
        return False
    return True
