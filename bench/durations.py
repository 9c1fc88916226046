"""What one request costs to run: each function's warm duration against moto in this process, and the
AWS requests it makes (DynamoDB capacity units estimated from item sizes, since moto reports none).
docs/costs.md multiplies these by AWS prices."""

import json
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench import capacity
from bench.fan_out import SLUG, confirmed_subscribers, moto_stack
from parley import ses, sqs
from parley.storage import dynamo
from parley_cli import runtime
from parley_cli.events import http_api_event


@dataclass
class Usage:
    """AWS requests and DynamoDB capacity units, summed over what was recorded."""

    requests: Counter[str] = field(default_factory=Counter)
    read_units: float = 0.0
    write_units: float = 0.0

    def per(self, count: int) -> "Usage":
        return Usage(
            Counter({name: n / count for name, n in self.requests.items()}),
            self.read_units / count,
            self.write_units / count,
        )


@dataclass
class Measured:
    name: str
    milliseconds: float
    usage: Usage


class Recorder:
    """botocore event hooks on the clients the functions use (cached, so the same ones throughout)."""

    def __init__(self) -> None:
        self.usage = Usage()
        self.pending: list[dict[str, Any]] = []
        for client in (dynamo.dynamodb(), sqs.sqs(), ses.sesv2()):
            client.meta.events.register("provide-client-params", self._request)
            client.meta.events.register("after-call", self._response)

    def take(self) -> Usage:
        usage, self.usage = self.usage, Usage()
        return usage

    def _request(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.pending.append(params)
        self.usage.requests[f"{model.service_model.service_name}:{model.name}"] += 1

    def _response(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        params = self.pending.pop()
        if model.service_model.service_name == "dynamodb":
            read, write = capacity.units(model.name, params, parsed)
            self.usage.read_units += read
            self.usage.write_units += write


def timed(samples: int, call: Callable[[int], Any], recorder: Recorder) -> tuple[float, Usage]:
    """Median milliseconds of `samples` calls, and the AWS usage of one call on average."""
    recorder.take()
    durations = []
    for index in range(samples):
        started = time.perf_counter()
        call(index)
        durations.append((time.perf_counter() - started) * 1000)
    return statistics.median(durations), recorder.take().per(samples)


def run_durations(samples: int = 50, subscribers: int = 200) -> list[Measured]:
    parameters = {"RateLimitPerMinute": "1000000", "RateLimitPerHour": "1000000", "LogLevel": "WARNING"}
    with moto_stack(100_000.0, parameters) as functions:
        recorder = Recorder()

        def call(name: str, event: dict[str, Any]) -> Any:
            spec, handler = functions[name]
            return runtime.invoke(spec, handler, event)

        def submit(index: int) -> str:
            body = {
                "article_slug": SLUG,
                "name": f"Reader {index}",
                "email": f"reader{index}@example.org",
                "message": f"Comment number {index}, about the length of a real one. " * 3,
            }
            event = http_api_event(
                "POST",
                "/api/comments",
                "POST /api/comments",
                headers={"content-type": "application/json"},
                body=json.dumps(body).encode(),
            )
            return str(json.loads(call("SubmitCommentFunction", event)["body"])["id"])

        ids: list[str] = []
        submit_ms, submit_usage = timed(samples, lambda index: ids.append(submit(index)), recorder)
        approve_ms, approve_usage = timed(
            samples,
            lambda index: call(
                "ModerateFunction", {"action": "approve", "comment_id": ids[index], "moderator": "bench"}
            ),
            recorder,
        )
        drain_queue(call)  # the alerts and follow-ups queued above
        list_event = http_api_event(
            "GET", "/api/comments", "GET /api/comments", query=f"article_slug={SLUG}&limit=20"
        )
        list_ms, list_usage = timed(samples, lambda _: call("ListCommentsFunction", list_event), recorder)

        confirmed_subscribers(subscribers)
        call("ModerateFunction", {"action": "approve", "comment_id": submit(samples), "moderator": "bench"})
        recorder.take()
        started = time.perf_counter()
        drain_queue(call)
        sender_ms = (time.perf_counter() - started) * 1000
        sent = recorder.take()
        emails = int(sent.requests["sesv2:SendEmail"])
        email_usage = sent.per(max(emails, 1))
    return [
        Measured("GET /api/comments (20 of 50)", list_ms, list_usage),
        Measured("POST /api/comments", submit_ms, submit_usage),
        Measured("moderate approve", approve_ms, approve_usage),
        Measured(f"one email (fan-out to {subscribers})", sender_ms / max(emails, 1), email_usage),
    ]


def drain_queue(call: Callable[[str, dict[str, Any]], Any]) -> None:
    """Sender runs until one receives nothing."""
    while call("SendNotificationsFunction", {})["received"]:
        pass
