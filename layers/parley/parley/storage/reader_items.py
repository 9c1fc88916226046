"""A reader's own items, found by the keyed hash of their address (GSI4): comments and subscriptions.

Each comment and subscription carries `GSI4PK = READER#<reader key>` (comments while they hold an
address; a tombstone holds none), so one reader's items are one Query, a page at a time; no Scan,
and never the plain address in a key.
"""

from __future__ import annotations

from typing import Any

from parley.models import Comment, Subscription
from parley.settings import get_settings
from parley.storage.comment_items import READER_INDEX, from_item
from parley.storage.dynamo import dynamodb
from parley.storage.subscriptions import subscription_from_item

PAGE_SIZE = 100


def reader_partition(reader_key: str) -> str:
    return f"READER#{reader_key}"


class ReaderItems:
    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name

    def any_stored(self, reader_key: str) -> bool:
        """Whether anything at all is stored for this reader (one Query of one item)."""
        response = dynamodb().query(**self._query(reader_key, limit=1, select_count=True))
        return bool(response.get("Count", 0))

    def everything(self, reader_key: str, limit: int = 1000) -> tuple[list[Comment], list[Subscription]]:
        """The reader's comments (oldest first, any status) and subscriptions, up to `limit` items."""
        comments: list[Comment] = []
        subscriptions: list[Subscription] = []
        query = self._query(reader_key, limit=PAGE_SIZE)
        while len(comments) + len(subscriptions) < limit:
            response = dynamodb().query(**query)
            for item in response.get("Items", []):
                if item["GSI4SK"]["S"].startswith("SUB#"):
                    subscriptions.append(subscription_from_item(item))
                else:
                    comments.append(from_item(item))
            if "LastEvaluatedKey" not in response:
                break
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        return comments, subscriptions

    def _query(self, reader_key: str, limit: int, select_count: bool = False) -> dict[str, Any]:
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": READER_INDEX,
            "KeyConditionExpression": "GSI4PK = :reader",
            "ExpressionAttributeValues": {":reader": {"S": reader_partition(reader_key)}},
            "Limit": limit,
        }
        if select_count:
            query["Select"] = "COUNT"
        return query
