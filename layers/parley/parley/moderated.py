"""What moderators see of a comment, and where its status may go: all the moderation links
function needs, without the moderation requests (import and export among them) it never handles."""

from pydantic import BaseModel

from parley.models import Comment, CommentStatus

# Where each status may go. Moving to the status a comment already has changes nothing.
TRANSITIONS: dict[CommentStatus, frozenset[CommentStatus]] = {
    CommentStatus.PENDING: frozenset({CommentStatus.APPROVED, CommentStatus.REJECTED, CommentStatus.SPAM}),
    CommentStatus.APPROVED: frozenset({CommentStatus.REJECTED, CommentStatus.SPAM}),
    CommentStatus.REJECTED: frozenset({CommentStatus.APPROVED}),
    CommentStatus.SPAM: frozenset({CommentStatus.APPROVED}),
    CommentStatus.DELETED: frozenset(),
}


class ParentContext(BaseModel):
    """What a reply answers, so a moderator reads it in context."""

    id: str
    name: str
    message: str
    status: CommentStatus


class ModeratedComment(Comment):
    """A comment as moderators see it: every field, `deleted` as the answer to a delete, and for a
    reply the comment it answers."""

    parent: ParentContext | None = None
