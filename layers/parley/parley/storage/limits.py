"""Rate limits: fixed-window counters, one item per subject and window, expiring by TTL."""

from __future__ import annotations

import random
import time
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from parley.observability import logger
from parley.settings import get_settings
from parley.storage.dynamo import dynamodb, error_code

CONFLICT_ATTEMPTS = 4


class RateLimits:
    """Fixed-window counters that expire by TTL."""

    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name

    def hit(self, windows: list[tuple[str, int, int]], now: datetime) -> int | None:
        """Count one hit in each (subject, limit, window seconds), all or none, in one transaction.

        Returns None when every count stayed within its limit; otherwise nothing is counted and the
        answer is the seconds until the fullest window ends. A transaction that lost to a concurrent
        one on the same counters (two posts at once) is tried again: only a failed condition is a limit."""
        epoch = int(now.timestamp())
        updates = [self._count(subject, limit, seconds, epoch) for subject, limit, seconds in windows]
        for attempt in range(CONFLICT_ATTEMPTS):
            try:
                dynamodb().transact_write_items(TransactItems=updates)  # type: ignore[arg-type]
                return None
            except ClientError as error:
                if error_code(error) != "TransactionCanceledException":
                    raise
                codes = [reason.get("Code") for reason in error.response.get("CancellationReasons") or []]
            if codes and "ConditionalCheckFailed" not in codes:
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))  # noqa: S311 (jitter, not secrets)
                continue
            full = [
                seconds - epoch % seconds
                for (_, _, seconds), code in zip(
                    windows, codes or ["ConditionalCheckFailed"] * len(windows), strict=False
                )
                if code == "ConditionalCheckFailed"
            ]
            return max(full, default=60)
        logger.warning("rate-limit counters kept conflicting", extra={"windows": len(windows)})
        return 1

    def _count(self, subject: str, limit: int, seconds: int, epoch: int) -> dict[str, Any]:
        window = epoch // seconds
        return {
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
