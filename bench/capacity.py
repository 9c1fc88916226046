"""DynamoDB capacity units of one request, estimated from the items it writes and reads (moto reports
none). On demand: a read unit per 4 KB (half for an eventually consistent read, each key of a batch
counted as one read), a write unit per KB; a transaction takes twice; a write that sets or removes an
index's keys writes that index too."""

import math
from typing import Any

INDEX_KEYS = ("GSI1PK", "GSI2PK", "GSI3PK")


def value_bytes(value: dict[str, Any]) -> int:
    """DynamoDB's size of one typed attribute value (a close upper bound for numbers)."""
    [(kind, inner)] = value.items()
    if kind in ("S", "B"):
        return len(inner.encode() if isinstance(inner, str) else inner)
    if kind == "N":
        return len(str(inner)) // 2 + 2
    if kind in ("SS", "NS", "BS", "L"):
        items = inner if kind == "L" else [{kind[0]: item} for item in inner]
        return 3 + sum(value_bytes(item) + 1 for item in items)
    if kind == "M":
        return 3 + item_bytes(inner)
    return 1


def item_bytes(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + value_bytes(value) for name, value in item.items())


def write_units(item_size: int, expression: str, item: dict[str, Any]) -> float:
    indexes = sum(1 for key in INDEX_KEYS if key in item or key in expression)
    return math.ceil(max(item_size, 1) / 1024) * (1 + indexes)


def read_units(item_size: int, consistent: bool) -> float:
    return max(1, math.ceil(item_size / 4096)) * (1.0 if consistent else 0.5)


def units(operation: str, params: dict[str, Any], parsed: dict[str, Any]) -> tuple[float, float]:
    """(read units, write units) one DynamoDB call consumed."""
    consistent = bool(params.get("ConsistentRead"))
    if operation == "GetItem":
        return read_units(item_bytes(parsed.get("Item", {})), consistent), 0.0
    if operation == "Query":
        size = sum(item_bytes(item) for item in parsed.get("Items", []))
        return read_units(size, consistent), 0.0
    if operation == "BatchGetItem":
        reads = 0.0
        for table, request in params["RequestItems"].items():
            found = parsed.get("Responses", {}).get(table, [])
            sizes = [item_bytes(item) for item in found] + [0] * (len(request["Keys"]) - len(found))
            reads += sum(read_units(size, bool(request.get("ConsistentRead"))) for size in sizes)
        return reads, 0.0
    if operation == "PutItem":
        return 0.0, write_units(item_bytes(params["Item"]), "", params["Item"])
    if operation in ("UpdateItem", "DeleteItem"):
        return 0.0, write_units(1, params.get("UpdateExpression", ""), {})
    if operation == "TransactWriteItems":
        writes = 0.0
        for action in params["TransactItems"]:
            [body] = action.values()
            item = body.get("Item", {})
            size = item_bytes(item) if item else 1
            writes += 2 * write_units(size, body.get("UpdateExpression", ""), item)
        return 0.0, writes
    return 0.0, 0.0
