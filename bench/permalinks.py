"""Permalinks: finding the page that holds a comment, for the threaded article of `bench.threads`.

The worst case is measured: the newest top-level comment, found in the oldest-first listing, so every
top-level comment before it is counted in GSI1. Requests go one at a time over HTTP to the local
stack, uncached, beside the article's first page for scale; the DynamoDB requests one lookup makes
are counted in process.
"""

import statistics
import time
from collections import Counter
from typing import Any

import requests

from bench import soak
from bench.threads import SLUG, TABLE
from parley import permalinks
from parley.storage import dynamo
from parley.storage.comments import CommentRepository
from parley_cli.devprocess import RunningStack


def newest_top_level() -> str:
    [newest], _ = CommentRepository(TABLE).threads.top_level(SLUG, 1, "newest", None)
    return newest.id


def requests_per_lookup(comment_id: str) -> tuple[Counter[str], int]:
    """The DynamoDB requests one lookup makes, and the page it answers."""
    made: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        made[model.name] += 1

    dynamo.dynamodb().meta.events.register("before-call.dynamodb", count)
    try:
        place = permalinks.locate(comment_id, soak.PAGE_SIZE, "oldest", CommentRepository(TABLE))
    finally:
        dynamo.dynamodb().meta.events.unregister("before-call.dynamodb", count)
    return made, place.page


def lookup_url(stack: RunningStack, comment_id: str) -> str:
    return f"{stack.api}/api/comments/{comment_id}/page?limit={soak.PAGE_SIZE}"


def first_page_url(stack: RunningStack) -> str:
    return f"{stack.api}/api/comments?article_slug={SLUG}&limit={soak.PAGE_SIZE}"


def latencies(url: str, times: int) -> list[float]:
    """Milliseconds of `times` GETs of `url`, one after another."""
    taken = []
    with requests.Session() as session:
        for _ in range(times):
            start = time.perf_counter()
            response = session.get(url, timeout=30)
            taken.append((time.perf_counter() - start) * 1000)
            response.raise_for_status()
    return taken


def percentile(values: list[float], fraction: float) -> float:
    return statistics.quantiles(values, n=100)[int(fraction * 100) - 1]
