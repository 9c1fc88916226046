"""A WordPress export (WXR 1.0-1.2): `<item>` posts with their `wp:post_name` and `<link>`, each
holding its `wp:comment` elements; messages are HTML as WordPress stores them."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from parley_cli.importing.markup import one_line, to_text
from parley_cli.importing.records import MalformedFile, Parsed, SourceComment, SourceStatus, SourceThread
from parley_cli.importing.xml_source import elements_at, line_of, local_name, moment, text

# Trashed comments are skipped like deleted ones (kept only as the placeholder of kept replies).
STATUSES: dict[str, SourceStatus] = {
    "1": "approved",
    "0": "pending",
    "spam": "spam",
    "trash": "deleted",
    "post-trashed": "deleted",
}
NO_DATE = "0000-00-00 00:00:00"


def read(path: Path) -> Parsed:
    parsed = Parsed()
    for item in elements_at(path, 2):
        if local_name(item.tag) != "item":
            continue
        post_id = text(item, "post_id") or text(item, "link")
        parsed.threads[post_id] = SourceThread(url=text(item, "link"), post_name=text(item, "post_name"))
        for element in item:
            if local_name(element.tag) == "comment":
                _comment(element, post_id, path, parsed)
    return parsed


def _comment(element: Element, post_id: str, path: Path, parsed: Parsed) -> None:
    comment_id = text(element, "comment_id")
    if not comment_id:
        raise MalformedFile(f"{path}:{line_of(element)}: a wp:comment of post {post_id} has no wp:comment_id")
    kind = text(element, "comment_type") or "comment"
    approved = text(element, "comment_approved")
    if kind in ("pingback", "trackback"):
        parsed.skipped[kind] += 1
        return
    if approved not in STATUSES:
        raise MalformedFile(
            f"{path}:{line_of(element)}: comment {comment_id}: unknown wp:comment_approved {approved!r}"
        )
    when = "comment_date_gmt" if text(element, "comment_date_gmt") not in ("", NO_DATE) else "comment_date"
    parent = text(element, "comment_parent")
    website = one_line(text(element, "comment_author_url"), 500)
    parsed.comments.append(
        SourceComment(
            source_id=comment_id,
            thread=post_id,
            parent=parent if parent not in ("", "0") else None,
            name=one_line(text(element, "comment_author"), 100) or "Anonymous",
            email=one_line(text(element, "comment_author_email"), 254),
            website=website if website.startswith(("http://", "https://")) else None,
            message=to_text(text(element, "comment_content")),
            created_at=moment(element, when, path),
            status=STATUSES[approved],
        )
    )
