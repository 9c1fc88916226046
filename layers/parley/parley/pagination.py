"""Opaque page cursors: the last sort key seen, bound to the listing it came from."""

import base64
import binascii
import json
import re

from parley.errors import InvalidCursor

SORT_KEY = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z#[0-9a-f]{32}$")


def encode_cursor(scope: str, sort_key: str) -> str:
    raw = json.dumps({"s": scope, "k": sort_key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(scope: str, cursor: str) -> str:
    """The sort key to continue after; InvalidCursor for anything this listing did not hand out."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError) as error:
        raise InvalidCursor("cursor is not valid: pass back next_cursor unchanged", field="cursor") from error
    if (
        not isinstance(decoded, dict)
        or decoded.get("s") != scope
        or not isinstance(decoded.get("k"), str)
        or not SORT_KEY.fullmatch(decoded["k"])
    ):
        raise InvalidCursor("cursor is not valid for this listing", field="cursor")
    return str(decoded["k"])


def encode_table_key(scope: str, partition: str, sort: str) -> str:
    """A cursor holding a whole table key (a Scan's), for the administrative export."""
    return encode_cursor(scope, json.dumps([partition, sort], separators=(",", ":")))


def decode_table_key(scope: str, cursor: str) -> tuple[str, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        partition, sort = json.loads(decoded["k"]) if decoded.get("s") == scope else (None, None)
    except (ValueError, TypeError, KeyError, AttributeError, binascii.Error, UnicodeError) as error:
        raise InvalidCursor("cursor is not valid: pass back next_cursor unchanged", field="cursor") from error
    if not (isinstance(partition, str) and isinstance(sort, str) and partition and sort):
        raise InvalidCursor("cursor is not valid for this listing", field="cursor")
    return partition, sort
