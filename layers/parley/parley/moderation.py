"""The domain of moderation: the queue of pending comments and the moves between statuses."""

from collections.abc import Callable
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from parley.errors import ConcurrentChange, InvalidTransition
from parley.models import COMMENT_ID_PATTERN, Comment, CommentStatus, utc_now
from parley.moderated import TRANSITIONS, ModeratedComment, ParentContext
from parley.queue_messages import FollowUpJob
from parley.rendering import message_to_html
from parley.rerendering import RerenderComments
from parley.sqs import NotificationQueue
from parley.storage.comments import CommentRepository
from parley.transfer import ExportComments, ImportComments

CommentId = Annotated[str, Field(pattern=COMMENT_ID_PATTERN, description="The comment's id.")]
Moderator = Annotated[str, Field(min_length=1, max_length=200, description="Who is acting, for the record.")]

ATTEMPTS = 3
T = TypeVar("T")


class ListPending(BaseModel):
    action: Literal["list_pending"]
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = None
    status: Literal["pending", "spam"] = Field(
        default="pending", description="`spam` lists what the spam signals held apart from the queue."
    )


class GetComment(BaseModel):
    action: Literal["get"]
    comment_id: CommentId


class ChangeStatus(BaseModel):
    action: Literal["approve", "reject", "spam"]
    comment_id: CommentId
    moderator: Moderator

    @property
    def target(self) -> CommentStatus:
        return {
            "approve": CommentStatus.APPROVED,
            "reject": CommentStatus.REJECTED,
            "spam": CommentStatus.SPAM,
        }[self.action]


class DeleteComment(BaseModel):
    action: Literal["delete"]
    comment_id: CommentId
    moderator: Moderator


AnyRequest = (
    ListPending
    | GetComment
    | ChangeStatus
    | DeleteComment
    | ImportComments
    | ExportComments
    | RerenderComments
)
ModerationRequest = Annotated[AnyRequest, Field(discriminator="action")]
moderation_request: TypeAdapter[AnyRequest] = TypeAdapter(ModerationRequest)


class PendingPage(BaseModel):
    comments: list[ModeratedComment]
    next_cursor: str | None


def list_pending(request: ListPending, repository: CommentRepository) -> PendingPage:
    comments, next_cursor = repository.list_pending(
        request.limit, request.cursor, CommentStatus(request.status)
    )
    return PendingPage(comments=in_context(comments, repository), next_cursor=next_cursor)


def in_context(comments: list[Comment], repository: CommentRepository) -> list[ModeratedComment]:
    """Each comment with its parent's name and message (one BatchGetItem for all the parents)."""
    parents = repository.get_many([c.parent_id for c in comments if c.parent_id])
    return [
        ModeratedComment(
            **comment.model_dump(exclude={"parent"}),
            parent=ParentContext(
                **parents[comment.parent_id].model_dump(include={"id", "name", "message", "status"})
            )
            if comment.parent_id in parents
            else None,
        )
        for comment in comments
    ]


def on_fresh_copy(repository: CommentRepository, comment_id: str, act: Callable[[Comment], T]) -> T:
    """Read the comment and act on it; when a conditional write lost to another moderator's change,
    read it again and decide afresh (a few times)."""
    for _ in range(ATTEMPTS):
        try:
            return act(repository.get(comment_id))
        except ConcurrentChange:
            continue
    raise ConcurrentChange("the comment kept changing under us; try again", field="comment_id")


def change_status(request: ChangeStatus, repository: CommentRepository, queue: NotificationQueue) -> Comment:
    """Move a comment to approved, rejected or spam; approving queues the article's follow-up emails.

    Approving renders the message (`message_html`) when it has no rendering yet: a comment is
    rendered once, when it becomes public (not when it is posted: the reader waiting on a post
    loads no renderer, and spam is never rendered). The write is conditional on the status just read. Approving an approved comment writes nothing,
    but queues its follow-up job again: the sender sends each email once, so this is how a moderator
    retries when queueing failed after the approval was stored.
    """

    def move(comment: Comment) -> Comment:
        if comment.status is request.target:
            return comment
        if request.target not in TRANSITIONS[comment.status]:
            raise InvalidTransition(
                f"a {comment.status.value} comment cannot be marked {request.target.value}", field="action"
            )
        if request.target is CommentStatus.APPROVED and comment.message_html is None:
            comment = comment.model_copy(update={"message_html": message_to_html(comment.message)})
        return repository.change_status(comment, request.target, request.moderator, utc_now())

    changed = on_fresh_copy(repository, request.comment_id, move)
    if changed.status is CommentStatus.APPROVED:
        queue.send(
            FollowUpJob(
                comment_id=changed.id,
                article_slug=changed.article_slug,
                approved_at=changed.moderated_at or utc_now(),
            )
        )
    return changed


def delete(request: DeleteComment, repository: CommentRepository) -> ModeratedComment:
    def remove(comment: Comment) -> Comment:
        repository.delete(comment)
        return comment

    comment = on_fresh_copy(repository, request.comment_id, remove)
    return ModeratedComment.model_validate(
        {
            **comment.model_dump(),
            "status": CommentStatus.DELETED,
            "previous_status": comment.status,
            "moderated_by": request.moderator,
            "moderated_at": utc_now(),
        }
    )


def describe(error: ValidationError) -> str:
    """One line naming each field at fault (a location starts with the action, which is dropped)."""
    parts = []
    for detail in error.errors():
        field = ".".join(str(part) for part in detail["loc"][1:])
        parts.append(f"{field}: {detail['msg']}" if field else detail["msg"])
    return "; ".join(parts)
