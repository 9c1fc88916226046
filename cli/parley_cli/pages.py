"""Pages of the local stack beside the API (the demo site, the dev outbox): what each answers."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class LocalResponse:
    """What a page of the local stack (not an API route) answers."""

    status: int
    headers: dict[str, str]
    body: bytes


# (method, path, query, request headers) -> a response, or None when the path is not the page's.
PageHandler = Callable[[str, str, str, Mapping[str, str]], LocalResponse | None]
