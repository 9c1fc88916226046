"""Per-write costs of moto's DynamoDB, cut (fixes 7 and 8 of `moto_fixes`; read against 5.1.22).

7. Item size checked per attribute: `Item.__init__` sets attributes one at a time, and each set sums
   the sizes of every attribute already there (the 400 KB limit), O(attributes^2) per item: most of
   a TransactWriteItems of 100 imported comments. Here the size is summed once, against the same limit.
8. Condition expressions parsed on every write: the same `attribute_not_exists(PK)` is lexed and
   parsed for each item of a transaction. Here a parse is kept per (expression, names, values), as a
   pure function's answer: the parsed tree is only read when evaluated (under `DYNAMODB_LOCK`).
"""

import functools
import json
from typing import Any

from moto.dynamodb import comparisons
from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models import table as dynamodb_table
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.utilities import bytesize

ITEM_SIZE_LIMIT = 405_000  # moto's own figure for AWS's 400 KB (measured between 409 and 410 KB)


def _item_init(self: Item, hash_key: DynamoType, range_key: DynamoType | None, attrs: dict[str, Any]) -> None:
    self.hash_key = hash_key
    self.range_key = range_key
    converted = {key: DynamoType(value) for key, value in attrs.items()}
    if sum(bytesize(key) + value.size() for key, value in converted.items()) > ITEM_SIZE_LIMIT:
        raise ItemSizeTooLarge
    self.attrs = LimitedSizeDict(converted)  # filled by dict.update: no per-attribute sum


@functools.lru_cache(maxsize=1024)
def _parsed(expression: str | None, names: str, values: str) -> Any:
    return comparisons.get_filter_expression(expression, json.loads(names), json.loads(values))


def _parsed_once(expression: str | None, names: dict[str, str] | None, values: dict[str, Any] | None) -> Any:
    return _parsed(
        expression, json.dumps(names, sort_keys=True), json.dumps(values, sort_keys=True, default=str)
    )


def apply() -> None:
    Item.__init__ = _item_init  # type: ignore[method-assign]
    dynamodb_models.get_filter_expression = _parsed_once  # type: ignore[attr-defined,assignment]
    dynamodb_table.get_filter_expression = _parsed_once  # type: ignore[attr-defined,assignment]
