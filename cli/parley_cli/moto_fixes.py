"""Corrections to moto where the local stack embeds it (moto >=5.1.12,<5.2; read against 5.1.22).

`apply()` patches moto's classes in this process; the local stack's AWS process calls it before it
serves. Each patch names the upstream behaviour it corrects:

1. Instance tracking that never lets go: `BaseModel.__new__` appends every model instance to its
   class's `instances_tracked` (what `/moto-api/data.json` shows) and never removes one, so every
   item ever written, and every copy of one, stays in memory. Tracked weakly here: the data endpoint
   shows the live instances, and the rest is freed.
2. Whole-table copies on TransactWriteItems: `DynamoDBBackend.transact_write_items` deep-copies each
   table it names (`copy.deepcopy(self.tables[name])` for `name in self.tables`), for rollback, so a
   transaction costs O(table). Here moto sees a table map whose `in` answers False during the call
   (it copies nothing), and the items the transaction names are copied and put back instead.
3. Queries over the whole table: `Table.query` walks and sorts `all_items()` for every Query, on the
   table or a GSI. `moto_partitions` gives it only the partition asked for: the table's items under
   the hash key, or a map per GSI partition kept current on every write.
4. No TTL: moto stores a table's TTL setting and never deletes an item. `expire_items()` deletes
   items whose TTL attribute is past (and less than five years past, as AWS), and the local stack
   runs it every minute: AWS deletes expired items within days, usually minutes.
5. SQS work per message, on every request: every SendMessage reads `Queue.attributes`, which counts
   the queue's messages through `Message.visible`/`delayed` (a clock read per message each), and
   ReceiveMessage re-reads all the attributes for each message it returns (the retention check), so
   a backlog the sender has not drained yet slows every post. Here the counts read the clock once,
   and the retention check reads the queue's retention period alone.
6. Thread safety: moto's DynamoDB iterates dicts that other request threads change (`RuntimeError:
   dictionary changed size during iteration`, a 500). Here each DynamoDB request, the TTL sweep and
   `/moto-api/data.json` hold one lock: each request atomic, as on AWS. (`apply()` runs before the
   server answers anything: moto binds `model_data` into its URL map on the first moto-api request.)
7. Items built and projected in O(attributes squared) (an item's size summed per attribute on
   every write too): `moto_items`.
8. A condition expression parsed again for every item of a transaction: `moto_write_costs`.

Not patched: query results are still deep-copied on every read (they protect the stored items from
projection); 5.1.22's `Item.__deepcopy__` is cheap, and with (1) the copies are freed.
"""

import copy
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from moto.core.common_models import BaseModel
from moto.core.utils import unix_time, unix_time_millis
from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends
from moto.dynamodb.models.dynamo_type import Item
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler
from moto.moto_api._internal.responses import MotoAPIResponse
from moto.sqs.models import Message, Queue, SQSBackend

from parley_cli import moto_items, moto_partitions, moto_write_costs, moto_writes
from parley_cli.moto_partitions import PrimaryKey, primary_key, refresh, stored_item

DYNAMODB_LOCK = threading.RLock()
FIVE_YEARS_SECONDS = 5 * 365 * 24 * 3600
_applied: list[str] = []
_conversion_lock = threading.Lock()


