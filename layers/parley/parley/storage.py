"""DynamoDB access: the only module that talks to the table.

One table holds everything (see docs/architecture.md):

| item            | PK             | SK      | GSI1 (approved)                | GSI2 (pending)          |
| --------------- | -------------- | ------- | ------------------------------ | ----------------------- |
| comment         | COMMENT#<id>   | COMMENT | ARTICLE#<slug>, <created>#<id> | PENDING or SPAM, <c>#<id> |
| article counter | ARTICLE#<slug> | STATS   |                                |                         |
| subscription    | ARTICLE#<slug> | SUB#<h> |                                |                         |
| email sent      | IDEMPOTENCY    | <key>   | (Powertools idempotency, expires by TTL)                 |
| rate counter    | RATE#<subject> | <window seconds>#<window number> (expires by TTL)                  |

GSI1 and GSI2 are sparse: a comment carries the GSI1 keys only while approved and the GSI2 keys
only while pending, so each listing is one Query with no filter. GSI1 projects only the published
fields: the public listing never reads an email address.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from parley.errors import ConcurrentChange, NotFound
from parley.models import (
    Comment,
    CommentStatus,
    PublishedComment,
    Subscription,
    SubscriptionStatus,
    email_hash,
)
from parley.pagination import decode_cursor, encode_cursor
from parley.settings import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer
    from mypy_boto3_dynamodb import DynamoDBClient

ARTICLE_INDEX = "GSI1"
MODERATION_INDEX = "GSI2"
PENDING_PARTITION = "PENDING"
SPAM_PARTITION = "SPAM"
IDEMPOTENCY_PARTITION = "IDEMPOTENCY"  # Powertools idempotency records: one per email sent
BATCH_GET_LIMIT = 100
PUBLISHED_ATTRIBUTES = tuple(PublishedComment.model_fields)
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


@cache
def dynamodb() -> DynamoDBClient:
    """Created on first use; honours AWS_ENDPOINT_URL (the local stack, moto)."""
    return boto3.client("dynamodb")


def _comment_key(comment_id: str) -> dict[str, Any]:
    return {"PK": {"S": f"COMMENT#{comment_id}"}, "SK": {"S": "COMMENT"}}


def _stats_key(slug: str) -> dict[str, Any]:
    return {"PK": {"S": f"ARTICLE#{slug}"}, "SK": {"S": "STATS"}}


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _sort_key(comment: Comment) -> str:
    return f"{_timestamp(comment.created_at)}#{comment.id}"


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
    item = {name: _serializer.serialize(value) for name, value in data.items()}
    return {**item, **_comment_key(comment.id), "type": {"S": "comment"}}


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


def _from_item(item: dict[str, Any]) -> Comment:
    return Comment.model_validate(_plain(item))


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
        return [PublishedComment.model_validate(_plain(item)) for item in items], next_cursor

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
        request: dict[str, Any] = {
            self.table_name: {
                "Keys": [_stats_key(slug) for slug in unique],
                "ProjectionExpression": "PK, approved_count",
            }
        }
        while request:
            response = dynamodb().batch_get_item(RequestItems=request)
            for item in response.get("Responses", {}).get(self.table_name, []):
                slug = item["PK"]["S"].removeprefix("ARTICLE#")
                counts[slug] = int(item.get("approved_count", {}).get("N", "0"))
            request = response.get("UnprocessedKeys") or {}
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
        condition = {
            "ConditionExpression": "#status = :expected",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {":expected": {"S": comment.status.value}},
        }
        items: list[dict[str, Any]] = [
            {"Put": {"TableName": self.table_name, "Item": _to_item(updated), **condition}}
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
                    "ConditionExpression": "#status = :expected",
                    "ExpressionAttributeNames": {"#status": "status"},
                    "ExpressionAttributeValues": {":expected": {"S": comment.status.value}},
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
            if _error_code(error) == "TransactionCanceledException":
                raise ConcurrentChange(
                    f"comment {comment_id} was changed by someone else meanwhile; read it again",
                    field="comment_id",
                ) from error
            raise


def _approved(comment: Comment) -> int:
    return 1 if comment.status is CommentStatus.APPROVED else 0


def _subscription_key(slug: str, email_hash: str) -> dict[str, Any]:
    return {"PK": {"S": f"ARTICLE#{slug}"}, "SK": {"S": f"SUB#{email_hash}"}}


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class SubscriptionRepository:
    """Who wants follow-ups for which article, and whether they confirmed."""

    UNCONFIRMED_LIFETIME = timedelta(days=8)

    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name

    def request(self, slug: str, email: str, now: datetime, resend_after: timedelta) -> Subscription | None:
        """Record a wish to subscribe. Returns the subscription when a confirmation is due: it is new,
        unsubscribed before, or unconfirmed with no confirmation sent within `resend_after`; None otherwise."""
        return self._conditional_update(
            slug,
            email_hash(email),
            UpdateExpression=(
                "SET #type = :type, article_slug = :slug, email = :email, email_hash = :hash, "
                "#status = :unconfirmed, confirmation_sent_at = :now, "
                "created_at = if_not_exists(created_at, :now), expires_at = :expires "
                "REMOVE confirmed_at, unsubscribed_at"
            ),
            ConditionExpression=(
                "attribute_not_exists(PK) OR #status = :unsubscribed "
                "OR (#status = :unconfirmed AND (attribute_not_exists(confirmation_sent_at) "
                "OR confirmation_sent_at < :resend_from))"
            ),
            ExpressionAttributeNames={"#type": "type", "#status": "status"},
            ExpressionAttributeValues={
                ":type": {"S": "subscription"},
                ":slug": {"S": slug},
                ":email": {"S": email},
                ":hash": {"S": email_hash(email)},
                ":unconfirmed": {"S": SubscriptionStatus.UNCONFIRMED.value},
                ":unsubscribed": {"S": SubscriptionStatus.UNSUBSCRIBED.value},
                ":now": {"S": _timestamp(now)},
                ":resend_from": {"S": _timestamp(now - resend_after)},
                ":expires": {"N": str(int((now + self.UNCONFIRMED_LIFETIME).timestamp()))},
            },
        )

    def withdraw_request(self, subscription: Subscription) -> None:
        """Undo `request`'s mark when its confirmation could not be queued, so a new tick sends one."""
        self._conditional_update(
            subscription.article_slug,
            subscription.email_hash,
            UpdateExpression="REMOVE confirmation_sent_at",
            ConditionExpression="#status = :unconfirmed",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":unconfirmed": {"S": SubscriptionStatus.UNCONFIRMED.value}},
        )

    def get(self, slug: str, email_hash: str) -> Subscription | None:
        response = dynamodb().get_item(
            TableName=self.table_name, Key=_subscription_key(slug, email_hash), ConsistentRead=True
        )
        return _subscription(response["Item"]) if "Item" in response else None

    def confirm(self, slug: str, email_hash: str, now: datetime) -> Subscription | None:
        """Confirm an unconfirmed (or already confirmed) subscription; None when there is none to confirm."""
        return self._set_status(
            slug,
            email_hash,
            "SET #status = :confirmed, confirmed_at = if_not_exists(confirmed_at, :now) REMOVE expires_at",
            "#status IN (:unconfirmed, :confirmed)",
            now,
        )

    def unsubscribe(self, slug: str, email_hash: str, now: datetime) -> Subscription | None:
        """Stop all mail for this article and address; None when there was no subscription."""
        return self._set_status(
            slug,
            email_hash,
            "SET #status = :unsubscribed, unsubscribed_at = :now REMOVE expires_at",
            None,
            now,
        )

    def _set_status(
        self, slug: str, email_hash: str, update: str, condition: str | None, now: datetime
    ) -> Subscription | None:
        """Apply `update` to an existing subscription (and only when `condition` holds, if given)."""
        values = {
            ":confirmed": {"S": SubscriptionStatus.CONFIRMED.value},
            ":unconfirmed": {"S": SubscriptionStatus.UNCONFIRMED.value},
            ":unsubscribed": {"S": SubscriptionStatus.UNSUBSCRIBED.value},
            ":now": {"S": _timestamp(now)},
        }
        expression = "attribute_exists(PK)" + (f" AND {condition}" if condition else "")
        used = {name: value for name, value in values.items() if name in update or name in expression}
        return self._conditional_update(
            slug,
            email_hash,
            UpdateExpression=update,
            ConditionExpression=expression,
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=used,
        )

    def _conditional_update(self, slug: str, email_hash: str, **update: Any) -> Subscription | None:
        """UpdateItem on one subscription; its new state, or None when the condition did not hold."""
        try:
            response = dynamodb().update_item(
                TableName=self.table_name,
                Key=_subscription_key(slug, email_hash),
                ReturnValues="ALL_NEW",
                **update,
            )
        except ClientError as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                return None
            raise
        return _subscription(response["Attributes"])

    def confirmed_page(
        self, slug: str, after: str | None, page_size: int
    ) -> tuple[list[Subscription], str | None]:
        """One page of the article's confirmed subscriptions, from just after the email hash `after`;
        and the hash to continue after, or None at the end."""
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "PK = :article AND begins_with(SK, :subscription)",
            "FilterExpression": "#status = :confirmed",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":article": {"S": f"ARTICLE#{slug}"},
                ":subscription": {"S": "SUB#"},
                ":confirmed": {"S": SubscriptionStatus.CONFIRMED.value},
            },
            "Limit": page_size,
        }
        if after is not None:
            query["ExclusiveStartKey"] = _subscription_key(slug, after)
        response = dynamodb().query(**query)
        last = response.get("LastEvaluatedKey")
        return [_subscription(item) for item in response.get("Items", [])], (
            last["SK"]["S"].removeprefix("SUB#") if last else None
        )

    def statuses(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], SubscriptionStatus]:
        """The status of up to 100 (slug, email hash) subscriptions in one BatchGetItem; absent ones are left out."""
        found: dict[tuple[str, str], SubscriptionStatus] = {}
        request: dict[str, Any] = {
            self.table_name: {
                "Keys": [_subscription_key(slug, hashed) for slug, hashed in dict.fromkeys(keys)],
                "ProjectionExpression": "article_slug, email_hash, #status",
                "ExpressionAttributeNames": {"#status": "status"},
                "ConsistentRead": True,
            }
        }
        while request:
            response = dynamodb().batch_get_item(RequestItems=request)
            for item in response.get("Responses", {}).get(self.table_name, []):
                plain = _plain(item)
                found[(plain["article_slug"], plain["email_hash"])] = SubscriptionStatus(plain["status"])
            request = response.get("UnprocessedKeys") or {}
        return found


