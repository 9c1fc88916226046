"""An Isso database (SQLite), opened read-only: `threads(id, uri)` and `comments(tid, id, parent,
created, mode, text, author, email, website)`; mode 1 is public, 2 awaits moderation, 4 deleted."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from parley_cli.importing.markup import one_line
from parley_cli.importing.records import MalformedFile, Parsed, SourceComment, SourceStatus, SourceThread

MODES: dict[int, SourceStatus] = {1: "approved", 2: "pending", 4: "deleted"}
QUERY = "SELECT id, tid, parent, created, mode, text, author, email, website FROM comments ORDER BY id"


def read(path: Path) -> Parsed:
    parsed = Parsed()
    try:
        database = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise MalformedFile(f"{path}: cannot open the Isso database: {error}") from error
    try:
        for thread_id, uri in database.execute("SELECT id, uri FROM threads"):
            parsed.threads[str(thread_id)] = SourceThread(url=str(uri or "/"))
        for row in database.execute(QUERY):
            parsed.comments.append(_comment(row, path))
    except sqlite3.Error as error:
        raise MalformedFile(f"{path}: not an Isso database: {error}") from error
    finally:
        database.close()
    return parsed


def _comment(row: tuple[object, ...], path: Path) -> SourceComment:
    comment_id, thread_id, parent, created, mode, message, author, email, website = row
    if not isinstance(created, int | float) or mode not in MODES:
        raise MalformedFile(
            f"{path}: comment {comment_id}: unreadable created ({created!r}) or mode ({mode!r})"
        )
    site = one_line(str(website or ""), 500)
    return SourceComment(
        source_id=str(comment_id),
        thread=str(thread_id),
        parent=str(parent) if parent is not None else None,
        name=one_line(str(author or ""), 100) or "Anonymous",
        email=one_line(str(email or ""), 254),
        website=site if site.startswith(("http://", "https://")) else None,
        message=str(message or "").replace("\r\n", "\n").strip(),
        created_at=datetime.fromtimestamp(float(created), UTC),
        status=MODES[int(mode)],
    )
