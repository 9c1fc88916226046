"""Seeding thousands of comments through the API, and listing one article before and after: writes
that cost O(item), and an article's list that does not slow down because other articles exist."""

import itertools
import threading
import time
from dataclasses import dataclass

from bench import soak
from parley_cli.devprocess import RunningStack

LISTED_SLUG = "listed-article"


@dataclass
class SeedingResult:
    comments: int
    seconds: float
    first_quarter_per_second: float
    last_quarter_per_second: float
    list_before: soak.Outcome
    list_after: soak.Outcome


def seed(stack: RunningStack, count: int, articles: int, clients: int) -> list[float]:
    """Post `count` comments spread over `articles` other articles; returns when each was accepted."""
    slugs = itertools.cycle([f"other-article-{number}" for number in range(articles)])
    remaining = iter(range(count))
    accepted: list[float] = []
    lock = threading.Lock()

    def client() -> None:
        reader = soak.Reader(stack)
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
                slug = next(slugs)
            status, answer = reader.post(slug)
            assert status == 202, answer
            with lock:
                accepted.append(time.monotonic())

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(accepted)


def run_seeding(stack: RunningStack, count: int, articles: int, clients: int = 8) -> SeedingResult:
    soak.seed_approved(stack, LISTED_SLUG, 50)
    before = soak.run(stack, clients, 10.0, 0.0, LISTED_SLUG)
    started = time.monotonic()
    accepted = seed(stack, count, articles, clients)
    quarter = count // 4
    first = quarter / (accepted[quarter - 1] - started)
    last = quarter / (accepted[-1] - accepted[-quarter - 1])
    after = soak.run(stack, clients, 10.0, 0.0, LISTED_SLUG)
    return SeedingResult(count, accepted[-1] - started, first, last, before, after)
