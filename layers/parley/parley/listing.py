"""The domain of reading comments: approved ones only, as anyone may see them.

Kept apart from `parley.submission` so the list function loads nothing of the submit path.
"""

from typing import Literal

from parley.models import CommentCounts, CommentPage, PublicComment, PublishedComment
from parley.rendering import message_to_html
from parley.storage.comments import CommentRepository


def to_public(comment: PublishedComment) -> PublicComment:
    return PublicComment(**comment.model_dump(), message_html=message_to_html(comment.message))


def list_comments(
    slug: str,
    limit: int,
    order: Literal["oldest", "newest"],
    cursor: str | None,
    repository: CommentRepository,
) -> CommentPage:
    comments, next_cursor = repository.list_approved(slug, limit, order, cursor)
    return CommentPage(
        article_slug=slug,
        count=repository.approved_count(slug),
        comments=[to_public(comment) for comment in comments],
        next_cursor=next_cursor,
    )


def count_comments(slugs: list[str], repository: CommentRepository) -> CommentCounts:
    return CommentCounts(counts=repository.approved_counts(slugs))