class LiveInstances:
    """A class's `instances_tracked`, by weak reference: iterating yields the instances still alive."""

    def __init__(self, existing: Any = ()) -> None:
        self._lock = threading.Lock()
        self._references: list[weakref.ref[Any]] = []
        self._prune_at = 64
        for instance in existing:
            self.append(instance)

    def append(self, instance: Any) -> None:
        reference = weakref.ref(instance)
        with self._lock:
            self._references.append(reference)
            if len(self._references) >= self._prune_at:
                self._references = [alive for alive in self._references if alive() is not None]
                self._prune_at = max(64, 2 * len(self._references))

    def __iter__(self) -> Iterator[Any]:
        with self._lock:
            references = list(self._references)
        return (instance for reference in references if (instance := reference()) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _track_weakly(cls: type, *args: Any, **kwargs: Any) -> Any:
    instance = super(BaseModel, cls).__new__(cls)  # type: ignore[misc]  # as moto's BaseModel.__new__
    tracked = cls.__dict__.get("instances_tracked")
    if not isinstance(tracked, LiveInstances):
        with _conversion_lock:
            tracked = cls.__dict__.get("instances_tracked")
            if not isinstance(tracked, LiveInstances):
                tracked = LiveInstances(tracked or ())
                type.__setattr__(cls, "instances_tracked", tracked)
    tracked.append(instance)
    return instance


class _NothingToCopy(dict[str, Table]):
    """The backend's tables, except that `name in tables` is False: moto's transaction snapshot skips them."""

    def __contains__(self, name: object) -> bool:
        return False


def _transact_write_items(original: Callable[..., None]) -> Callable[..., None]:
    def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        before: dict[tuple[str, PrimaryKey], Item | None] = {}
        for operation in transact_items:
            for kind, request in operation.items():
                table = self.tables.get(request.get("TableName"))
                named = (
                    primary_key(table, request.get("Item" if kind == "Put" else "Key") or {})
                    if table is not None
                    else None
                )
                if table is not None and named is not None:
                    stored = stored_item(table, named)
                    before.setdefault((table.name, named), copy.deepcopy(stored))
        tables = self.tables
        self.tables = _NothingToCopy(tables)
        try:
            original(self, transact_items)
        except Exception:
            for (table_name, key), item in before.items():
                _restore(tables[table_name], key, item)
            raise
        finally:
            self.tables = tables

    return transact_write_items


def _restore(table: Table, key: PrimaryKey, item: Item | None) -> None:
    hash_key, range_key = key
    stored: Any = table.items
    if item is None:
        table.delete_item(hash_key, range_key)
    elif range_key is None:
        stored[hash_key] = item
    else:
        stored[hash_key][range_key] = item
    refresh(table, key)


def _locked(original: Callable[..., Any]) -> Callable[..., Any]:
    def locked(*args: Any, **kwargs: Any) -> Any:
        with DYNAMODB_LOCK:
            return original(*args, **kwargs)

    return locked


def _visible_messages(queue: Queue) -> list[Message]:
    now = unix_time_millis()
    return [
        message for message in queue._messages if message.visible_at < now and not now < message.delayed_until
    ]


def _delayed_count(queue: Queue) -> int:
    now = unix_time_millis()
    return sum(1 for message in queue._messages if now < message.delayed_until)


def _not_visible_count(queue: Queue) -> int:
    now = unix_time_millis()
    return sum(1 for message in queue._messages if not message.visible_at < now)


def _retained(backend: SQSBackend, queue_name: str, message: Message) -> bool:
    retention_seconds = int(backend.get_queue(queue_name).message_retention_period)  # type: ignore[attr-defined]
    return retention_seconds + message.sent_timestamp / 1000 > unix_time()  # type: ignore[operator]


def expire_items(now: float | None = None) -> int:
    """Delete every item whose TTL attribute (epoch seconds) is past, as DynamoDB's TTL does.
    Returns how many went."""
    moment = time.time() if now is None else now
    with DYNAMODB_LOCK:
        tables = [
            table
            for account in list(dynamodb_backends.values())
            for backend in list(account.values())
            for table in list(backend.tables.values())
            if table.ttl.get("TimeToLiveStatus") == "ENABLED"
        ]
        expired = [
            (table, item) for table in tables for item in table.all_items() if _expired(table, item, moment)
        ]
        for table, item in expired:
            table.delete_item(item.hash_key, item.range_key)
    return len(expired)


def _expired(table: Table, item: Item, moment: float) -> bool:
    value = item.attrs.get(table.ttl["AttributeName"])
    return (
        value is not None and value.type == "N" and moment - FIVE_YEARS_SECONDS < float(value.value) < moment
    )


def apply() -> None:
    """Patch moto in this process (once)."""
    if _applied:
        return
    BaseModel.__new__ = staticmethod(_track_weakly)  # type: ignore[method-assign]
    moto_partitions.apply()
    moto_writes.after_each_write(refresh)  # the partitions follow every write
    moto_write_costs.apply()
    moto_items.apply()
    Queue.messages = property(_visible_messages)  # type: ignore[assignment,method-assign]
    Queue.approximate_number_of_messages_delayed = property(_delayed_count)  # type: ignore[assignment,method-assign]
    Queue.approximate_number_of_messages_not_visible = property(_not_visible_count)  # type: ignore[assignment,method-assign]
    SQSBackend.is_message_valid_based_on_retention_period = _retained  # type: ignore[method-assign,assignment]
    DynamoDBBackend.transact_write_items = _transact_write_items(  # type: ignore[method-assign]
        DynamoDBBackend.transact_write_items
    )
    DynamoHandler.call_action = _locked(DynamoHandler.call_action)  # type: ignore[method-assign]
    MotoAPIResponse.model_data = _locked(MotoAPIResponse.model_data)  # type: ignore[method-assign]
    _applied.append("moto")
