"""The demo site the local stack serves beside the API."""

from collections.abc import Mapping

from parley_cli.localstack import LocalResponse


def handle(method: str, path: str, query: str, headers: Mapping[str, str]) -> LocalResponse | None:
    return None
