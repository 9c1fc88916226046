"""Powertools idempotency records in our table: one per email sent, expiring by TTL."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parley.settings import get_settings
from parley.storage.dynamo import dynamodb

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

IDEMPOTENCY_PARTITION = "IDEMPOTENCY"


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
