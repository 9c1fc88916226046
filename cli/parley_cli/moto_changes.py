"""Which DynamoDB items moto changed since last asked (for `dev_state`'s incremental saves).

Every write moto makes to a table goes through `Table.put_item`, `Table.delete_item` or
`DynamoDBBackend.update_item` (PutItem, DeleteItem, UpdateItem, BatchWriteItem, TransactWriteItems,
PartiQL, the TTL sweep, a failed transaction put back); each notes its item's key here. Callers hold
`moto_fixes.DYNAMODB_LOCK`, as every DynamoDB request does.
"""

import json
from collections.abc import Callable, Iterator
from typing import Any

from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table

from parley_cli.moto_partitions import primary_key, stored_item

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


def _note(table: Table, hash_key: DynamoType, range_key: DynamoType | None) -> None:
    ranged = json.dumps(range_key.to_json()) if range_key is not None else ""
    where = place(table.account_id, table.region_name)
    _changed.add((where, table.name, json.dumps(hash_key.to_json()), ranged))


def _noting_put(original: Callable[..., Item]) -> Callable[..., Item]:
    def put_item(self: Table, *args: Any, **kwargs: Any) -> Item:
        item = original(self, *args, **kwargs)
        _note(self, item.hash_key, item.range_key)
        return item

    return put_item


def _noting_delete(original: Callable[..., Item | None]) -> Callable[..., Item | None]:
    def delete_item(self: Table, hash_key: DynamoType, range_key: DynamoType | None) -> Item | None:
        _note(self, hash_key, range_key)
        return original(self, hash_key, range_key)

    return delete_item


def _noting_update(original: Callable[..., Item]) -> Callable[..., Item]:
    def update_item(
        self: DynamoDBBackend, table_name: str, key: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Item:
        try:
            return original(self, table_name, key, *args, **kwargs)
        finally:
            table = self.tables.get(table_name)
            named = primary_key(table, key) if table is not None else None
            if table is not None and named is not None:
                _note(table, *named)

    return update_item


def track() -> None:
    """Note every DynamoDB write's key from now on (once per process)."""
    if getattr(Table.put_item, "_parley_noted", False):
        return
    Table.put_item = _noting_put(Table.put_item)  # type: ignore[method-assign]
    Table.delete_item = _noting_delete(Table.delete_item)  # type: ignore[method-assign]
    DynamoDBBackend.update_item = _noting_update(DynamoDBBackend.update_item)  # type: ignore[method-assign]
    Table.put_item._parley_noted = True  # type: ignore[attr-defined]
