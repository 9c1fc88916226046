"""Queries that read one partition, not moto's whole table (fix 3 of `moto_fixes`).

moto's `Table.query` walks and sorts `Table.all_items()` for every Query. Here it runs on a view of
the table whose `all_items()` holds only the partition asked for: the table's items under the hash
key, or the items of one GSI partition, from a map kept current on every write (put, delete, update,
a transaction put back). moto still applies every condition, so the answer is the same.
"""

from collections.abc import Callable
from typing import Any

from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table

PrimaryKey = tuple[DynamoType, DynamoType | None]
PartitionKey = tuple[DynamoType, ...]
INDEX_ATTRIBUTE = "_parley_gsi_partitions"


class GsiPartitions:
    """One table's items by GSI partition: index name -> partition key values -> {primary key: item}."""

    def __init__(self, table: Table) -> None:
        self.signature = gsi_signature(table)
        self.key_names = dict(self.signature)
        self.partitions: dict[str, dict[PartitionKey, dict[PrimaryKey, Item]]] = {
            name: {} for name in self.key_names
        }
        self._placed: dict[PrimaryKey, dict[str, PartitionKey]] = {}
        for item in table.all_items():
            self.place((item.hash_key, item.range_key), item)

    def place(self, key: PrimaryKey, item: Item | None) -> None:
        """File the item stored under `key` (None: there is none any more) where its attributes say."""
        for name, values in self._placed.pop(key, {}).items():
            partition = self.partitions[name][values]
            del partition[key]
            if not partition:
                del self.partitions[name][values]
        if item is None:
            return
        placed: dict[str, PartitionKey] = {}
        for name, attributes in self.key_names.items():
            found = [item.attrs.get(attribute) for attribute in attributes]
            values = tuple(value for value in found if value is not None)
            if len(values) == len(attributes):
                self.partitions[name].setdefault(values, {})[key] = item
                placed[name] = values
        if placed:
            self._placed[key] = placed

    def items(self, index_name: str, values: PartitionKey) -> list[Item]:
        return list(self.partitions[index_name].get(values, {}).values())


def gsi_signature(table: Table) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each GSI's name and partition key attributes."""
    return tuple(
        (index.name, tuple(key["AttributeName"] for key in index.schema if key["KeyType"] == "HASH"))
        for index in table.global_indexes or []
    )


def partitions(table: Table) -> GsiPartitions:
    """The table's GSI partitions, built on first use and again when its GSIs change."""
    current: GsiPartitions | None = table.__dict__.get(INDEX_ATTRIBUTE)
    if current is None or current.signature != gsi_signature(table):
        current = GsiPartitions(table)
        setattr(table, INDEX_ATTRIBUTE, current)
    return current


def stored_item(table: Table, key: PrimaryKey) -> Item | None:
    hash_key, range_key = key
    found: Any = table.items.get(hash_key)
    if found is not None and range_key is not None:
        found = found.get(range_key)
    return found  # type: ignore[no-any-return]


def primary_key(table: Table, attributes: dict[str, Any]) -> PrimaryKey | None:
    """The primary key a request's Key (or Put's Item) names, or None if it names none."""
    if table.hash_key_attr not in attributes:
        return None
    range_key = None
    if table.range_key_attr is not None:
        if table.range_key_attr not in attributes:
            return None
        range_key = DynamoType(attributes[table.range_key_attr])
    return DynamoType(attributes[table.hash_key_attr]), range_key


def refresh(table: Table, key: PrimaryKey) -> None:
    """File the item under `key` again after a write."""
    if table.global_indexes:
        partitions(table).place(key, stored_item(table, key))


def query_candidates(
    table: Table, hash_key: DynamoType | None, index_name: str | None, conditions: list[Any] | None
) -> list[Item] | None:
    """The items a Query can match, or None when this cannot tell (moto then walks the table)."""
    if index_name is None:
        stored: Any = table.items.get(hash_key) if hash_key is not None else None
        if hash_key is None or stored is None:
            return None if hash_key is None else []
        return list(stored.values()) if table.range_key_attr else [stored]
    known = partitions(table)
    asked = dict(conditions or [])
    attributes = known.key_names.get(index_name)
    if attributes is None or set(asked) != set(attributes):
        return None
    return known.items(index_name, tuple(asked[attribute] for attribute in attributes))


class PartitionView:
    """A table as `Table.query` sees it, with `all_items()` narrowed to the partition asked for."""

    def __init__(self, table: Table, candidates: list[Item]) -> None:
        self._table = table
        # The order of moto's all_items().
        self._candidates = sorted(
            candidates, key=lambda item: (item.hash_key, item.range_key) if item.range_key else item.hash_key
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)

    def all_items(self) -> list[Item]:
        return self._candidates


def query(original: Callable[..., Any]) -> Callable[..., Any]:
    def partition_query(self: Table, hash_key: DynamoType | None, *args: Any, **kwargs: Any) -> Any:
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")  # moto's 8th parameter
        candidates = query_candidates(self, hash_key, index_name, kwargs.get("hash_key_conditions"))
        view = self if candidates is None else PartitionView(self, candidates)
        return original(view, hash_key, *args, **kwargs)

    return partition_query


def apply() -> None:
    Table.query = query(Table.query)  # type: ignore[method-assign]
