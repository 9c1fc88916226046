"""A reader's own comment, within the edit window: change its text (pending again) or take it back.

The `Authorization: Bearer <token>` is the edit token the submission answered with: signed for this
comment and for editing only (`parley.reader_tokens`), expiring after EDIT_WINDOW_MINUTES.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from parley import reader_tokens, tokens
from parley.api_answers import EditAccepted
from parley.errors import Forbidden, Unauthorized
from parley.models import Comment, CommentStatus, Message, utc_now
from parley.observability import logger
from parley.settings import Settings
from parley.sqs import NotificationQueue
from parley.storage.comments import CommentRepository
from parley.submission import alert_moderators

BEARER = "bearer "


class CommentEdit(BaseModel):
    """The new text of one's own comment."""

    model_config = ConfigDict(extra="ignore", str_max_length=10_000)

    message: Annotated[Message, Field(description="Plain text, 10 to 5,000 characters.")]


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header, or Unauthorized."""
    if not authorization or not authorization.lower().startswith(BEARER):
        raise Unauthorized(
            "send the comment's edit_token as Authorization: Bearer <token>", field="Authorization"
        )
    return authorization[len(BEARER) :].strip()


def own_comment(
    comment_id: str, authorization: str | None, comments: CommentRepository, settings: Settings
) -> Comment:
    """The comment, when the token allows changing it: Forbidden (forged, another purpose, another
    comment), Gone (the window closed), NotFound (no such comment, or deleted already)."""
    granted = reader_tokens.verify_edit(
        tokens.signing_secret(), bearer_token(authorization), settings.edit_window_minutes
    )
    comment = comments.get(comment_id)
    if granted != comment.id:
        raise Forbidden("this token is for another comment", field="Authorization")
    return comment


def edit(
    comment_id: str,
    authorization: str | None,
    change: CommentEdit,
    comments: CommentRepository,
    queue: NotificationQueue,
    settings: Settings,
) -> EditAccepted:
    """New text, held for moderation again: an approved comment leaves the listing (and its count)
    until a moderator approves the new text, so an edit cannot smuggle anything past them."""
    comment = own_comment(comment_id, authorization, comments, settings)
    edited = comments.edit(comment, change.message, utc_now())
    logger.info(
        "comment edited by its author",
        extra={"comment_id": comment.id, "was": comment.status.value, "now": edited.status.value},
    )
    if edited.status in (CommentStatus.PENDING, CommentStatus.SPAM):
        alert_moderators(edited, settings.moderator_emails, queue)
    return EditAccepted(id=comment.id)


def delete(
    comment_id: str, authorization: str | None, comments: CommentRepository, settings: Settings
) -> None:
    """Take the comment back: gone, or (once public) a tombstone holding its replies' place."""
    comment = own_comment(comment_id, authorization, comments, settings)
    comments.delete(comment)
    logger.info("comment deleted by its author", extra={"comment_id": comment.id})
