"""Comments and their per-article approved counts (the keys and indexes: `comment_items`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from parley.errors import ConcurrentChange, NotFound
from parley.models import HIDDEN, Comment, CommentStatus
from parley.retention import DEFAULT_PENDING_RETENTION_DAYS
from parley.settings import get_settings
from parley.storage.comment_items import (
    MODERATION_INDEX,
    PENDING_PARTITION,
    SPAM_PARTITION,
    comment_key,
    from_item,
    index_keys,
    query_index,
    stats_key,
    to_item,
)
from parley.storage.dynamo import BATCH_GET_LIMIT, batch_get, dynamodb, error_code, timestamp
from parley.storage.threads import ThreadIndex


class CommentRepository:
    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name
        self.threads = ThreadIndex(self.table_name)
        self.pending_days = (
            DEFAULT_PENDING_RETENTION_DAYS if table_name else get_settings().pending_retention_days
        )

    def add(self, comment: Comment) -> None:
        dynamodb().put_item(
            TableName=self.table_name,
            Item=to_item(comment, self.pending_days),
            ConditionExpression="attribute_not_exists(PK)",
        )

    def get(self, comment_id: str) -> Comment:
        response = dynamodb().get_item(
            TableName=self.table_name, Key=comment_key(comment_id), ConsistentRead=True
        )
        if "Item" not in response or response["Item"]["status"]["S"] == CommentStatus.DELETED.value:
            raise NotFound(f"no comment has the id {comment_id}", field="comment_id")
        return from_item(response["Item"])

    def get_many(self, comment_ids: list[str]) -> dict[str, Comment]:
        """Up to 100 comments by id in one BatchGetItem (deleted and unknown ones left out)."""
        unique = list(dict.fromkeys(comment_ids))[:BATCH_GET_LIMIT]
        if not unique:
            return {}
        found = [
            from_item(item) for item in batch_get(self.table_name, {"Keys": [comment_key(i) for i in unique]})
        ]
        return {c.id: c for c in found if c.status is not CommentStatus.DELETED}

    def list_pending(
        self, limit: int, cursor: str | None, status: CommentStatus = CommentStatus.PENDING
    ) -> tuple[list[Comment], str | None]:
        """The moderation queue (or the spam held apart from it), oldest first, across all articles."""
        partition = SPAM_PARTITION if status is CommentStatus.SPAM else PENDING_PARTITION
        items, next_cursor = query_index(
            self.table_name, MODERATION_INDEX, partition, (status.value, limit, cursor)
        )
        return [from_item(item) for item in items], next_cursor

    def pending_expiring(self, now: datetime, within: timedelta, limit: int = 100) -> list[Comment]:
        """The pending comments TTL removes before `now + within` (of the oldest `limit`), oldest first,
        by the expiry stored with each (an edit or an import starts it later than its date says)."""
        soon = now + within
        response = dynamodb().query(
            TableName=self.table_name,
            IndexName=MODERATION_INDEX,
            KeyConditionExpression="GSI2PK = :pending AND GSI2SK < :cutoff",
            ExpressionAttributeValues={
                ":pending": {"S": PENDING_PARTITION},
                ":cutoff": {"S": timestamp(soon - timedelta(days=self.pending_days))},
            },
            Limit=limit,
        )
        items = response.get("Items", [])
        return [
            from_item(i) for i in items if "expires_at" in i and int(i["expires_at"]["N"]) <= soon.timestamp()
        ]

    def approved_count(self, slug: str) -> int:
        return self.approved_counts([slug])[slug]

    def page_facts(self, slug: str, top_ids: list[str]) -> tuple[int, dict[str, bool | None]]:
        """An article's approved count and, for each of its top-level comments listed, whether its
        thread ever had an approved reply (None: not known), in one BatchGetItem."""
        keys = [stats_key(slug), *(comment_key(i) for i in dict.fromkeys(top_ids))][:BATCH_GET_LIMIT]
        request = {"Keys": keys, "ProjectionExpression": "PK, approved_count, has_replies"}
        count, flags = 0, dict.fromkeys(top_ids, None)
        for item in batch_get(self.table_name, request):
            key = item["PK"]["S"]
            if key.startswith("ARTICLE#"):
                count = int(item.get("approved_count", {}).get("N", "0"))
            elif "has_replies" in item:
                flags[key.removeprefix("COMMENT#")] = bool(item["has_replies"]["BOOL"])
        return count, flags

    def approved_counts(self, slugs: list[str]) -> dict[str, int]:
        """Approved counts of up to 100 articles in one BatchGetItem (re-asking only for unprocessed keys)."""
        unique = list(dict.fromkeys(slugs))[:BATCH_GET_LIMIT]
        counts = dict.fromkeys(unique, 0)
        request = {"Keys": [stats_key(slug) for slug in unique], "ProjectionExpression": "PK, approved_count"}
        for item in batch_get(self.table_name, request):
            slug = item["PK"]["S"].removeprefix("ARTICLE#")
            counts[slug] = int(item.get("approved_count", {}).get("N", "0"))
        return counts

    def change_status(
        self, comment: Comment, new_status: CommentStatus, moderator: str, at: datetime
    ) -> Comment:
        """Move a comment to a new status and adjust its article's count in one transaction.

        The write is conditional on the status the caller read, so two moderators acting at once
        cannot both apply a change, and the count cannot drift. A top-level comment removed while it
        has public replies stays listed as their placeholder.
        """
        updated = comment.model_copy(
            update={
                "status": new_status,
                "previous_status": comment.status,
                "moderated_by": moderator,
                "moderated_at": at,
                "was_approved": comment.was_approved
                or CommentStatus.APPROVED in (comment.status, new_status),
                "holds_thread": self._holds_thread(comment, new_status),
                # The reader's address token and user agent serve moderation only: gone once it is done.
                "client_hash": None,
                "user_agent": None,
            }
        )
        self._replace(comment, updated)
        return updated

    def edit(self, comment: Comment, message: str, at: datetime) -> Comment:
        """Its author's new text: pending again (an approved comment leaves its article's count until
        a moderator approves the new text, which renders it; one with public replies keeps their
        place meanwhile)."""
        pending = CommentStatus.PENDING
        updated = comment.model_copy(
            update={
                "message": message,
                "message_html": None,
                "edited_at": at,
                "status": pending if comment.status is CommentStatus.APPROVED else comment.status,
                "previous_status": comment.status,
                "was_approved": comment.was_approved or comment.status is CommentStatus.APPROVED,
                "holds_thread": self._holds_thread(comment, pending)
                if comment.status is CommentStatus.APPROVED
                else comment.holds_thread,
            }
        )
        self._replace(comment, updated)
        return updated

    def delete(self, comment: Comment) -> None:
        """Remove a comment. One that was ever public leaves a tombstone (no name, email or message)
        where its replies may hang; an approved one leaves its article's count, in the same transaction."""
        if not (comment.was_approved or comment.status is CommentStatus.APPROVED):
            delete = {"TableName": self.table_name, "Key": comment_key(comment.id), **_still(comment)}
            self._transact([{"Delete": delete}], comment.id)
            return
        tombstone = Comment(
            id=comment.id,
            article_slug=comment.article_slug,
            name="",
            email="",
            message="",
            parent_id=comment.parent_id,
            root_id=comment.root_id,
            status=CommentStatus.DELETED,
            created_at=comment.created_at,
            was_approved=True,
            holds_thread=self._holds_thread(comment, CommentStatus.DELETED),
            has_replies=comment.has_replies,
        )
        self._replace(comment, tombstone)

    def store_rendering(self, comment: Comment, message_html: str) -> bool:
        """Store a comment's HTML again, with the index keys its status gives it (an item written before
        an index existed gets its keys); False when its message or status changed meanwhile."""
        keys = {name: {"S": value} for name, value in index_keys(comment).items()}
        values = {
            ":html": {"S": message_html},
            ":message": {"S": comment.message},
            ":expected": {"S": comment.status.value},
        }
        assignments = ", ".join(["message_html = :html", *(f"{name} = :{name}" for name in keys)])
        try:
            dynamodb().update_item(
                TableName=self.table_name,
                Key=comment_key(comment.id),
                UpdateExpression=f"SET {assignments}",
                ConditionExpression="#message = :message AND #status = :expected",
                ExpressionAttributeNames={"#message": "message", "#status": "status"},
                ExpressionAttributeValues={**values, **{f":{name}": value for name, value in keys.items()}},
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def _holds_thread(self, comment: Comment, new_status: CommentStatus) -> bool:
        if comment.root_id is not None or new_status not in HIDDEN:
            return False
        return self.threads.has_public_replies(comment.id)

    def _replace(self, comment: Comment, updated: Comment) -> None:
        """Put `updated` in the place of `comment` (as read), with its count, and its thread's reply
        flag when it is a reply becoming public, in one transaction."""
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.table_name,
                    "Item": to_item(updated, self.pending_days),
                    **_still(comment),
                }
            }
        ]
        delta = _approved(updated) - _approved(comment)
        if delta:
            items.append(self._count_update(comment.article_slug, delta))
        if delta > 0 and comment.root_id is not None:
            items.append(self._thread_has_replies(comment.root_id))
        self._transact(items, comment.id)

    def _thread_has_replies(self, root_id: str) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self.table_name,
                "Key": comment_key(root_id),
                "UpdateExpression": "SET has_replies = :yes",
                "ConditionExpression": "attribute_exists(PK)",
                "ExpressionAttributeValues": {":yes": {"BOOL": True}},
            }
        }

    def _count_update(self, slug: str, delta: int) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self.table_name,
                "Key": stats_key(slug),
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


def _still(comment: Comment) -> dict[str, Any]:
    """The condition that the stored comment is still as the caller read it: its status, and its
    reply flag (an approval of a reply sets it meanwhile; a Put of what was read must not undo that)."""
    values: dict[str, Any] = {":expected": {"S": comment.status.value}}
    if comment.has_replies is None:
        flag = "attribute_not_exists(has_replies)"
    else:
        flag = "has_replies = :flag"
        values[":flag"] = {"BOOL": comment.has_replies}
    return {
        "ConditionExpression": f"#status = :expected AND {flag}",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": values,
    }


def _approved(comment: Comment) -> int:
    return 1 if comment.status is CommentStatus.APPROVED else 0