def _subscription(item: dict[str, Any]) -> Subscription:
    return Subscription.model_validate(_plain(item))


def idempotency_store(table_name: str | None = None) -> DynamoDBPersistenceLayer:
    """Powertools idempotency records in our table, under PK = IDEMPOTENCY, expiring by its TTL."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer  # only where used

    return DynamoDBPersistenceLayer(
        table_name=table_name or get_settings().table_name,
        key_attr="PK",
        sort_key_attr="SK",
        static_pk_value=IDEMPOTENCY_PARTITION,
        expiry_attr="expires_at",
        boto3_client=dynamodb(),
    )


class RateLimits:
    """Fixed-window counters that expire by TTL."""

    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name

    def hit(self, windows: list[tuple[str, int, int]], now: datetime) -> int | None:
        """Count one hit in each (subject, limit, window seconds), all or none, in one transaction.

        Returns None when every count stayed within its limit; otherwise nothing is counted and the
        answer is the seconds until the fullest window ends."""
        epoch = int(now.timestamp())
        updates = []
        for subject, limit, seconds in windows:
            window = epoch // seconds
            updates.append(
                {
                    "Update": {
                        "TableName": self.table_name,
                        "Key": {"PK": {"S": f"RATE#{subject}"}, "SK": {"S": f"{seconds}#{window}"}},
                        "UpdateExpression": "ADD hits :one SET expires_at = :expires",
                        "ConditionExpression": "attribute_not_exists(hits) OR hits < :limit",
                        "ExpressionAttributeValues": {
                            ":one": {"N": "1"},
                            ":limit": {"N": str(limit)},
                            ":expires": {"N": str((window + 2) * seconds)},
                        },
                    }
                }
            )
        try:
            dynamodb().transact_write_items(TransactItems=updates)  # type: ignore[arg-type]
        except ClientError as error:
            if _error_code(error) != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons") or [{"Code": "ConditionalCheckFailed"}] * len(
                windows
            )
            full = [
                seconds - epoch % seconds
                for (_, _, seconds), reason in zip(windows, reasons, strict=False)
                if reason.get("Code") == "ConditionalCheckFailed"
            ]
            return max(full, default=60)
        return None
