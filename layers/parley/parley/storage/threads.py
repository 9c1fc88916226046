"""Threads for the public listing: a page of top-level comments, and each one's replies."""

from __future__ import annotations

from typing import Literal

from parley.models import CommentStatus, PublishedComment, ThreadEntry
from parley.settings import get_settings
from parley.storage.comment_items import (
    ARTICLE_INDEX,
    PUBLISHED_ATTRIBUTES,
    THREAD_ATTRIBUTES,
    THREAD_INDEX,
    query_index,
)
from parley.storage.dynamo import dynamodb, plain


class ThreadIndex:
    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name

    def top_level(
        self, slug: str, limit: int, order: Literal["oldest", "newest"], cursor: str | None
    ) -> tuple[list[PublishedComment], str | None]:
        """One page of an article's top-level comments (published fields only), and the next cursor."""
        items, next_cursor = query_index(
            self.table_name,
            ARTICLE_INDEX,
            f"ARTICLE#{slug}",
            (f"article:{slug}:{order}", limit, cursor),
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
