"""Requests refused before routing: bodies too large, of another type, not UTF-8, or nested too deep."""

import base64
import binascii
import re

from aws_lambda_powertools.event_handler import content_types
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from parley.errors import ParleyError, PayloadTooLarge, UnsupportedMediaType

MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 32
_JSON_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
ACCEPTED_BODY_TYPES = (content_types.APPLICATION_JSON, FORM)


def body_problem(event: APIGatewayProxyEventV2, accepted_types: tuple[str, ...]) -> ParleyError | None:
    raw = event.body or ""
    if event.is_base64_encoded:
        try:
            body = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            return ParleyError("body is not valid base64", field="body")
    else:
        body = raw.encode("utf-8", "surrogatepass")
    if len(body) > MAX_BODY_BYTES:
        return PayloadTooLarge(f"body is larger than {MAX_BODY_BYTES // 1024} KB", field="body")
    if not body:
        return None
    if media_type(event) not in accepted_types:
        return unsupported_media_type(accepted_types)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return ParleyError("body is not valid UTF-8", field="body")
    if media_type(event) == content_types.APPLICATION_JSON and _nesting_depth(text) > MAX_JSON_DEPTH:
        return ParleyError(f"body nests deeper than {MAX_JSON_DEPTH} levels", field="body")
    return None


def unsupported_media_type(accepted_types: tuple[str, ...]) -> UnsupportedMediaType:
    return UnsupportedMediaType(f"send {' or '.join(accepted_types)}", field="content-type")


def _nesting_depth(text: str) -> int:
    """How deep JSON arrays and objects nest (brackets inside strings do not count)."""
    depth = deepest = 0
    for piece in _JSON_STRUCTURE.findall(text):
        if piece in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif piece in "]}":
            depth -= 1
    return deepest


def media_type(event: APIGatewayProxyEventV2) -> str:
    return (event.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
