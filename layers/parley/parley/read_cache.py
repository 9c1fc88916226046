"""Reads that browsers, CDNs and the function itself may reuse for a few seconds, and revalidate.

Each answer carries an `ETag` (a hash of its body) and `Cache-Control: public, max-age=N`, where N
is what is left of its `ListCacheSeconds`: a browser or CDN reusing it never shows an answer older
than that, counted from when this container made it. An `If-None-Match` naming the current ETag is
answered `304` with no body. Within the interval the container answers from memory, so a spike on
one article costs one read per container per interval. With 0 seconds nothing is kept.
"""

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

MAX_ENTRIES = 512


@dataclass(frozen=True)
class CachedBody:
    body: str
    etag: str
    made_at: float


class ReadCache:
    """Bodies by request, each kept for `seconds` (least recently used go first past MAX_ENTRIES)."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        self.entries: OrderedDict[Hashable, CachedBody] = OrderedDict()

    def answer(
        self,
        event: APIGatewayProxyEventV2,
        key: Hashable,
        make: Callable[[], str],
        content_type: str = content_types.APPLICATION_JSON,
    ) -> Response[str]:
        """The cached body for `key` (or a fresh one from `make`), as a 200 or a 304."""
        now = time.monotonic()
        cached = self.entries.get(key)
        if cached is None or now - cached.made_at >= self.seconds:
            body = make()
            cached = CachedBody(body, f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"', now)
            if self.seconds > 0:
                self.entries[key] = cached
                while len(self.entries) > MAX_ENTRIES:
                    self.entries.popitem(last=False)
        if key in self.entries:
            self.entries.move_to_end(key)
        fresh_for = max(0, int(self.seconds - (now - cached.made_at)))
        headers = {"ETag": cached.etag, "Cache-Control": f"public, max-age={fresh_for}"}
        asked = _etags(event.headers.get("if-none-match"))
        if cached.etag in asked or "*" in asked:
            return Response(HTTPStatus.NOT_MODIFIED, headers=headers, body="")
        return Response(HTTPStatus.OK, content_type, cached.body, headers=headers)


def _etags(header: str | None) -> set[str]:
    """The ETags an If-None-Match names (weak ones compare by their value, as RFC 9110 says for GET)."""
    return {tag.strip().removeprefix("W/") for tag in (header or "").split(",") if tag.strip()}
