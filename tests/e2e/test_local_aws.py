"""The local stack's DynamoDB behaves as AWS's where moto did not: items expire by TTL, a cancelled
transaction leaves every item as it was, and an index query finds an item where it now belongs."""

import time
import uuid
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from parley_cli.devprocess import RunningStack
from tests.polling import wait_until

pytestmark = pytest.mark.e2e
TABLE = "CommentsTable"


@pytest.fixture
def dynamodb(local_stack: RunningStack) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=local_stack.aws_endpoint,
        region_name="us-east-1",
        aws_access_key_id="parley-local",
        aws_secret_access_key="parley-local",
    )


@pytest.fixture
def key() -> dict[str, Any]:
    return {"PK": {"S": f"TEST#{uuid.uuid4().hex}"}, "SK": {"S": "ITEM"}}


def partition(dynamodb: Any, value: str) -> list[str]:
    found = dynamodb.query(
        TableName=TABLE,
        IndexName="GSI2",
        KeyConditionExpression="GSI2PK = :value",
        ExpressionAttributeValues={":value": {"S": value}},
    )
    return [item["PK"]["S"] for item in found["Items"]]


def test_an_expired_item_is_deleted_within_the_sweep(dynamodb: Any, key: dict[str, Any]) -> None:
    """The e2e stack sweeps every second (AWS: within minutes to days); an item whose `expires_at` is
    past goes, one whose `expires_at` is ahead stays."""
    later = {"PK": key["PK"], "SK": {"S": "LATER"}}
    dynamodb.put_item(TableName=TABLE, Item={**key, "expires_at": {"N": str(int(time.time()) - 1)}})
    dynamodb.put_item(TableName=TABLE, Item={**later, "expires_at": {"N": str(int(time.time()) + 3600)}})

    wait_until(lambda: "Item" not in dynamodb.get_item(TableName=TABLE, Key=key), "the expired item deleted")

    assert "Item" in dynamodb.get_item(TableName=TABLE, Key=later)


def test_a_cancelled_transaction_leaves_every_item_and_index_as_it_was(
    dynamodb: Any, key: dict[str, Any]
) -> None:
    old, new = f"OLD#{uuid.uuid4().hex}", f"NEW#{uuid.uuid4().hex}"
    created = {"PK": {"S": f"TEST#{uuid.uuid4().hex}"}, "SK": {"S": "ITEM"}}
    dynamodb.put_item(TableName=TABLE, Item={**key, "GSI2PK": {"S": old}, "GSI2SK": {"S": "1"}})

    with pytest.raises(ClientError) as cancelled:
        dynamodb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": TABLE,
                        "Key": key,
                        "UpdateExpression": "SET GSI2PK = :new",
                        "ExpressionAttributeValues": {":new": {"S": new}},
                    }
                },
                {
                    "Put": {
                        "TableName": TABLE,
                        "Item": {**created, "GSI2PK": {"S": new}, "GSI2SK": {"S": "2"}},
                    }
                },
                {
                    "ConditionCheck": {
                        "TableName": TABLE,
                        "Key": {"PK": {"S": "TEST#absent"}, "SK": {"S": "ITEM"}},
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                },
            ]
        )

    assert cancelled.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert dynamodb.get_item(TableName=TABLE, Key=key)["Item"]["GSI2PK"] == {"S": old}
    assert "Item" not in dynamodb.get_item(TableName=TABLE, Key=created)
    assert (partition(dynamodb, old), partition(dynamodb, new)) == ([key["PK"]["S"]], [])


def test_an_index_query_finds_an_item_in_the_partition_it_moved_to(
    dynamodb: Any, key: dict[str, Any]
) -> None:
    first, second = f"FIRST#{uuid.uuid4().hex}", f"SECOND#{uuid.uuid4().hex}"
    dynamodb.put_item(TableName=TABLE, Item={**key, "GSI2PK": {"S": first}, "GSI2SK": {"S": "1"}})

    dynamodb.update_item(
        TableName=TABLE,
        Key=key,
        UpdateExpression="SET GSI2PK = :second",
        ExpressionAttributeValues={":second": {"S": second}},
    )

    assert (partition(dynamodb, first), partition(dynamodb, second)) == ([], [key["PK"]["S"]])
    dynamodb.delete_item(TableName=TABLE, Key=key)
    assert partition(dynamodb, second) == []
