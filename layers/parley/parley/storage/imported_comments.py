"""Imported comments written many to a transaction: each only if its id is new, and the approved
ones' article counts raised in the same transaction, so counts stay exact and a re-run adds nothing.

A transaction holds at most 100 actions (puts, and one count update per article) and 4 MB. When
some of its comments exist already, DynamoDB cancels it naming them (`ConditionalCheckFailed`);
it is sent again without them. A conflict with another writer (`TransactionConflict`, say two
imports raising one article's count at once) is retried after a short pause.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from parley.errors import ConcurrentChange
from parley.models import Comment, CommentStatus
from parley.storage.comment_items import comment_key, stats_key, to_item
from parley.storage.dynamo import dynamodb, error_code

TRANSACTION_ACTIONS = 100
TRANSACTION_BYTES = 3_500_000  # DynamoDB takes 4 MB a transaction; item sizes are estimated
CONFLICT_ATTEMPTS = 8


def add_new(
    table_name: str, comments: list[Comment], pending_days: int, stored_since: datetime
) -> list[Comment]:
    """Store the comments whose ids are not taken (a comment given twice counts once); returns those
    written. Their expiry (`parley.retention`) counts from `stored_since`."""
    written: list[Comment] = []
    for chunk in _chunks(comments, pending_days, stored_since):
        written += _write(table_name, chunk)
    for root_id in {c.root_id for c in written if c.root_id and c.status is CommentStatus.APPROVED}:
        _mark_thread_replied(table_name, root_id)
    return written


def _mark_thread_replied(table_name: str, root_id: str) -> None:
    """A top-level comment stored here before, known to have no replies, has some now: the listing
    must read its thread. (One written by an import has the flag unknown and is always read; one
    not stored yet is skipped by the condition.)"""
    try:
        dynamodb().update_item(
            TableName=table_name,
            Key=comment_key(root_id),
            UpdateExpression="SET has_replies = :yes",
            ConditionExpression="has_replies = :no",
            ExpressionAttributeValues={":yes": {"BOOL": True}, ":no": {"BOOL": False}},
        )
    except ClientError as error:
        if error_code(error) != "ConditionalCheckFailedException":
            raise


def _chunks(
    comments: list[Comment], pending_days: int, stored_since: datetime
) -> Iterator[list[tuple[Comment, dict[str, Any]]]]:
    """Comments with their items, as many a transaction as its limits allow (an approved comment's
    article needs its own count update)."""
    chunk: list[tuple[Comment, dict[str, Any]]] = []
    articles: set[str] = set()
    size = 0
    seen: set[str] = set()
    for comment in comments:
        if comment.id in seen:
            continue
        seen.add(comment.id)
        # Whether its thread has replies is left unknown (an import's replies may come before or
        # after it, or in another run): the listing always reads such a thread.
        item = to_item(comment.model_copy(update={"has_replies": None}), pending_days, stored_since)
        length = len(json.dumps(item))
        counted = {comment.article_slug} if comment.status is CommentStatus.APPROVED else set()
        if chunk and (
            len(chunk) + 1 + len(articles | counted) > TRANSACTION_ACTIONS
            or size + length > TRANSACTION_BYTES
        ):
            yield chunk
            chunk, articles, size = [], set(), 0
        chunk.append((comment, item))
        articles |= counted
        size += length
    if chunk:
        yield chunk


def _write(table_name: str, chunk: list[tuple[Comment, dict[str, Any]]]) -> list[Comment]:
    pending = chunk
    attempt = 0
    while pending:
        try:
            dynamodb().transact_write_items(TransactItems=_actions(table_name, pending))  # type: ignore[arg-type]
            return [comment for comment, _ in pending]
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise
            reasons = [reason.get("Code") for reason in error.response.get("CancellationReasons", [])]
            taken = {
                index
                for index, code in enumerate(reasons[: len(pending)])
                if code == "ConditionalCheckFailed"
            }
            if taken:
                pending = [entry for index, entry in enumerate(pending) if index not in taken]
                continue
            attempt += 1
            if "TransactionConflict" not in reasons or attempt >= CONFLICT_ATTEMPTS:
                raise ConcurrentChange(
                    "other writes kept conflicting with the import's; import the file again to finish",
                    field="comments",
                ) from error
            time.sleep(random.uniform(0, 0.05 * 2**attempt))  # noqa: S311 - jitter, not a secret
    return []


def _actions(table_name: str, pending: list[tuple[Comment, dict[str, Any]]]) -> list[dict[str, Any]]:
    puts: list[dict[str, Any]] = [
        {"Put": {"TableName": table_name, "Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}
        for _, item in pending
    ]
    approved = Counter(c.article_slug for c, _ in pending if c.status is CommentStatus.APPROVED)
    counts = [
        {
            "Update": {
                "TableName": table_name,
                "Key": stats_key(slug),
                "UpdateExpression": "ADD approved_count :delta",
                "ExpressionAttributeValues": {":delta": {"N": str(delta)}},
            }
        }
        for slug, delta in approved.items()
    ]
    return puts + counts
