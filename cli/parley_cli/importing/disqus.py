"""A Disqus export (XML): `<thread dsq:id>` elements with their `<link>`, then `<post>` elements
naming their thread and parent by `dsq:id`, messages in HTML."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from parley_cli.importing.markup import one_line, to_text
from parley_cli.importing.records import MalformedFile, Parsed, SourceComment, SourceStatus, SourceThread
from parley_cli.importing.xml_source import attribute, child, elements_at, line_of, local_name, moment, text


def read(path: Path) -> Parsed:
    parsed = Parsed()
    deleted_threads: set[str] = set()
    for element in elements_at(path, 1):
        kind = local_name(element.tag)
        if kind == "thread":
            thread_id = _required_id(element, path, "thread")
            parsed.threads[thread_id] = SourceThread(url=text(element, "link"))
            if text(element, "isDeleted") == "true":
                deleted_threads.add(thread_id)
        elif kind == "post":
            parsed.comments.append(_post(element, path))
    for comment in parsed.comments:
        if comment.thread in deleted_threads:
            comment.status = "deleted"
    return parsed


def _post(element: Element, path: Path) -> SourceComment:
    post_id = _required_id(element, path, "post")
    thread = child(element, "thread")
    parent = child(element, "parent")
    author = child(element, "author")
    return SourceComment(
        source_id=post_id,
        thread=(attribute(thread, "id") or "") if thread is not None else "",
        parent=attribute(parent, "id") if parent is not None else None,
        name=one_line(text(author, "name") if author is not None else "", 100) or "Anonymous",
        email=one_line(text(author, "email"), 254) if author is not None else "",
        website=None,
        message=to_text(text(element, "message")),
        created_at=moment(element, "createdAt", path),
        status=_status(element),
    )


def _status(element: Element) -> SourceStatus:
    if text(element, "isDeleted") == "true":
        return "deleted"
    if text(element, "isSpam") == "true":
        return "spam"
    if text(element, "isApproved", "true") == "false":
        return "pending"
    return "approved"


def _required_id(element: Element, path: Path, kind: str) -> str:
    found = attribute(element, "id")
    if not found:
        raise MalformedFile(
            f"{path}:{line_of(element)}: a <{kind}> without dsq:id (it cannot be matched to its comments)"
        )
    return found
