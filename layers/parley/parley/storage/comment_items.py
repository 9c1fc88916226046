"""How a comment is kept: its key, the index keys its status gives it, and reading an index a page at a time.

| index | partition            | sort          | holds                                                          |
| ----- | -------------------- | ------------- | -------------------------------------------------------------- |
| GSI1  | ARTICLE#<slug>       | <created>#<id> | top-level comments: approved, or removed but holding replies  |
| GSI2  | PENDING or SPAM      | <created>#<id> | the moderation queue                                           |
| GSI3  | THREAD#<root id>     | <created>#<id> | a thread: its top-level comment and every reply once approved |
| GSI4  | READER#<reader key>  | COMMENT#<created>#<id> | a reader's own comments, any status (subscriptions: SUB#<slug>) |

| GSI5  | FEED#<slug>          | <created>#<id> | an article's approved comments, replies included (its feed)   |
| GSI6  | RECENT#<month>#<n>   | <created>#<id> | approved comments of a month, in RECENT_SHARDS shards (the site feed) |

The reader key is a keyed hash of the email (HMAC under the stack's secret), never the address.
All six are sparse: a comment carries only the keys its status gives it, so each listing is one
Query with no filter. GSI1 and GSI3 project only published fields (GSI3 also the status, to tell a
placeholder): the public listing never reads an email address.
"""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any

from parley.models import HIDDEN, Comment, CommentStatus, FeedEntry, PublishedComment, ThreadEntry
from parley.pagination import decode_cursor, encode_cursor
from parley.retention import DEFAULT_PENDING_RETENTION_DAYS, comment_expiry
from parley.storage.dynamo import dynamodb, plain, timestamp, to_attributes

ARTICLE_INDEX = "GSI1"
MODERATION_INDEX = "GSI2"
THREAD_INDEX = "GSI3"
READER_INDEX = "GSI4"
ARTICLE_FEED_INDEX = "GSI5"
RECENT_INDEX = "GSI6"
RECENT_SHARDS = 4  # a month's approvals spread over this many partitions (docs/architecture.md, "Feeds")
PENDING_PARTITION = "PENDING"
SPAM_PARTITION = "SPAM"
PUBLISHED_ATTRIBUTES = tuple(PublishedComment.model_fields)
THREAD_ATTRIBUTES = tuple(ThreadEntry.model_fields)
FEED_ATTRIBUTES = tuple(FeedEntry.model_fields)


def comment_key(comment_id: str) -> dict[str, Any]:
    return {"PK": {"S": f"COMMENT#{comment_id}"}, "SK": {"S": "COMMENT"}}


def stats_key(slug: str) -> dict[str, Any]:
    return {"PK": {"S": f"ARTICLE#{slug}"}, "SK": {"S": "STATS"}}


def _sort_key(comment: Comment) -> str:
    return f"{timestamp(comment.created_at)}#{comment.id}"


def recent_partition(month: str, shard: int) -> str:
    """The site feed's partition of one month (`2026-11`) and shard."""
    return f"RECENT#{month}#{shard}"


def index_keys(comment: Comment) -> dict[str, str]:
    keys: dict[str, str] = {}
    approved = comment.status is CommentStatus.APPROVED
    if approved:
        shard = zlib.crc32(comment.id.encode()) % RECENT_SHARDS
        keys.update(
            {
                "GSI5PK": f"FEED#{comment.article_slug}",
                "GSI5SK": _sort_key(comment),
                "GSI6PK": recent_partition(timestamp(comment.created_at)[:7], shard),
                "GSI6SK": _sort_key(comment),
            }
        )
    if approved or (comment.was_approved and comment.status in HIDDEN):
        keys.update({"GSI3PK": f"THREAD#{comment.root_id or comment.id}", "GSI3SK": _sort_key(comment)})
    if comment.root_id is None and (approved or (comment.holds_thread and comment.status in HIDDEN)):
        keys.update({"GSI1PK": f"ARTICLE#{comment.article_slug}", "GSI1SK": _sort_key(comment)})
    if comment.status is CommentStatus.PENDING:
        keys.update({"GSI2PK": PENDING_PARTITION, "GSI2SK": _sort_key(comment)})
    if comment.status is CommentStatus.SPAM:
        keys.update({"GSI2PK": SPAM_PARTITION, "GSI2SK": _sort_key(comment)})
    if comment.reader_key and comment.status is not CommentStatus.DELETED:
        keys.update({"GSI4PK": f"READER#{comment.reader_key}", "GSI4SK": f"COMMENT#{_sort_key(comment)}"})
    return keys


def to_item(
    comment: Comment,
    pending_days: int = DEFAULT_PENDING_RETENTION_DAYS,
    stored_since: datetime | None = None,
) -> dict[str, Any]:
    """The stored item: the comment, its index keys, and when TTL may remove it (`parley.retention`)."""
    data: dict[str, Any] = comment.model_dump(mode="json", exclude_none=True)
    data.update(index_keys(comment))
    expiry = comment_expiry(comment, pending_days, stored_since)
    if expiry is not None:
        data["expires_at"] = int(expiry.timestamp())
    return {**to_attributes(data), **comment_key(comment.id), "type": {"S": "comment"}}


def from_item(item: dict[str, Any]) -> Comment:
    return Comment.model_validate(plain(item))


def query_index(
    table_name: str,
    index: str,
    partition: str,
    page: tuple[str, int, str | None],
    ascending: bool = True,
    projection: tuple[str, ...] = (),
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of an index's partition: `page` is (the cursor's scope, the page size, the cursor)."""
    scope, limit, cursor = page
    query: dict[str, Any] = {
        "TableName": table_name,
        "IndexName": index,
        "KeyConditionExpression": f"{index}PK = :partition",
        "ExpressionAttributeValues": {":partition": {"S": partition}},
        "ScanIndexForward": ascending,
        "Limit": limit,
    }
    if projection:
        query["ProjectionExpression"] = ", ".join(f"#{name}" for name in projection)
        query["ExpressionAttributeNames"] = {f"#{name}": name for name in projection}
    if cursor is not None:
        sort_key = decode_cursor(scope, cursor)
        comment_id = sort_key.rsplit("#", 1)[1]
        query["ExclusiveStartKey"] = {
            **comment_key(comment_id),
            f"{index}PK": {"S": partition},
            f"{index}SK": {"S": sort_key},
        }
    response = dynamodb().query(**query)
    last = response.get("LastEvaluatedKey")
    next_cursor = encode_cursor(scope, last[f"{index}SK"]["S"]) if last else None
    return response.get("Items", []), next_cursor
