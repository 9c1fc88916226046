"""`parley dev` under load, as a busy site meets it: memory that stays flat, concurrent posts that are
all stored, a stack that leaves no process behind."""

import functools
import http.client
import itertools
import json
import os
import signal
import threading
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from parley_cli.devprocess import RunningStack, invoke_function, process_tree, resident_mib, running_stack
from tests.polling import wait_until

pytestmark = pytest.mark.e2e
ROUNDS = 3
REQUESTS_PER_KIND = 50
# What 100 more stored comments and their alert emails may take, with room for the allocator's noise.
# Before moto_fixes the same two rounds grew the stack by hundreds of MiB.
GROWTH_BOUND_MIB = 20
# Many posts from one address; every listing read from the table, not from the list function's cache.
RAISED_LIMITS = {
    "PARLEY_PARAMETER_OVERRIDES": "RateLimitPerMinute=100000 RateLimitPerHour=100000 ListCacheSeconds=0"
}
_addresses = itertools.count(1)


def fresh_address() -> str:
    number = next(_addresses)
    return f"198.51.{number // 250 % 250}.{number % 250 + 1}"


class Client:
    """One keep-alive HTTP connection to the stack's API, as a browser holds one."""

    def __init__(self, stack: RunningStack) -> None:
        target = urlsplit(stack.api)
        self.connection = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port, timeout=30)
        self.connection.connect()

    def request(
        self, method: str, path: str, payload: Any = None, address: str = "203.0.113.7"
    ) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json", "X-Forwarded-For": address}
        body = None if payload is None else json.dumps(payload)
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else None

    def post_comment(self, slug: str, number: int, address: str = "203.0.113.7") -> tuple[int, Any]:
        comment = {
            "article_slug": slug,
            "name": f"Reader {number}",
            "email": f"reader{number}@example.com",
            "message": f"Comment number {number} under load, {uuid.uuid4().hex}.",
        }
        return self.request("POST", "/api/comments", comment, address)


def one_round(stack: RunningStack, client: Client, slug: str) -> None:
    """Each kind of request the stack serves: post, approve, list, count, and the sender's runs."""
    for number in range(REQUESTS_PER_KIND):
        status, posted = client.post_comment(slug, number)
        assert status == 202, posted
        answer = invoke_function(
            stack, "ModerateFunction", {"action": "approve", "comment_id": posted["id"], "moderator": "e2e"}
        )
        assert answer["comment"]["status"] == "approved", answer
        listed, _ = client.request("GET", "/api/comments?" + urlencode({"article_slug": slug, "limit": 20}))
        counted, _ = client.request("GET", "/api/comments/count?" + urlencode({"article_slug": slug}))
        assert (listed, counted) == (200, 200)


def test_memory_of_the_stack_stays_flat_after_each_kind_of_request() -> None:
    """The leak moto_fixes closes (moto keeping every model instance, and a copy of the whole table per
    transaction) grew the stack by megabytes per request; here two more rounds of requests may only
    add what they store."""
    with running_stack(RAISED_LIMITS) as stack:
        client = Client(stack)
        slug = f"memory-{uuid.uuid4().hex[:8]}"
        one_round(stack, client, slug)  # warm: every module loaded, every cache filled
        warm = resident_mib(stack.pid)
        for _ in range(ROUNDS - 1):
            one_round(stack, client, slug)
        grown = resident_mib(stack.pid) - warm

    assert grown <= GROWTH_BOUND_MIB, f"the stack grew {grown:.0f} MiB (from {warm:.0f} MiB)"


def test_posts_from_many_threads_at_once_are_all_stored() -> None:
    """Eight readers post at the same moment, forty times each, from addresses of their own: no 5xx
    (moto's own thread-unsafety answered 500 here), and every comment accepted is stored. A stack of
    its own, so that its 320 pending comments do not crowd other tests' moderation queue."""
    with running_stack(RAISED_LIMITS) as stack:
        posted_and_stored(stack)


def posted_and_stored(local_stack: RunningStack) -> None:
    slug = f"crowd-{uuid.uuid4().hex[:8]}"
    threads, posts = 8, 40
    start = threading.Barrier(threads)
    answers: list[tuple[int, Any]] = []
    lock = threading.Lock()

    def reader(number: int) -> None:
        client, address = Client(local_stack), fresh_address()
        start.wait()
        for post in range(posts):
            answer = client.post_comment(slug, number * posts + post, address)
            with lock:
                answers.append(answer)

    run_all([functools.partial(reader, number) for number in range(threads)])

    assert len(answers) == threads * posts
    assert [answer for answer in answers if answer[0] != 202] == []
    stored = [
        invoke_function(local_stack, "ModerateFunction", {"action": "get", "comment_id": posted["id"]})
        for _, posted in answers
    ]
    assert len(stored) == threads * posts
    assert {(found["comment"]["article_slug"], found["comment"]["status"]) for found in stored} == {
        (slug, "pending")
    }


def run_all(targets: list[Callable[[], None]]) -> None:
    """Run each target in a thread of its own; re-raise the first failure."""
    failures: list[BaseException] = []

    def guarded(target: Callable[[], None]) -> None:
        try:
            target()
        except BaseException as error:
            failures.append(error)

    running = [threading.Thread(target=guarded, args=(target,)) for target in targets]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    if failures:
        raise failures[0]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_stopping_parley_dev_leaves_no_process_behind(stop: signal.Signals) -> None:
    """Ctrl-C, `kill` and even `kill -9` of `parley dev`: its AWS process goes too."""
    with running_stack() as stack:
        processes = process_tree(stack.pid)
        assert len(processes) == 2  # parley dev and its AWS process
        os.kill(stack.pid, stop)
        wait_until(lambda: not any(alive(pid) for pid in processes), "parley dev and its AWS process gone")


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent to read its status is not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
