"""Permalinks: which page of an article's listing holds a comment, so a link to it can open there.

The listing pages through threads, so a reply is found on the page of its top-level comment. The
answer is that page's number and the `cursor` that `GET /api/comments` (same `limit` and `order`)
answers it for: the same pages as reading from the first one, so "load more" carries on from there.
"""

from parley.api_models import CommentPlace
from parley.errors import NotFound
from parley.models import CommentStatus
from parley.pagination import encode_cursor
from parley.storage.comments import CommentRepository
from parley.storage.threads import Order, listing_scope


def locate(comment_id: str, limit: int, order: Order, repository: CommentRepository) -> CommentPlace:
    """The page holding an approved comment's thread; NotFound for any comment the listing does not
    show (the answer is the same whatever the reason, so it tells nothing about unpublished ones)."""
    threads = repository.threads
    comment = threads.place(comment_id)
    thread = comment if comment is None or comment.root_id is None else threads.place(comment.root_id)
    if (
        comment is None
        or comment.status is not CommentStatus.APPROVED
        or thread is None
        or thread.listing_key is None
    ):
        raise NotFound(f"no published comment has the id {comment_id}", field="comment_id")
    before, boundary = threads.page_boundary(comment.article_slug, thread.listing_key, order, limit)
    return CommentPlace(
        article_slug=comment.article_slug,
        comment_id=comment.id,
        thread_id=thread.id,
        page=before // limit + 1,
        cursor=None
        if boundary is None
        else encode_cursor(listing_scope(comment.article_slug, order), boundary),
    )
