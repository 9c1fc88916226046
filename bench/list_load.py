"""List requests per second against the local stack, with latency percentiles and the memory of all its processes."""

import http.client
import os
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import requests

from parley_cli.devprocess import RunningStack, invoke_function, resident_mib

SLUG = "benchmark-article"
MEMORY_TARGET_MIB = 300  # every process of the stack together (issue 14)


@dataclass
class LoadResult:
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    peak_rss_mib: float = 0.0

    @property
    def requests_per_second(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


def seed_approved_comments(stack: RunningStack, count: int) -> None:
    """Post through the API, then approve through the moderation function, as a moderator would."""
    ids = []
    for index in range(count):
        response = requests.post(
            f"{stack.api}/api/comments",
            json={
                "article_slug": SLUG,
                "name": f"Reader {index}",
                "email": f"reader{index}@example.com",
                "message": f"Benchmark comment number {index}, with a link https://example.com/{index}.",
            },
            timeout=10,
        )
        response.raise_for_status()
        ids.append(response.json()["id"])
    for comment_id in ids:
        answer = invoke_function(
            stack, "ModerateFunction", {"action": "approve", "comment_id": comment_id, "moderator": "bench"}
        )
        assert answer["comment"]["status"] == "approved", answer


def run_load(stack: RunningStack, clients: int, seconds: float, limit: int) -> LoadResult:
    """`clients` threads, each on one keep-alive connection, asking for one page for `seconds`."""
    target = urlsplit(stack.api)
    path = "/api/comments?" + urlencode({"article_slug": SLUG, "limit": limit})
    result = LoadResult(seconds=seconds)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port, timeout=10)
        latencies, errors = [], 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1
        connection.close()
        with lock:
            result.latencies += latencies
            result.errors += errors

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        result.peak_rss_mib = max(result.peak_rss_mib, resident_mib(stack.pid))
        time.sleep(0.2)
    return result


@dataclass(frozen=True)
class ListCaching:
    """One way the list benchmark runs the stack, with its targets (issue 14)."""

    name: str
    overrides: str
    requests_per_second: float
    p99_ms: float | None = None

    def beside_targets(self, result: LoadResult) -> str:
        rate = f"{result.requests_per_second:.0f} req/s (target >= {self.requests_per_second:.0f})"
        p99 = f"p99 {result.percentile(0.99):.1f} ms" + (
            f" (target < {self.p99_ms:.0f})" if self.p99_ms is not None else ""
        )
        memory = f"RSS {result.peak_rss_mib:.0f} MiB (target < {MEMORY_TARGET_MIB})"
        load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
        return f"{rate}, p50 {result.percentile(0.5):.1f} ms, {p99}, {memory}; load average {load}"


LIST_RUNS = (
    ListCaching("ListCacheSeconds default (5 s, as make dev runs)", "", 400, 50),
    ListCaching("ListCacheSeconds=0 (every request reads the table)", "ListCacheSeconds=0", 80),
)


def summary(result: LoadResult) -> str:
    return (
        f"{result.requests_per_second:.0f} req/s, p50 {result.percentile(0.5):.1f} ms, "
        f"p99 {result.percentile(0.99):.1f} ms, mean {statistics.mean(result.latencies) * 1000:.1f} ms, "
        f"{len(result.latencies)} ok, {result.errors} errors, stack peak RSS (all processes) {result.peak_rss_mib:.0f} MiB"
    )
