"""Moving comments in and out through the moderation function: the import and export actions.

An import writes each comment only if its id is new (ids come from the source's own ids), so the
same file imported again adds nothing; an approved comment raises its article's count in the
same transaction as its write, so counts stay exact. History is kept as it was: the rules for new
comments (a 10-character message, an email address) are not applied.
"""

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from parley.avatars import avatar_key
from parley.models import (
    COMMENT_ID_PATTERN,
    SLUG_PATTERN,
    Comment,
    CommentStatus,
    Subscription,
    email_hash,
    utc_now,
)
from parley.reader_tokens import reader_key
from parley.rendering import message_to_html
from parley.storage import imported_comments
from parley.storage.comment_items import from_item
from parley.storage.comments import CommentRepository
from parley.storage.subscriptions import SubscriptionRepository, subscription_from_item
from parley.storage.table_scan import scan_page

# One import request: up to 500 comments (five transactions of 100); the CLI also keeps each request
# under 4 MB, inside Lambda's 6 MB.
IMPORT_BATCH_LIMIT = 500
EXPORT_PAGE_LIMIT = 200
IMPORTED_MESSAGE_LIMIT = 20_000
EXPORT_FORMAT = "parley-export"
EXPORT_VERSION = 1

Id = Annotated[str, StringConstraints(pattern=COMMENT_ID_PATTERN)]
Text = Annotated[str, StringConstraints(max_length=500)]


class ImportedComment(Comment):
    """A stored comment as an import carries it: every field, checked for shape only."""

    model_config = ConfigDict(extra="forbid")

    id: Id
    article_slug: Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
    article_category: Text | None = None
    name: Text
    email: Annotated[str, StringConstraints(max_length=254)]
    website: Text | None = None
    message: Annotated[str, StringConstraints(max_length=IMPORTED_MESSAGE_LIMIT)]
    # An export carries it; an import never takes it (rendered again from `message`), nor passes it on.
    message_html: str | None = Field(default=None, exclude=True)
    parent_id: Id | None = None
    root_id: Id | None = None
    user_agent: Text | None = None
    moderated_by: Text | None = None
    api_url: Text | None = None


class ImportedSubscription(Subscription):
    """A subscription as an export carries it; its key (`email_hash`) is derived from the address again."""

    model_config = ConfigDict(extra="forbid")

    article_slug: Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
    email: Annotated[str, StringConstraints(min_length=3, max_length=254)]
    email_hash: str = ""

    @model_validator(mode="after")
    def _keyed_by_its_address(self) -> Self:
        self.email_hash = email_hash(self.email)
        return self


class ImportComments(BaseModel):
    action: Literal["import"]
    comments: list[ImportedComment] = Field(default=[], max_length=IMPORT_BATCH_LIMIT)
    subscriptions: list[ImportedSubscription] = Field(default=[], max_length=IMPORT_BATCH_LIMIT)

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if not self.comments and not self.subscriptions:
            raise ValueError("comments or subscriptions must hold at least one record")
        return self


class ExportComments(BaseModel):
    action: Literal["export"]
    article_slug: Annotated[str, StringConstraints(pattern=SLUG_PATTERN)] | None = None
    include_subscriptions: bool = False
    limit: int = Field(default=100, ge=1, le=EXPORT_PAGE_LIMIT)
    cursor: str | None = None


class ImportResult(BaseModel):
    written: int = Field(description="Comments new to the table, now stored.")
    existing: int = Field(description="Comments whose id was already stored: left as they are.")
    approved_written: int = Field(description="Of those written, the approved ones (added to the counts).")
    subscriptions_written: int = 0
    subscriptions_existing: int = 0


class ExportPage(BaseModel):
    """A page of stored comments in no particular order; `next_cursor` is null after the last page.
    A page may hold fewer comments than asked for (even none) before the end."""

    format: str = EXPORT_FORMAT
    version: int = EXPORT_VERSION
    comments: list[Comment]
    subscriptions: list[Subscription] = Field(default=[])
    next_cursor: str | None


def import_comments(
    request: ImportComments, repository: CommentRepository, subscriptions: SubscriptionRepository
) -> ImportResult:
    """Comments written many to a transaction (`imported_comments`), each only if its id is new;
    a pending one (imported history) waits from now for its expiry, not from its date."""
    # An export carries message_html, avatar and reader_key too: made again here, never taken from
    # the file (the keys are this stack's own keyed hashes, so a reader finds imported history too).
    comments = [
        Comment.model_validate(
            {
                **comment.model_dump(),
                "message_html": message_to_html(comment.message) if comment.message else None,
                "avatar": avatar_key(comment.email, comment.name),
                "reader_key": reader_key(comment.email) if comment.email else None,
            }
        )
        for comment in request.comments
    ]
    written = imported_comments.add_new(
        repository.table_name, comments, repository.pending_days, stored_since=utc_now()
    )
    added = [
        subscriptions.add_if_new(Subscription.model_validate(s.model_dump()), reader_key(s.email))
        for s in request.subscriptions
    ]
    return ImportResult(
        written=len(written),
        existing=len(comments) - len(written),
        approved_written=sum(comment.status is CommentStatus.APPROVED for comment in written),
        subscriptions_written=sum(added),
        subscriptions_existing=len(added) - sum(added),
    )


def export_comments(request: ExportComments, table_name: str) -> ExportPage:
    kinds = ("comment", "subscription") if request.include_subscriptions else ("comment",)
    items, next_cursor = scan_page(table_name, kinds, request.limit, request.cursor, request.article_slug)
    return ExportPage(
        comments=[from_item(item) for item in items if item["type"]["S"] == "comment"],
        subscriptions=[subscription_from_item(item) for item in items if item["type"]["S"] == "subscription"],
        next_cursor=next_cursor,
    )
