"""Comments and their per-article approved counts.

GSI1 and GSI2 are sparse: a comment carries the GSI1 keys only while approved and the GSI2 keys
only while pending (or spam), so each listing is one Query with no filter. GSI1 projects only the
published fields: the public listing never reads an email address.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from botocore.exceptions import ClientError

from parley.errors import ConcurrentChange, NotFound
from parley.models import Comment, CommentStatus, PublishedComment
from parley.pagination import decode_cursor, encode_cursor
from parley.settings import get_settings
from parley.storage.dynamo import (
    BATCH_GET_LIMIT,
    batch_get,
    dynamodb,
    error_code,
    plain,
    timestamp,
    to_attributes,
)

ARTICLE_INDEX = "GSI1"
MODERATION_INDEX = "GSI2"
PENDING_PARTITION = "PENDING"
SPAM_PARTITION = "SPAM"
PUBLISHED_ATTRIBUTES = tuple(PublishedComment.model_fields)


def _comment_key(comment_id: str) -> dict[str, Any]:
    return {"PK": {"S": f"COMMENT#{comment_id}"}, "SK": {"S": "COMMENT"}}


def _stats_key(slug: str) -> dict[str, Any]:
    return {"PK": {"S": f"ARTICLE#{slug}"}, "SK": {"S": "STATS"}}


def _sort_key(comment: Comment) -> str:
    return f"{timestamp(comment.created_at)}#{comment.id}"


def _index_keys(comment: Comment) -> dict[str, str]:
    if comment.status is CommentStatus.APPROVED:
        return {"GSI1PK": f"ARTICLE#{comment.article_slug}", "GSI1SK": _sort_key(comment)}
    if comment.status is CommentStatus.PENDING:
        return {"GSI2PK": PENDING_PARTITION, "GSI2SK": _sort_key(comment)}
    if comment.status is CommentStatus.SPAM:
        return {"GSI2PK": SPAM_PARTITION, "GSI2SK": _sort_key(comment)}
    return {}


def _to_item(comment: Comment) -> dict[str, Any]:
    data = comment.model_dump(mode="json", exclude_none=True)
    data.update(_index_keys(comment))
    return {**to_attributes(data), **_comment_key(comment.id), "type": {"S": "comment"}}


def _from_item(item: dict[str, Any]) -> Comment:
    return Comment.model_validate(plain(item))


class CommentRepository:
    """Comments and their per-article approved counts."""

    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name

    def add(self, comment: Comment) -> None:
        dynamodb().put_item(
            TableName=self.table_name,
            Item=_to_item(comment),
            ConditionExpression="attribute_not_exists(PK)",
        )

    def get(self, comment_id: str) -> Comment:
        response = dynamodb().get_item(
            TableName=self.table_name, Key=_comment_key(comment_id), ConsistentRead=True
        )
        if "Item" not in response:
            raise NotFound(f"no comment has the id {comment_id}", field="comment_id")
        return _from_item(response["Item"])

    def list_approved(
        self, slug: str, limit: int, order: Literal["oldest", "newest"], cursor: str | None
    ) -> tuple[list[PublishedComment], str | None]:
        """One page of an article's approved comments (published fields only), and the next page's cursor."""
        items, next_cursor = self._query_index(
            ARTICLE_INDEX,
            f"ARTICLE#{slug}",
            f"article:{slug}:{order}",
            limit,
            order == "oldest",
            cursor,
            projection=PUBLISHED_ATTRIBUTES,
        )
        return [PublishedComment.model_validate(plain(item)) for item in items], next_cursor

    def list_pending(
        self, limit: int, cursor: str | None, status: CommentStatus = CommentStatus.PENDING
    ) -> tuple[list[Comment], str | None]:
        """The moderation queue (or the spam held apart from it), oldest first, across all articles."""
        partition = SPAM_PARTITION if status is CommentStatus.SPAM else PENDING_PARTITION
        items, next_cursor = self._query_index(MODERATION_INDEX, partition, status.value, limit, True, cursor)
        return [_from_item(item) for item in items], next_cursor

    def _query_index(
        self,
        index: str,
        partition: str,
        scope: str,
        limit: int,
        ascending: bool,
        cursor: str | None,
        projection: tuple[str, ...] = (),
    ) -> tuple[list[dict[str, Any]], str | None]:
        query: dict[str, Any] = {
            "TableName": self.table_name,
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
                **_comment_key(comment_id),
                f"{index}PK": {"S": partition},
                f"{index}SK": {"S": sort_key},
            }
        response = dynamodb().query(**query)
        last = response.get("LastEvaluatedKey")
        next_cursor = encode_cursor(scope, last[f"{index}SK"]["S"]) if last else None
        return response.get("Items", []), next_cursor

    def approved_count(self, slug: str) -> int:
        return self.approved_counts([slug])[slug]

    def approved_counts(self, slugs: list[str]) -> dict[str, int]:
        """Approved counts of up to 100 articles in one BatchGetItem (re-asking only for unprocessed keys)."""
        unique = list(dict.fromkeys(slugs))[:BATCH_GET_LIMIT]
        counts = dict.fromkeys(unique, 0)
        request = {
            "Keys": [_stats_key(slug) for slug in unique],
            "ProjectionExpression": "PK, approved_count",
        }
        for item in batch_get(self.table_name, request):
            slug = item["PK"]["S"].removeprefix("ARTICLE#")
            counts[slug] = int(item.get("approved_count", {}).get("N", "0"))
        return counts

    def change_status(
        self, comment: Comment, new_status: CommentStatus, moderator: str, at: datetime
    ) -> Comment:
        """Move a comment to a new status and adjust its article's count in one transaction.

        The write is conditional on the status the caller read, so two moderators acting at once
        cannot both apply a change, and the count cannot drift.
        """
        updated = comment.model_copy(
            update={
                "status": new_status,
                "previous_status": comment.status,
                "moderated_by": moderator,
                "moderated_at": at,
                # The reader's address token and user agent serve moderation only: gone once it is done.
                "client_hash": None,
                "user_agent": None,
            }
        )
        delta = _approved(updated) - _approved(comment)
        items: list[dict[str, Any]] = [
            {"Put": {"TableName": self.table_name, "Item": _to_item(updated), **_still(comment.status)}}
        ]
        if delta:
            items.append(self._count_update(comment.article_slug, delta))
        self._transact(items, comment.id)
        return updated

    def delete(self, comment: Comment) -> None:
        """Remove a comment; an approved one leaves its article's count in the same transaction."""
        items: list[dict[str, Any]] = [
            {
                "Delete": {
                    "TableName": self.table_name,
                    "Key": _comment_key(comment.id),
                    **_still(comment.status),
                }
            }
        ]
        if _approved(comment):
            items.append(self._count_update(comment.article_slug, -1))
        self._transact(items, comment.id)

    def _count_update(self, slug: str, delta: int) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self.table_name,
                "Key": _stats_key(slug),
                "UpdateExpression": "ADD approved_count :delta",
                "ExpressionAttributeValues": {":delta": {"N": str(delta)}},
            }
        }

    def _transact(self, items: list[dict[str, Any]], comment_id: str) -> None:
        try:
            dynamodb().transact_write_items(TransactItems=items)  # type: ignore[arg-type]
        except ClientError as error:
            if error_code(error) == "TransactionCanceledException":
                raise ConcurrentChange(
                    f"comment {comment_id} was changed by someone else meanwhile; read it again",
                    field="comment_id",
                ) from error
            raise


def _still(status: CommentStatus) -> dict[str, Any]:
    """The condition that the stored comment still has the status the caller read."""
    return {
        "ConditionExpression": "#status = :expected",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": {":expected": {"S": status.value}},
    }


def _approved(comment: Comment) -> int:
    return 1 if comment.status is CommentStatus.APPROVED else 0
