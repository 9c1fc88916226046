"""Which DynamoDB items moto changed since last asked (for `dev_state`'s incremental saves).

Every write moto makes to a table notes its item's key here (`moto_writes`). Callers hold
`moto_fixes.DYNAMODB_LOCK`, as every DynamoDB request does.
"""

import json
from collections.abc import Iterator
from typing import Any

from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table

from parley_cli import moto_writes
from parley_cli.moto_partitions import PrimaryKey, stored_item

# (account/region, table name, hash key, range key or ""): keys as DynamoDB JSON text.
ItemKey = tuple[str, str, str, str]
_changed: set[ItemKey] = set()


def place(account: str, region: str) -> str:
    return f"{account}/{region}"


def backends(per_account: Any) -> Iterator[tuple[str, Any]]:
    """(account/region, backend) of each region a moto service has state in."""
    for account, regions in list(per_account.items()):
        for region, backend in list(regions.items()):
            yield place(account, region), backend


def tables() -> dict[tuple[str, str], Table]:
    return {
        (where, name): table
        for where, backend in backends(dynamodb_backends)
        for name, table in backend.tables.items()
    }


def take() -> set[ItemKey]:
    """The keys written since the last call."""
    taken = set(_changed)
    _changed.clear()
    return taken


def current(table: Table, key: ItemKey) -> dict[str, Any] | None:
    """The item stored under `key` now (DynamoDB JSON), or None when there is none."""
    range_key = DynamoType(json.loads(key[3])) if key[3] else None
    found = stored_item(table, (DynamoType(json.loads(key[2])), range_key))
    return found.to_json()["Attributes"] if found is not None else None


def _note(table: Table, key: PrimaryKey) -> None:
    hash_key, range_key = key
    ranged = json.dumps(range_key.to_json()) if range_key is not None else ""
    where = place(table.account_id, table.region_name)
    _changed.add((where, table.name, json.dumps(hash_key.to_json()), ranged))


def track() -> None:
    """Note every DynamoDB write's key from now on (once per process)."""
    moto_writes.after_each_write(_note)
