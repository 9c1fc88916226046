"""The domain: accepting comments and reading the approved ones."""

import hashlib
import uuid
from typing import Literal

from aws_lambda_powertools.metrics import MetricUnit

from parley.messages import ModeratorAlert
from parley.messaging import NotificationQueue
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
from parley.observability import logger, metrics
from parley.rendering import message_to_html
from parley.storage import CommentRepository, SubscriptionRepository
from parley.subscriptions import subscribe


def hash_client_address(address: str) -> str:
    """Moderators see a stable token per reader, never the address itself."""
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def submit_comment(
    submission: CommentSubmission,
    client_address: str,
    user_agent: str | None,
    repository: CommentRepository,
    queue: NotificationQueue,
    subscriptions: SubscriptionRepository,
    moderator_email: str | None,
) -> SubmissionAccepted:
    """Store a new comment as pending (nothing is public until a moderator approves it) and alert the moderator."""
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
    if moderator_email:
        alert_moderator(comment, moderator_email, queue)
    if submission.notifications:
        follow_ups_requested(comment, subscriptions, queue)
    return SubmissionAccepted(id=comment.id)


def follow_ups_requested(
    comment: Comment, subscriptions: SubscriptionRepository, queue: NotificationQueue
) -> None:
    """The reader ticked "notify me": the comment is stored, so a failure here is logged, not returned."""
    try:
        subscribe(comment.article_slug, comment.email, subscriptions, queue)
    except Exception:
        metrics.add_metric(name="ConfirmationsNotQueued", unit=MetricUnit.Count, value=1)


def alert_moderator(comment: Comment, moderator_email: str, queue: NotificationQueue) -> None:
    """Queue the moderator's email. The comment is stored already and waits in the moderation queue,
    so a failure here is logged and counted, not passed on to the reader."""
    alert = ModeratorAlert(
        to=moderator_email,
        comment_id=comment.id,
        article_slug=comment.article_slug,
        name=comment.name,
        website=comment.website,
        message=comment.message,
        created_at=comment.created_at,
        commands=[
            f"parley moderate {action} {comment.id}" for action in ("approve", "reject", "spam", "show")
        ],
    )
    try:
        queue.send(alert)
    except Exception:
        logger.exception("could not queue the moderator alert", extra={"comment_id": comment.id})
        metrics.add_metric(name="ModeratorAlertsNotQueued", unit=MetricUnit.Count, value=1)


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
