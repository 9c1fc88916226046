"""Each function's representative request run once against moto, with every AWS call it made
(parameters and parsed response): what bench.first_request replays in fresh interpreters, and what
the DynamoDB units per route are counted from."""

import copy
import io
import json
import os
import pickle
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.response import StreamingBody

from bench.fan_out import moto_stack
from bench.first_request_child import key_of, outcome
from parley import moderation_function, ses, sqs, tokens
from parley.storage import dynamo
from parley_cli import runtime, template
from parley_cli.events import http_api_event
from parley_cli.outbox import sent_messages

EVENTS = template.PROJECT_ROOT / "events"
SLUG = "professional-networking-strategies-2024"  # the article the sample events name
SEEDED = 20  # approved comments on it before anything is recorded


@dataclass
class Recorded:
    """One request of one function, and the AWS calls it made."""

    name: str
    function: str
    event: dict[str, Any]
    environment: dict[str, str]
    calls: list[dict[str, Any]] = field(default_factory=list)
    outcome: str = ""  # what a replay must answer too (bench.first_request_child.outcome)
    timeout_seconds: int = 10

    def scenario(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "calls": self.calls,
            "outcome": self.outcome,
            "timeout_seconds": self.timeout_seconds,
        }


class CallRecorder:
    """botocore hooks on the layer's clients: each call's parameters and parsed response, under the
    function that made it (`runtime.acting`)."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.function: str | None = None  # the one being recorded: its pool threads carry no context
        self.local = threading.local()
        self.lock = threading.Lock()
        for client in clients():
            client.meta.events.register("provide-client-params", self._request)
            client.meta.events.register("after-call", self._response)

    def take(self, function: str) -> list[dict[str, Any]]:
        with self.lock:
            taken, self.calls = self.calls, []
        return [call for call in taken if call["function"] == function]

    def _request(self, params: dict[str, Any], **_: Any) -> None:
        self.local.__dict__.setdefault("pending", []).append(copy.deepcopy(params))

    def _response(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        params = self.local.pending.pop()
        response = copy.deepcopy({name: value for name, value in parsed.items() if name != "Payload"})
        if "Payload" in parsed:  # Lambda Invoke: keep the bytes, give the caller a fresh stream
            payload = parsed["Payload"].read()
            response["Payload"] = payload
            parsed["Payload"] = _stream(payload)
        call = {
            "function": runtime.acting.get() or self.function,
            "service": model.service_model.service_name,
            "operation": model.name,
            "params": params,
            "key": key_of(params),
            "response": response,
        }
        with self.lock:
            self.calls.append(call)


def clients() -> list[Any]:
    return [
        dynamo.dynamodb(),
        sqs.sqs(),
        ses.sesv2(),
        tokens.secrets().client,
        moderation_function.lambda_client(),
    ]


def _stream(payload: bytes) -> Any:
    return StreamingBody(io.BytesIO(payload), len(payload))


def sample_event(name: str, **changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
    event.update(changes)
    return event


def with_token(event: dict[str, Any], token: str) -> dict[str, Any]:
    event["rawQueryString"] = f"token={token}"
    event["queryStringParameters"] = {"token": token}
    return event


def submission(index: int, notifications: bool = False) -> dict[str, Any]:
    body = {
        "article_slug": SLUG,
        "name": f"Reader {index}",
        "email": f"reader{index}@example.org",
        "message": f"Comment number {index}, about the length of a real one. " * 3,
        "notifications": notifications,
    }
    return http_api_event(
        "POST",
        "/api/comments",
        "POST /api/comments",
        headers={"content-type": "application/json"},
        body=json.dumps(body).encode(),
        source_ip=f"198.51.100.{index % 250 + 1}",
    )


def token_in(address: str, path: str) -> str:
    for message in reversed(sent_messages()):
        found = re.search(rf"{re.escape(path)}\?token=([^\s\"<>&]+)", message["text"])
        if message["to"] == address and found:
            return found.group(1)
    raise LookupError(f"no email to {address} with a {path} link")


@contextmanager
def recorded_requests() -> Iterator[list[Recorded]]:
    """Record, in this process under moto: submit, list, count, one sender run (a follow-up and what
    else is queued), a subscription confirmation, a moderator's approve link and a direct approval."""
    moderator = "moderators@example.com"
    parameters = {
        "RateLimitPerMinute": "1000000",
        "RateLimitPerHour": "1000000",
        "ModeratorEmail": moderator,
        "LogLevel": "WARNING",
    }
    with moto_stack(100_000.0, parameters) as functions:
        recorder = CallRecorder()
        recorded: list[Recorded] = []

        def call(function: str, event: dict[str, Any]) -> Any:
            spec, handler = functions[function]
            return runtime.invoke(spec, handler, event)

        def record(name: str, function: str, event: dict[str, Any]) -> Any:
            tokens.secrets().clear_cache()  # type: ignore[no-untyped-call] # a fresh container reads the secret first
            recorder.take(function)
            recorder.function = function
            result = call(function, copy.deepcopy(event))
            spec = functions[function][0]
            environment = {
                variable: os.environ[variable] if isinstance(value, dict) else str(value)
                for variable, value in spec.environment.items()
            }
            calls = recorder.take(function)
            recorded.append(
                Recorded(name, function, event, environment, calls, outcome(result), spec.timeout_seconds)
            )
            return result

        def answer_invoke(params: dict[str, Any], **_: Any) -> Any:
            result = json.dumps(call("ModerateFunction", json.loads(params["body"] or b"{}"))).encode()
            return AWSResponse("", 200, HTTPHeaders(), None), {"StatusCode": 200, "Payload": _stream(result)}

        moderation_function.lambda_client().meta.events.register("before-call.lambda.Invoke", answer_invoke)

        def approve(comment_id: str) -> dict[str, Any]:
            return {"action": "approve", "comment_id": comment_id, "moderator": "bench"}

        def drain() -> None:
            while call("SendNotificationsFunction", {})["received"]:
                pass

        for index in range(SEEDED):
            posted = json.loads(call("SubmitCommentFunction", submission(index))["body"])
            call("ModerateFunction", approve(posted["id"]))
        drain()
        author = "ada@example.com"  # the sample submission's, who ticks "notify me"
        record("submit", "SubmitCommentFunction", sample_event("submit_comment_json"))
        record("list", "ListCommentsFunction", sample_event("list_comments"))
        record("count", "ListCommentsFunction", sample_event("count_comments"))
        drain()
        confirm = with_token(
            sample_event("subscriptions_confirm"), token_in(author, "/api/subscriptions/confirm")
        )
        record("subscription confirm", "SubscriptionsFunction", confirm)
        link = with_token(sample_event("moderation_approve"), token_in(moderator, "/api/moderation/approve"))
        record("moderator's approve link", "ModerationLinksFunction", link)
        another = json.loads(call("SubmitCommentFunction", submission(SEEDED))["body"])
        record("moderate approve", "ModerateFunction", approve(another["id"]))
        record("sender run", "SendNotificationsFunction", sample_event("send_notifications_schedule"))
        yield recorded


def save(recorded: Recorded, directory: Path) -> Path:
    path = directory / f"{re.sub(r'[^a-z]+', '-', recorded.name)}.pickle"
    path.write_bytes(pickle.dumps(recorded.scenario()))
    return path
