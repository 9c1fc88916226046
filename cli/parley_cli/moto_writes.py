"""One hook after every DynamoDB write moto makes, for whoever must follow the stored items.

Every write moto makes to a table goes through `Table.put_item`, `Table.delete_item` or
`DynamoDBBackend.update_item` (PutItem, DeleteItem, UpdateItem, BatchWriteItem, TransactWriteItems,
PartiQL, the TTL sweep, a failed transaction put back). They are wrapped once; each listener is
called after the write with the table and the written item's primary key (`moto_partitions` files
the item again, `moto_changes` notes it for the next save).
"""

from collections.abc import Callable
from typing import Any

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table

from parley_cli.moto_partitions import PrimaryKey, primary_key

Listener = Callable[[Table, PrimaryKey], None]
_listeners: list[Listener] = []


def after_each_write(listener: Listener) -> None:
    """Call `listener` after every write from now on (once, however often it is asked)."""
    if listener in _listeners:
        return
    if not _listeners:
        _wrap_writes()
    _listeners.append(listener)


def _written(table: Table, key: PrimaryKey) -> None:
    for listener in _listeners:
        listener(table, key)


def _wrap_writes() -> None:
    put, delete, update = Table.put_item, Table.delete_item, DynamoDBBackend.update_item

    def put_item(self: Table, *args: Any, **kwargs: Any) -> Item:
        item = put(self, *args, **kwargs)
        _written(self, (item.hash_key, item.range_key))
        return item

    def delete_item(self: Table, hash_key: DynamoType, range_key: DynamoType | None) -> Item | None:
        item = delete(self, hash_key, range_key)
        _written(self, (hash_key, range_key))
        return item

    def update_item(
        self: DynamoDBBackend, table_name: str, key: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Item:
        """moto updates the stored item in place (or puts a new one); a failed update changed nothing,
        yet is followed too (harmless, and simpler than telling the two apart)."""
        try:
            return update(self, table_name, key, *args, **kwargs)
        finally:
            table = self.tables.get(table_name)
            named = primary_key(table, key) if table is not None else None
            if table is not None and named is not None:
                _written(table, named)

    Table.put_item = put_item  # type: ignore[method-assign]
    Table.delete_item = delete_item  # type: ignore[method-assign]
    DynamoDBBackend.update_item = update_item  # type: ignore[method-assign]
