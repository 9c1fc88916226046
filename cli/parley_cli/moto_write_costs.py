"""Per-write costs of moto's DynamoDB, cut (fix 8 of `moto_fixes`; read against 5.1.22).

Condition expressions parsed on every write: the same `attribute_not_exists(PK)` is lexed and
parsed for each item of a transaction. Here a parse is kept per (expression, names, values), as a
pure function's answer: the parsed tree is only read when evaluated (under `DYNAMODB_LOCK`).
(The item-size check summed per attribute, fix 7, is `moto_items`.)
"""

import functools
import json
from typing import Any

from moto.dynamodb import comparisons
from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.models import table as dynamodb_table


@functools.lru_cache(maxsize=1024)
def _parsed(expression: str | None, names: str, values: str) -> Any:
    return comparisons.get_filter_expression(expression, json.loads(names), json.loads(values))


def _parsed_once(expression: str | None, names: dict[str, str] | None, values: dict[str, Any] | None) -> Any:
    return _parsed(
        expression, json.dumps(names, sort_keys=True), json.dumps(values, sort_keys=True, default=str)
    )


def apply() -> None:
    dynamodb_models.get_filter_expression = _parsed_once  # type: ignore[attr-defined,assignment]
    dynamodb_table.get_filter_expression = _parsed_once  # type: ignore[attr-defined,assignment]
