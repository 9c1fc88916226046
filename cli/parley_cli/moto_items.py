"""Corrections to moto's DynamoDB items where the local stack embeds it (read against moto 5.1.22):
the cost of building and projecting an item grew with the square of its attributes.

1. `Item.project` converts the whole item to plain values once per projected attribute (a GSI's
   INCLUDE projection, then the ProjectionExpression): a 20-item Query of six attributes made 240
   whole-item conversions. Here a projection of top-level attributes (all the listing asks for)
   copies those attributes; a nested one converts the item once. The result is the same.
2. `Item.__init__` stores attributes one at a time in a `LimitedSizeDict`, whose `__setitem__` sums
   the size of every attribute already there before adding one (to refuse items over 400 KB): every
   copy of a 20-attribute item summed 210 sizes. Here the size is summed once, and the same
   ItemSizeTooLarge is raised past the same limit.
"""

import copy
from typing import Any

from botocore.utils import merge_dicts
from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict, serializer
from moto.dynamodb.models.utilities import bytesize, find_nested_key

MAX_ITEM_BYTES = 405000  # moto's own limit (LimitedSizeDict): between DynamoDB's measured 409 and 410 KB


def _project(self: Item, projection_expressions: list[list[str]]) -> Item:
    names = [path[0] for path in projection_expressions if len(path) == 1 and "[" not in path[0]]
    if len(names) == len(projection_expressions):
        projected: Item = Item.__new__(Item)  # type: ignore[assignment]  # tracked as every item (moto_fixes)
        projected.hash_key, projected.range_key = self.hash_key, self.range_key
        projected.attrs = LimitedSizeDict()
        dict.update(projected.attrs, {n: copy.deepcopy(self.attrs[n]) for n in names if n in self.attrs})
        return projected
    plain = self.to_regular_json()
    result: dict[str, Any] = {}
    for expression in projection_expressions:
        merge_dicts(result, find_nested_key(expression, plain))
    attributes = dict(serializer.serialize(result)["M"])
    return Item(hash_key=self.hash_key, range_key=self.range_key, attrs=attributes)


def _init(self: Item, hash_key: DynamoType, range_key: DynamoType | None, attrs: dict[str, Any]) -> None:
    self.hash_key = hash_key
    self.range_key = range_key
    converted = {key: DynamoType(value) for key, value in attrs.items()}
    if sum(bytesize(key) + value.size() for key, value in converted.items()) > MAX_ITEM_BYTES:
        raise ItemSizeTooLarge
    self.attrs = LimitedSizeDict()
    dict.update(self.attrs, converted)  # each attribute checked already, as a whole


def apply() -> None:
    Item.project = _project  # type: ignore[method-assign]
    Item.__init__ = _init  # type: ignore[method-assign]
