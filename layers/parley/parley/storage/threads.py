"""Threads for the public listing: a page of top-level comments, and each one's replies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from parley.models import CommentStatus, PublishedComment, ThreadEntry
from parley.settings import get_settings
from parley.storage.comment_items import (
    ARTICLE_INDEX,
    PUBLISHED_ATTRIBUTES,
    THREAD_ATTRIBUTES,
    THREAD_INDEX,
    comment_key,
    query_index,
)
from parley.storage.dynamo import dynamodb, plain

Order = Literal["oldest", "newest"]
PLACE_ATTRIBUTES = ("id", "article_slug", "root_id", "status", "GSI1SK")


@dataclass(frozen=True)
class ListingPlace:
    """Where a comment's item puts it: its article, its thread, its status and (for a top-level comment
    the listing shows) its sort key there. Never more than that: no address is read."""

    id: str
    article_slug: str
    root_id: str | None
    status: CommentStatus
    listing_key: str | None


def listing_scope(slug: str, order: Order) -> str:
    """What a listing's cursors are bound to: one article, one order."""
    return f"article:{slug}:{order}"


class ThreadIndex:
    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name

    def top_level(
        self, slug: str, limit: int, order: Order, cursor: str | None
    ) -> tuple[list[PublishedComment], str | None]:
        """One page of an article's top-level comments (published fields only), and the next cursor."""
        items, next_cursor = query_index(
            self.table_name,
            ARTICLE_INDEX,
            f"ARTICLE#{slug}",
            (listing_scope(slug, order), limit, cursor),
            ascending=order == "oldest",
            projection=PUBLISHED_ATTRIBUTES,
        )
        return [PublishedComment.model_validate(plain(item)) for item in items], next_cursor

    def thread(self, root_id: str, limit: int, cursor: str | None) -> tuple[list[ThreadEntry], str | None]:
        """A thread in the order it was written: its top-level comment (when it ever was public) and
        every reply once approved, each with its status; one Query of at most `limit` items."""
        items, next_cursor = query_index(
            self.table_name,
            THREAD_INDEX,
            f"THREAD#{root_id}",
            (f"thread:{root_id}", limit, cursor),
            projection=THREAD_ATTRIBUTES,
        )
        return [ThreadEntry.model_validate(plain(item)) for item in items], next_cursor

    def has_public_replies(self, root_id: str) -> bool:
        """Whether any reply of the thread is approved (moderation asks, before removing its top)."""
        query = {
            "TableName": self.table_name,
            "IndexName": THREAD_INDEX,
            "KeyConditionExpression": "GSI3PK = :thread",
            "FilterExpression": "#status = :approved AND id <> :root",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":thread": {"S": f"THREAD#{root_id}"},
                ":approved": {"S": CommentStatus.APPROVED.value},
                ":root": {"S": root_id},
            },
            "Select": "COUNT",
        }
        while True:
            response = dynamodb().query(**query)  # type: ignore[arg-type]
            if response.get("Count", 0):
                return True
            if "LastEvaluatedKey" not in response:
                return False
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def place(self, comment_id: str) -> ListingPlace | None:
        """Where the comment stands (None when there is no such comment): one GetItem of a few fields."""
        response = dynamodb().get_item(
            TableName=self.table_name,
            Key=comment_key(comment_id),
            ProjectionExpression=", ".join(f"#{name}" for name in PLACE_ATTRIBUTES),
            ExpressionAttributeNames={f"#{name}": name for name in PLACE_ATTRIBUTES},
        )
        item = plain(response["Item"]) if "Item" in response else None
        if item is None or "article_slug" not in item:
            return None
        return ListingPlace(
            id=item["id"],
            article_slug=item["article_slug"],
            root_id=item.get("root_id"),
            status=CommentStatus(item["status"]),
            listing_key=item.get("GSI1SK"),
        )

    def page_boundary(self, slug: str, listing_key: str, order: Order, limit: int) -> tuple[int, str | None]:
        """How many top-level comments the listing shows before the one at `listing_key`, and the sort
        key that ends the page before its page (None: it is on the first page), with pages of `limit`.
        A COUNT Query of those before it (it reads them all: the cost grows with the position, but
        none is sent back), then at most `limit` keys read back from it to that page's start."""
        forward = order == "oldest"
        before_it: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": ARTICLE_INDEX,
            "KeyConditionExpression": f"GSI1PK = :article AND GSI1SK {'<' if forward else '>'} :key",
            "ExpressionAttributeValues": {":article": {"S": f"ARTICLE#{slug}"}, ":key": {"S": listing_key}},
        }
        counting = {**before_it, "Select": "COUNT"}
        before = 0
        while True:
            response = dynamodb().query(**counting)
            before += response.get("Count", 0)
            if "LastEvaluatedKey" not in response:
                break
            counting["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        if before < limit:
            return before, None
        back = dynamodb().query(
            **before_it, ScanIndexForward=not forward, Limit=before % limit + 1, ProjectionExpression="GSI1SK"
        )
        return before, str(back["Items"][-1]["GSI1SK"]["S"])
