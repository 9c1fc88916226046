"""Each moderator's alert slot: when the next alert may go, and what waits for the next digest.

One item per moderator (`ALERTS#<address hash>`, `DIGEST`): `open_until` (epoch seconds: no alert
before), `ids` (the first comments collected, at most DIGEST_LISTED), `pending` and `spam` (how
many were collected), `scheduled` (when the digest message was queued; absent when none is due).
Only the sender writes it, one run at a time (its lease), so plain conditional updates suffice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from parley.settings import get_settings
from parley.storage.dynamo import dynamodb, error_code, plain

DIGEST_LISTED = 20
KEPT = timedelta(days=8)  # the item outlives any interval and any queued digest, then expires


@dataclass(frozen=True)
class DigestState:
    open_until: int = 0
    ids: list[str] = field(default_factory=list)
    pending: int = 0
    spam: int = 0
    scheduled: int | None = None


class AlertSlots:
    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name

    def _key(self, moderator: str) -> dict[str, dict[str, str]]:
        return {"PK": {"S": f"ALERTS#{moderator}"}, "SK": {"S": "DIGEST"}}

    def take(self, moderator: str, now: datetime, interval: timedelta) -> bool:
        """Claim the slot for an alert now: only when it is open and no digest is waiting."""
        try:
            dynamodb().update_item(
                TableName=self.table_name,
                Key=self._key(moderator),
                UpdateExpression="SET open_until = :until, expires_at = :expires",
                ConditionExpression="(attribute_not_exists(open_until) OR open_until <= :now) "
                "AND attribute_not_exists(scheduled)",
                ExpressionAttributeValues={
                    ":now": {"N": str(int(now.timestamp()))},
                    ":until": {"N": str(int((now + interval).timestamp()))},
                    ":expires": {"N": str(int((now + KEPT).timestamp()))},
                },
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def collect(self, moderator: str, comment_id: str, now: datetime) -> DigestState | None:
        """Add a pending comment to the next digest. The state before, when this is the first one
        collected (the caller then schedules the digest); None otherwise."""
        values = {
            ":one": {"N": "1"},
            ":now": {"N": str(int(now.timestamp()))},
            ":expires": {"N": str(int((now + KEPT).timestamp()))},
        }
        counted = "ADD pending :one SET scheduled = if_not_exists(scheduled, :now), expires_at = :expires"
        try:
            response = dynamodb().update_item(
                TableName=self.table_name,
                Key=self._key(moderator),
                UpdateExpression=counted + ", ids = list_append(if_not_exists(ids, :none), :id)",
                ConditionExpression="attribute_not_exists(ids) OR size(ids) < :listed",
                ExpressionAttributeValues={
                    **values,
                    ":none": {"L": []},
                    ":id": {"L": [{"S": comment_id}]},
                    ":listed": {"N": str(DIGEST_LISTED)},
                },
                ReturnValues="ALL_OLD",
            )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise
            response = dynamodb().update_item(  # the list is full: counted only
                TableName=self.table_name,
                Key=self._key(moderator),
                UpdateExpression=counted,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_OLD",
            )
        before = self._state(response.get("Attributes") or {})
        return before if before.scheduled is None else None

    def count_spam(self, moderator: str, now: datetime) -> None:
        dynamodb().update_item(
            TableName=self.table_name,
            Key=self._key(moderator),
            UpdateExpression="ADD spam :one SET expires_at = :expires",
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":expires": {"N": str(int((now + KEPT).timestamp()))},
            },
        )

    def read(self, moderator: str) -> DigestState:
        response = dynamodb().get_item(
            TableName=self.table_name, Key=self._key(moderator), ConsistentRead=True
        )
        return self._state(response.get("Item") or {})

    def sent(self, moderator: str, state: DigestState, now: datetime, interval: timedelta) -> None:
        """The digest went: empty it, and close the slot for another interval."""
        dynamodb().update_item(
            TableName=self.table_name,
            Key=self._key(moderator),
            UpdateExpression="SET open_until = :until REMOVE ids, scheduled ADD pending :pending, spam :spam",
            ConditionExpression="scheduled = :scheduled",
            ExpressionAttributeValues={
                ":until": {"N": str(int((now + interval).timestamp()))},
                ":scheduled": {"N": str(state.scheduled)},
                ":pending": {"N": str(-state.pending)},
                ":spam": {"N": str(-state.spam)},
            },
        )

    @staticmethod
    def _state(item: Mapping[str, Any]) -> DigestState:
        values = plain(dict(item))
        return DigestState(
            open_until=int(values.get("open_until", 0)),
            ids=[str(i) for i in values.get("ids", [])],
            pending=int(values.get("pending", 0)),
            spam=int(values.get("spam", 0)),
            scheduled=int(values["scheduled"]) if "scheduled" in values else None,
        )
