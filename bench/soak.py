"""The local stack held under load for a minute: a mixed soak (lists and posts), and posting alone.

Every post comes from an address and an email of its own (X-Forwarded-For, which the local stack
honours from 127.0.0.1), so the flood limits, idempotency and moderator alerts all run as they would
for a crowd of readers, and none of them refuses a post."""

import http.client
import itertools
import json
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from parley_cli.devprocess import RunningStack, invoke_function, resident_mib

SOAK_SLUG = "soak-article"
POSTING_SLUG = "posting-article"
PAGE_SIZE = 20  # the widget's default page
_readers = itertools.count(1)


@dataclass
class Outcome:
    """What the clients saw: one (seconds since the start, latency, HTTP status or 0 for no answer)
    per request, and the ids of the comments accepted."""

    requests: list[tuple[float, float, int]] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)

    def percentile(self, fraction: float) -> float:
        ordered = sorted(latency for _, latency, _ in self.requests)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000 if ordered else 0.0

    @property
    def errors(self) -> int:
        return sum(1 for _, _, status in self.requests if not 200 <= status < 400)

    @property
    def server_errors(self) -> int:
        return sum(1 for _, _, status in self.requests if status >= 500)


class Reader:
    """One keep-alive connection, as a browser holds one."""

    def __init__(self, stack: RunningStack) -> None:
        target = urlsplit(stack.api)
        self.host, self.port = target.hostname or "127.0.0.1", target.port
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def send(self, method: str, path: str, payload: Any = None, address: str = "") -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if address:
            headers["X-Forwarded-For"] = address
        try:
            self.connection.request(method, path, None if payload is None else json.dumps(payload), headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            return 0, None
        return response.status, json.loads(raw) if raw else None

    def post(self, slug: str) -> tuple[int, Any]:
        number = next(_readers)
        comment = {
            "article_slug": slug,
            "name": f"Reader {number}",
            "email": f"reader{number}-{uuid.uuid4().hex[:6]}@example.com",
            "message": f"Comment {number} of the benchmark, with a link https://example.com/{number}.",
        }
        address = f"10.{number // 65025 % 250}.{number // 255 % 255}.{number % 255 + 1}"
        return self.send("POST", "/api/comments", comment, address)


def seed_approved(stack: RunningStack, slug: str, count: int) -> None:
    reader = Reader(stack)
    for _ in range(count):
        status, posted = reader.post(slug)
        assert status == 202, posted
        answer = invoke_function(
            stack, "ModerateFunction", {"action": "approve", "comment_id": posted["id"], "moderator": "bench"}
        )
        assert answer["comment"]["status"] == "approved", answer


def run(stack: RunningStack, clients: int, seconds: float, post_share: float, slug: str) -> Outcome:
    """`clients` readers for `seconds`: each request a post with probability `post_share`, else a list
    of `slug`'s first page. The stack's memory is read at the half and at the end."""
    outcome = Outcome()
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + seconds
    listing = "/api/comments?" + urlencode({"article_slug": slug, "limit": PAGE_SIZE})

    def client() -> None:
        reader, requests, accepted = Reader(stack), [], []
        while (now := time.monotonic()) < deadline:
            posting = random.random() < post_share
            status, answer = reader.post(slug) if posting else reader.send("GET", listing)
            requests.append((now - started, time.monotonic() - now, status))
            if posting and status == 202:
                accepted.append(answer["id"])
        with lock:
            outcome.requests += requests
            outcome.accepted += accepted

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for moment in (started + seconds / 2, deadline):
        time.sleep(max(0.0, moment - time.monotonic()))
        outcome.rss_mib.append(resident_mib(stack.pid))
    for thread in threads:
        thread.join()
    return outcome


def pending_in_queue(stack: RunningStack, slug: str) -> set[str]:
    """The ids of `slug`'s comments in the moderation queue, as a moderator lists them."""
    found: set[str] = set()
    cursor = None
    while True:
        page = invoke_function(
            stack, "ModerateFunction", {"action": "list_pending", "limit": 50, "cursor": cursor}
        )
        found |= {comment["id"] for comment in page["comments"] if comment["article_slug"] == slug}
        cursor = page.get("next_cursor")
        if not cursor:
            return found


def per_slice(outcome: Outcome, seconds: float, slices: int) -> list[float]:
    """Accepted posts per second in each of `slices` equal slices of the run."""
    width = seconds / slices
    counts = [0] * slices
    for moment, _, status in outcome.requests:
        if status == 202:
            counts[min(slices - 1, int(moment // width))] += 1
    return [count / width for count in counts]
