"""Leases: one holder at a time for a named piece of work (the sender's run), expiring on their own."""

from __future__ import annotations

from datetime import datetime, timedelta

from botocore.exceptions import ClientError

from parley.settings import get_settings
from parley.storage.dynamo import dynamodb, error_code


class Leases:
    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name

    def acquire(self, name: str, holder: str, now: datetime, duration: timedelta) -> bool:
        """Take the lease for `duration` unless another holder has it and it has not run out."""
        expires = int((now + duration).timestamp()) + 1
        try:
            dynamodb().put_item(
                TableName=self.table_name,
                Item={
                    "PK": {"S": f"LEASE#{name}"},
                    "SK": {"S": "LEASE"},
                    "holder": {"S": holder},
                    "expires_at": {"N": str(expires)},
                },
                ConditionExpression="attribute_not_exists(PK) OR expires_at < :now OR holder = :holder",
                ExpressionAttributeValues={
                    ":now": {"N": str(int(now.timestamp()))},
                    ":holder": {"S": holder},
                },
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def release(self, name: str, holder: str) -> None:
        """Give the lease back early; nothing happens if another holder took it over meanwhile."""
        try:
            dynamodb().delete_item(
                TableName=self.table_name,
                Key={"PK": {"S": f"LEASE#{name}"}, "SK": {"S": "LEASE"}},
                ConditionExpression="holder = :holder",
                ExpressionAttributeValues={":holder": {"S": holder}},
            )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise

    def end(self, name: str) -> None:
        """End the lease whoever holds it: for a restart that no run in progress survived (the local stack)."""
        dynamodb().delete_item(
            TableName=self.table_name, Key={"PK": {"S": f"LEASE#{name}"}, "SK": {"S": "LEASE"}}
        )
