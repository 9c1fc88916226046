"""The domain of reading comments: approved ones only, in threads, as anyone may see them.

Kept apart from `parley.submission` so the list function loads nothing of the submit path.
A page is one Query for its top-level comments, one BatchGetItem for the article's count and which
of them ever had a reply, and one Query per thread that has (or may have) replies: a bounded number
of requests whatever the article's size, two for a page without replies.
"""

import contextvars
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

from parley.api_models import (
    AnyListedComment,
    CommentCounts,
    CommentPage,
    PublicComment,
    RemovedComment,
    ReplyPage,
)
from parley.models import HIDDEN, CommentStatus, PublishedComment, ThreadEntry
from parley.rendering import message_to_html
from parley.storage.comments import CommentRepository

THREAD_PAGE_SIZE = 200  # replies a top-level comment brings along; the rest through its replies_cursor
THREAD_QUERIES_AT_ONCE = 10
# Kept for the container's life: starting threads for every page cost more CPU than the page's work.
_thread_queries = ThreadPoolExecutor(max_workers=THREAD_QUERIES_AT_ONCE, thread_name_prefix="thread-query")


def to_public(comment: PublishedComment, replies: list[AnyListedComment] | None = None) -> PublicComment:
    return PublicComment(
        **comment.model_dump(include=set(PublishedComment.model_fields) - {"message_html"}),
        message_html=shown_html(comment),
        replies=replies or [],
    )


def shown_html(comment: PublishedComment) -> str:
    """The HTML stored when the comment was written; one stored before that (until `parley rerender`)
    is rendered now, which loads markdown-it in this container."""
    return comment.message_html or message_to_html(comment.message)


def list_comments(
    slug: str,
    limit: int,
    order: Literal["oldest", "newest"],
    cursor: str | None,
    repository: CommentRepository,
) -> CommentPage:
    """A page of threads: top-level comments (newest or oldest first), each with its replies nested
    oldest first. Removed comments that still hold public replies stand as placeholders."""
    tops, next_cursor = repository.threads.top_level(slug, limit, order, cursor)
    count, has_replies = repository.page_facts(slug, [top.id for top in tops])
    pages = _thread_pages([top.id for top in tops if has_replies[top.id] is not False], repository)
    threads = []
    for top in tops:
        # No reply ever approved: the top is public (a removed one is listed only to hold replies).
        entries, replies_cursor = pages.get(top.id, ([], None))
        listed = _thread(top, entries, keep_top=replies_cursor is not None)
        if listed is not None:
            listed.replies_cursor = replies_cursor
            threads.append(listed)
    return CommentPage(article_slug=slug, count=count, comments=threads, next_cursor=next_cursor)


def _thread_pages(
    root_ids: list[str], repository: CommentRepository
) -> dict[str, tuple[list[ThreadEntry], str | None]]:
    """The first page of each thread, one Query each, at once: about one Query's latency in all.
    Each runs in the caller's context (its context variables: the logger's keys, the local stack's
    note of which function is calling)."""
    if not root_ids:
        return {}
    caller = contextvars.copy_context()

    def first_page(root: str) -> tuple[list[ThreadEntry], str | None]:
        return caller.copy().run(repository.threads.thread, root, THREAD_PAGE_SIZE, None)

    return dict(zip(root_ids, _thread_queries.map(first_page, root_ids), strict=True))


def more_replies(root_id: str, cursor: str, repository: CommentRepository) -> ReplyPage:
    """The rest of a long thread, a page at a time, in order, each naming its parent."""
    entries, next_cursor = repository.threads.thread(root_id, THREAD_PAGE_SIZE, cursor)
    replies = [
        to_public(entry)
        if entry.status is CommentStatus.APPROVED
        else RemovedComment(id=entry.id, parent_id=entry.parent_id, replies=[])
        for entry in entries
        if entry.id != root_id
    ]
    # A removed reply is listed only to hold public replies of this page (later ones name it as their
    # parent and the reader places them under its placeholder, already on the page).
    held = {reply.parent_id for reply in replies}
    replies = [r for r in replies if not isinstance(r, RemovedComment) or r.id in held]
    return ReplyPage(replies=replies, next_cursor=next_cursor)


def _thread(top: PublishedComment, entries: list[ThreadEntry], keep_top: bool) -> AnyListedComment | None:
    """The tree of one thread. The top's own entry tells its status; one listed before threads
    existed has none and is approved. A removed comment is shown only to hold public replies (the
    top also while more of its thread is still to come: `keep_top`)."""
    children: dict[str, list[ThreadEntry]] = defaultdict(list)
    status = CommentStatus.APPROVED
    for entry in entries:
        if entry.id == top.id:
            status = entry.status
        elif entry.parent_id is not None:
            children[entry.parent_id].append(entry)

    def build(
        comment: PublishedComment, comment_status: CommentStatus, keep: bool
    ) -> AnyListedComment | None:
        replies = [
            listed
            for child in children.get(comment.id, [])
            if (listed := build(child, child.status, keep=False)) is not None
        ]
        if comment_status in HIDDEN:
            return RemovedComment(id=comment.id, replies=replies) if replies or keep else None
        return to_public(comment, replies)

    return build(top, status, keep_top)


def count_comments(slugs: list[str], repository: CommentRepository) -> CommentCounts:
    return CommentCounts(counts=repository.approved_counts(slugs))
