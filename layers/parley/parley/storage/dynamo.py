"""The DynamoDB client and the item conversions every repository shares."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from parley.aws_config import client_config

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

BATCH_GET_LIMIT = 100
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


@cache
def dynamodb() -> DynamoDBClient:
    """Created on first use; honours AWS_ENDPOINT_URL (the local stack, moto)."""
    return boto3.client("dynamodb", config=client_config(read_timeout=5))


def timestamp(moment: datetime) -> str:
    """The sortable UTC form every stored time takes."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def to_attributes(data: dict[str, Any]) -> dict[str, Any]:
    return {name: _serializer.serialize(value) for name, value in data.items()}


def plain(item: dict[str, Any]) -> dict[str, Any]:
    """A DynamoDB item as plain Python values."""
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def batch_get(table_name: str, request: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of one BatchGetItem request on `table_name`, re-asking for unprocessed keys."""
    found: list[dict[str, Any]] = []
    pending: dict[str, Any] = {table_name: request}
    while pending:
        response = dynamodb().batch_get_item(RequestItems=pending)
        found.extend(response.get("Responses", {}).get(table_name, []))
        pending = response.get("UnprocessedKeys") or {}
    return found
