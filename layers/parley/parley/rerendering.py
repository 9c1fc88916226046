"""The `rerender` moderation action: every stored comment's message_html again, after a renderer change.

A page of the table at a time (the export's administrative Scan, through the IAM-only moderation
function); a comment is written only when its HTML or its index keys differ from what is stored,
and only if its message and status are still those read, so a concurrent change is never undone.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from parley.models import SLUG_PATTERN, CommentStatus
from parley.rendering import message_to_html
from parley.storage.comment_items import from_item, index_keys
from parley.storage.comments import CommentRepository
from parley.storage.table_scan import scan_page

RERENDER_PAGE_LIMIT = 200


class RerenderComments(BaseModel):
    action: Literal["rerender"]
    article_slug: Annotated[str, StringConstraints(pattern=SLUG_PATTERN)] | None = None
    limit: int = Field(default=100, ge=1, le=RERENDER_PAGE_LIMIT)
    cursor: str | None = None


class RerenderPage(BaseModel):
    """What one page did; `next_cursor` is null after the last page."""

    examined: int = Field(description="Comments read on this page.")
    rerendered: int = Field(description="Comments whose HTML (or index keys) were written again.")
    next_cursor: str | None


def rerender(request: RerenderComments, repository: CommentRepository) -> RerenderPage:
    items, next_cursor = scan_page(
        repository.table_name, ("comment",), request.limit, request.cursor, request.article_slug
    )
    rerendered = 0
    for item in items:
        comment = from_item(item)
        if comment.status is CommentStatus.DELETED:
            continue
        html = message_to_html(comment.message)
        stored_keys = {name: item[name]["S"] for name in index_keys(comment) if name in item}
        if html == comment.message_html and stored_keys == index_keys(comment):
            continue
        rerendered += repository.store_rendering(comment, html)
    return RerenderPage(examined=len(items), rerendered=rerendered, next_cursor=next_cursor)
