"""What the public API lists: pages of threads, a comment's place, counts (never an email). Only the
list function loads it; acceptances, previews and errors are `parley.api_answers`."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from parley.models import PublishedComment


class PublicComment(PublishedComment):
    message_html: str = Field(
        description="The message as HTML: its Markdown subset (emphasis, code, links, quotes, lists), "
        'everything else escaped; links carry rel="nofollow ugc noopener".'
    )
    replies: "list[PublicComment | RemovedComment]" = Field(
        default=[], description="Approved replies, oldest first, each with its own replies."
    )
    replies_cursor: str | None = Field(
        default=None,
        description="On a top-level comment whose thread is too long for one page: pass to "
        "/api/comments/replies for the rest.",
    )


class RemovedComment(BaseModel):
    """A comment no longer public that still has public replies: it keeps their place, nothing else."""

    id: str
    removed: Literal[True] = True
    parent_id: str | None = Field(default=None, description="Only in /api/comments/replies.")
    replies: "list[PublicComment | RemovedComment]"
    replies_cursor: str | None = None

    @model_serializer(mode="wrap")
    def _leave_out_what_is_not_there(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """`{"id", "removed": true, "replies"}`, and the optional fields only when they say something."""
        data: dict[str, Any] = handler(self)
        return {name: value for name, value in data.items() if value is not None}


AnyListedComment = PublicComment | RemovedComment
# The two refer to each other: built now, at import, not on the first request that lists a thread.
PublicComment.model_rebuild()
RemovedComment.model_rebuild()


class CommentPage(BaseModel):
    article_slug: str
    count: int = Field(description="Approved comments of the article in all, replies included.")
    comments: list[AnyListedComment] = Field(
        description="Top-level comments (threads); `limit` counts these."
    )
    next_cursor: str | None = Field(description="Pass back as `cursor` for the next page; null on the last.")


class ReplyPage(BaseModel):
    """More of one long thread: replies in order, each naming its parent."""

    replies: list[AnyListedComment]
    next_cursor: str | None


class CommentPlace(BaseModel):
    """Where a comment is listed: the page of `GET /api/comments` that holds its thread."""

    article_slug: str
    comment_id: str
    thread_id: str = Field(description="Its top-level comment (itself, when it is one).")
    page: int = Field(description="The page's number, 1 for the first.")
    cursor: str | None = Field(
        description="Pass as `cursor` to GET /api/comments, with the same `limit` and `order`, for that "
        "page; null for the first."
    )


class CommentCounts(BaseModel):
    model_config = ConfigDict(defer_build=True)  # only the count route answers it

    counts: dict[str, int]
