"""What one request costs to run: each function's warm duration against moto in this process, and the
AWS requests it makes (DynamoDB capacity units estimated from item sizes, since moto reports none).
docs/costs.md multiplies these by AWS prices."""

import json
import math
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.fan_out import SLUG, confirmed_subscribers, moto_stack
from parley import ses, sqs
from parley.storage import dynamo
from parley_cli import runtime
from parley_cli.events import http_api_event

# Read units per 4 KB (eventually consistent reads take half), write units per 1 KB; a transaction
# takes twice; a write that sets or removes an index's keys writes that index too.
INDEX_KEYS = ("GSI1PK", "GSI2PK")


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


def value_bytes(value: dict[str, Any]) -> int:
    """DynamoDB's size of one typed attribute value (a close upper bound for numbers)."""
    [(kind, inner)] = value.items()
    if kind in ("S", "B"):
        return len(inner.encode() if isinstance(inner, str) else inner)
    if kind == "N":
        return len(str(inner)) // 2 + 2
    if kind in ("SS", "NS", "BS", "L"):
        items = inner if kind == "L" else [{kind[0]: item} for item in inner]
        return 3 + sum(value_bytes(item) + 1 for item in items)
    if kind == "M":
        return 3 + item_bytes(inner)
    return 1


def item_bytes(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + value_bytes(value) for name, value in item.items())


def write_units(item_size: int, expression: str, item: dict[str, Any]) -> float:
    indexes = sum(1 for key in INDEX_KEYS if key in item or key in expression)
    return math.ceil(max(item_size, 1) / 1024) * (1 + indexes)


class Recorder:
    """botocore event hooks on the clients the functions use (cached, so the same ones throughout)."""

    def __init__(self) -> None:
        self.usage = Usage()
        for client in (dynamo.dynamodb(), sqs.sqs(), ses.sesv2()):
            client.meta.events.register("provide-client-params", self._request)
            client.meta.events.register("after-call", self._response)

    def take(self) -> Usage:
        usage, self.usage = self.usage, Usage()
        return usage

    def _request(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        service = model.service_model.service_name
        self.usage.requests[f"{service}:{model.name}"] += 1
        if service != "dynamodb":
            return
        if model.name == "PutItem":
            self.usage.write_units += write_units(item_bytes(params["Item"]), "", params["Item"])
        elif model.name in ("UpdateItem", "DeleteItem"):
            self.usage.write_units += write_units(1, params.get("UpdateExpression", ""), {})
        elif model.name == "TransactWriteItems":
            for action in params["TransactItems"]:
                [body] = action.values()
                item = body.get("Item", {})
                size = item_bytes(item) if item else 1
                self.usage.write_units += 2 * write_units(size, body.get("UpdateExpression", ""), item)

    def _response(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if model.service_model.service_name != "dynamodb":
            return
        if model.name == "GetItem" and "Item" in parsed:
            self.usage.read_units += math.ceil(item_bytes(parsed["Item"]) / 4096)
        elif model.name == "Query":
            size = sum(item_bytes(item) for item in parsed.get("Items", []))
            self.usage.read_units += max(1, math.ceil(size / 4096)) * 0.5
        elif model.name == "BatchGetItem":
            for items in parsed.get("Responses", {}).values():
                self.usage.read_units += sum(math.ceil(item_bytes(item) / 4096) for item in items)


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
