"""The administrative export's read: a Scan of the whole table, a page at a time.

Only `parley export` asks for it, through the IAM-only moderation function; no public route scans.
"""

from __future__ import annotations

from typing import Any

from parley.pagination import decode_table_key, encode_table_key
from parley.storage.dynamo import dynamodb

CURSOR_SCOPE = "scan"


def scan_page(
    table_name: str, kinds: tuple[str, ...], limit: int, cursor: str | None, slug: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Up to `limit` items examined (those of the `kinds` kept, of one article with `slug`), and the
    cursor to continue after them, or None at the end of the table."""
    names = {"#type": "type"}
    values: dict[str, Any] = {f":kind{index}": {"S": kind} for index, kind in enumerate(kinds)}
    condition = f"#type IN ({', '.join(values)})"
    if slug is not None:
        condition += " AND article_slug = :slug"
        values[":slug"] = {"S": slug}
    scan: dict[str, Any] = {
        "TableName": table_name,
        "Limit": limit,
        "FilterExpression": condition,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }
    if cursor is not None:
        partition, sort = decode_table_key(CURSOR_SCOPE, cursor)
        scan["ExclusiveStartKey"] = {"PK": {"S": partition}, "SK": {"S": sort}}
    response = dynamodb().scan(**scan)
    last = response.get("LastEvaluatedKey")
    next_cursor = encode_table_key(CURSOR_SCOPE, last["PK"]["S"], last["SK"]["S"]) if last else None
    return response.get("Items", []), next_cursor
