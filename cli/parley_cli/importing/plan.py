"""From what a reader found to the comments to store: ids, slugs, threads, what is skipped and why.

Ids are uuid5 of the format and the source's id, so importing the same file again names the same
comments (and the moderation function's conditional writes add nothing). Replies are remapped to
their parents wherever in the file those come; a comment whose thread or parent is missing (or
whose parents loop) is an orphan: reported, skipped. A deleted or trashed comment is skipped, unless
replies that are kept hang on it: it then stays as a tombstone, as a deleted comment does in Parley.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from parley.models import REMOVED, CommentStatus
from parley_cli.importing.records import Parsed, SourceComment
from parley_cli.importing.slugs import slug_for

NAMESPACE = uuid.UUID("5f0c5e1e-6d1b-4c33-9d0e-7a6a1c1f2b10")  # Parley's imports; never change it
MESSAGE_LIMIT = 20_000


@dataclass
class Plan:
    comments: list[dict[str, Any]] = field(default_factory=list)  # the moderation function's import shape
    skipped: Counter[str] = field(default_factory=Counter)
    orphans: list[str] = field(default_factory=list)
    articles: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


def comment_id(source_format: str, source_id: str) -> str:
    return uuid.uuid5(NAMESPACE, f"{source_format}:{source_id}").hex


def build(parsed: Parsed, source_format: str, slug_map: dict[str, str]) -> Plan:
    """The plan; it takes `parsed.comments` (emptied as each becomes a stored comment, so a large
    export is not held twice)."""
    plan = Plan(skipped=Counter(parsed.skipped))
    by_id = {comment.source_id: comment for comment in parsed.comments}
    roots = _roots(parsed, by_id, plan)
    kept = {source_id for source_id in roots if by_id[source_id].status != "deleted"}
    tombstones = {a for s in kept for a in _ancestors(by_id[s], by_id) if by_id[a].status == "deleted"}
    approved_under = {a for s in kept if by_id[s].status == "approved" for a in _ancestors(by_id[s], by_id)}
    del by_id
    remaining = parsed.comments
    remaining.reverse()
    while remaining:
        comment = remaining.pop()
        if comment.source_id not in roots:
            continue
        if comment.status == "deleted" and comment.source_id not in tombstones:
            plan.skipped["deleted or trashed"] += 1
            continue
        slug = slug_for(parsed.threads[comment.thread], slug_map)
        root = roots[comment.source_id]
        stored = _stored(comment, source_format, slug, root)
        if stored["status"] in REMOVED and root is None and comment.source_id in approved_under:
            stored.update(was_approved=True, holds_thread=True)  # the placeholder of public replies
        plan.comments.append(stored)
        plan.articles[slug][stored["status"]] += 1
    return plan


def _stored(comment: SourceComment, source_format: str, slug: str, root: str | None) -> dict[str, Any]:
    tombstone = comment.status == "deleted"
    return {
        "id": comment_id(source_format, comment.source_id),
        "article_slug": slug,
        "name": "" if tombstone else comment.name,
        "email": "" if tombstone else comment.email,
        "website": None if tombstone else comment.website,
        "message": "" if tombstone else comment.message[:MESSAGE_LIMIT],
        "parent_id": comment_id(source_format, comment.parent) if comment.parent else None,
        "root_id": comment_id(source_format, root) if root else None,
        "status": CommentStatus(comment.status).value,
        "created_at": comment.created_at.isoformat(),
        "was_approved": comment.status in ("approved", "deleted"),
    }


def _ancestors(comment: SourceComment, by_id: dict[str, SourceComment]) -> list[str]:
    found: list[str] = []
    while comment.parent is not None and comment.parent in by_id and len(found) < len(by_id):
        found.append(comment.parent)
        comment = by_id[comment.parent]
    return found


def _roots(parsed: Parsed, by_id: dict[str, SourceComment], plan: Plan) -> dict[str, str | None]:
    """Each importable comment's top-level comment (None for a top-level one); orphans left out."""
    roots: dict[str, str | None] = {}
    for comment in parsed.comments:
        chain = [comment, *(by_id[a] for a in _ancestors(comment, by_id))]
        top = chain[-1]
        problem = None
        if comment.thread not in parsed.threads:
            problem = f"its thread {comment.thread or '(none)'} is not in the file"
        elif top.parent is not None:
            problem = (
                f"its parent {top.parent} is not in the file"
                if top.parent not in by_id
                else "its parents loop"
            )
        elif any(link.thread != comment.thread for link in chain):
            problem = "it answers a comment of another thread"
        if problem:
            plan.orphans.append(f"comment {comment.source_id}: {problem}")
            continue
        roots[comment.source_id] = top.source_id if top is not comment else None
    return roots
