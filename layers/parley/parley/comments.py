"""The domain: accepting comments and reading the approved ones."""

import hashlib
import uuid
from typing import Literal

from parley.models import (
    Comment,
    CommentCounts,
    CommentPage,
    CommentStatus,
    CommentSubmission,
    PublicComment,
    PublishedComment,
    SubmissionAccepted,
    utc_now,
)
from parley.rendering import message_to_html
from parley.storage import CommentRepository


def hash_client_address(address: str) -> str:
    """Moderators see a stable token per reader, never the address itself."""
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def submit_comment(
    submission: CommentSubmission,
    client_address: str,
    user_agent: str | None,
    repository: CommentRepository,
) -> SubmissionAccepted:
    """Store a new comment as pending: nothing is public until a moderator approves it."""
    comment = Comment(
        id=uuid.uuid4().hex,
        article_slug=submission.article_slug,
        article_category=submission.article_category,
        name=submission.name,
        email=submission.email,
        website=submission.website,
        message=submission.message,
        parent_id=submission.parent_id,
        status=CommentStatus.PENDING,
        created_at=utc_now(),
        notifications=submission.notifications,
        client_hash=hash_client_address(client_address),
        user_agent=(user_agent or "")[:512] or None,
    )
    repository.add(comment)
    return SubmissionAccepted(id=comment.id)


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
