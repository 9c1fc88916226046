"""Rate limits: fixed-window counters, one item per subject and window, expiring by TTL."""

from __future__ import annotations

from datetime import datetime

from botocore.exceptions import ClientError

from parley.settings import get_settings
from parley.storage.dynamo import dynamodb, error_code


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
            if error_code(error) != "TransactionCanceledException":
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
