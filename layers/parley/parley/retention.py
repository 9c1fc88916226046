"""How long what a reader leaves is kept before DynamoDB's TTL removes it (the `expires_at` attribute).

Comments never moderated go after the pending retention (from when they last became pending), spam
and rejected ones after 30 days; approved comments stay. A comment that was public once stays too,
whatever its status: replies may hang on it (a reader or moderator deletes it, leaving a tombstone).
Unconfirmed subscriptions go after 7 days (`parley.storage.subscriptions`).
"""

from datetime import datetime, timedelta

from parley.models import Comment, CommentStatus

REMOVED_RETENTION = timedelta(days=30)
UNCONFIRMED_SUBSCRIPTION_RETENTION = timedelta(days=7)
DEFAULT_PENDING_RETENTION_DAYS = 90


def comment_expiry(
    comment: Comment, pending_days: int, stored_since: datetime | None = None
) -> datetime | None:
    """When TTL may remove this comment; None to keep it. `stored_since`: when it entered this
    stack, for an imported one (its history's dates are older than the stack): it waits from then."""
    if comment.was_approved:
        return None
    floor = stored_since or comment.created_at
    if comment.status is CommentStatus.PENDING:
        return max(comment.edited_at or comment.created_at, floor) + timedelta(days=pending_days)
    if comment.status in (CommentStatus.SPAM, CommentStatus.REJECTED):
        return max(comment.moderated_at or comment.created_at, floor) + REMOVED_RETENTION
    return None
