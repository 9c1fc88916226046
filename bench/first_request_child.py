"""Run by bench.first_request in a fresh interpreter: one function's first request (import, handler
init, one invocation), then warm requests, with AWS answered from a recording (no moto, no network).

Prints one JSON line: {"first_ms", "first_cpu_ms": wall and CPU time of the first request,
"warm_cpu_ms": [CPU time of each warm request], "peak_mib": peak resident memory}.
The clock starts before anything but the standard library's time module is imported.
"""

import time

STARTED = time.perf_counter()
STARTED_CPU = time.process_time()

import copy  # noqa: E402 - after the clock started, on purpose
import gc  # noqa: E402
import importlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import pickle  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from collections import defaultdict, deque  # noqa: E402
from typing import Any  # noqa: E402

# Set for the minimal function loaded as parley.cold_start loads ours: no garbage collection until
# it is ready, then what exists frozen out of later collections (the same comparison on equal terms).
LOAD_WITHOUT_COLLECTION = "BENCH_LOAD_WITHOUT_COLLECTION"
# Where each service's client lives: the layer's cached factories (the functions use the same ones).
CLIENTS = {
    "dynamodb": "parley.storage.dynamo:dynamodb",
    "sqs": "parley.sqs:sqs",
    "sesv2": "parley.ses:sesv2",
    "secretsmanager": "parley.tokens:secrets",
    "lambda": "parley.moderation_function:lambda_client",
}


class Context:
    """What the Lambda runtime passes as `context`."""

    function_name = "bench"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    memory_limit_in_mb = 512
    aws_request_id = "00000000-0000-0000-0000-000000000000"
    log_group_name = "/aws/lambda/bench"
    log_stream_name = "bench"

    def __init__(self, timeout_seconds: int) -> None:
        self.timeout_seconds = timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return self.timeout_seconds * 1000


class Replay:
    """Answers each call (botocore's before-call hook, as Stubber does) with the recorded response to
    the same parameters, else to the next unanswered call of the same operation (a write carries the
    time it is made). The list function's thread Queries run at once, in no fixed order, which is why
    this matches on parameters where Stubber would expect one order."""

    def __init__(self, calls: list[dict[str, Any]]) -> None:
        self.calls = calls
        self.lock = threading.Lock()
        self.local = threading.local()
        self.prepare()

    def prepare(self) -> None:
        """Fresh copies of every response (made outside the timed request)."""
        from botocore.response import StreamingBody

        self.exact: dict[tuple[str, str, str], deque[list[Any]]] = defaultdict(deque)
        self.by_operation: dict[tuple[str, str], deque[list[Any]]] = defaultdict(deque)
        for call in self.calls:
            response = copy.deepcopy(call["response"])
            if "Payload" in response:  # Lambda Invoke: the payload is a stream
                response["Payload"] = StreamingBody(io.BytesIO(response["Payload"]), len(response["Payload"]))
            entry = [response]
            self.exact[call["service"], call["operation"], call["key"]].append(entry)
            self.by_operation[call["service"], call["operation"]].append(entry)

    def note(self, params: dict[str, Any], **_: Any) -> None:
        """The call's own parameters (before-call sees only the serialized request)."""
        self.local.key = key_of(params)

    def answer(self, model: Any, **_: Any) -> Any:
        from botocore.awsrequest import AWSResponse, HTTPHeaders

        service, operation = model.service_model.service_name, model.name
        with self.lock:
            exact = self.exact[service, operation, self.local.key]
            entry = next((e for e in exact if e), None)
            if entry is None:
                entry = next((e for e in self.by_operation[service, operation] if e), None)
            if entry is None:
                raise RuntimeError(f"the recording has no answer for {service}:{operation}")
            response = entry.pop()
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", 200)
        return AWSResponse("https://replayed.invalid", status, HTTPHeaders(), None), response


def outcome(result: dict[str, Any]) -> str:
    """What a replayed request must answer as the recorded one did: status, error, or work done."""
    if "statusCode" in result:
        return f"status {result['statusCode']}"
    if "error" in result:
        return f"error {result['error'].get('code')}"
    if "received" in result:
        return f"received {result['received']}, failed {result['failed']}, skipped {result['skipped']}"
    return "answered"


def key_of(params: dict[str, Any]) -> str:
    return json.dumps(params, sort_keys=True, default=repr)


def client_of(service: str) -> Any:
    module, name = CLIENTS[service].split(":")
    client = getattr(importlib.import_module(module), name)()
    return getattr(client, "client", client)  # Powertools' SecretsProvider holds its client


def check(scenario: dict[str, Any], answered: dict[str, Any]) -> None:
    if outcome(answered) != scenario["outcome"]:
        sys.exit(f"the replay answered {outcome(answered)}, the recording {scenario['outcome']}")


def main() -> None:
    recording_path, function_dir, layer, warm_requests = sys.argv[1:]
    sys.path[:0] = [function_dir, layer]
    with open(recording_path, "rb") as handle:
        scenario = pickle.load(handle)  # noqa: S301 - written by bench.first_request moments ago
    if os.environ.get(LOAD_WITHOUT_COLLECTION):
        gc.disable()
    function = importlib.import_module("app")
    if os.environ.get(LOAD_WITHOUT_COLLECTION):
        gc.freeze()
        gc.enable()
    replay = Replay(scenario["calls"])
    services = {call["service"] for call in scenario["calls"]}
    for service in sorted(services):
        factory = scenario.get("clients", {}).get(service)
        client = getattr(function, factory)() if factory else client_of(service)
        client.meta.events.register("provide-client-params", replay.note)
        client.meta.events.register("before-call", replay.answer)
    context = Context(scenario.get("timeout_seconds", 10))
    answered = function.lambda_handler(copy.deepcopy(scenario["event"]), context)
    first_ms = (time.perf_counter() - STARTED) * 1000
    first_cpu_ms = (time.process_time() - STARTED_CPU) * 1000
    check(scenario, answered)
    warm = []
    for _ in range(int(warm_requests)):
        replay.prepare()
        event = copy.deepcopy(scenario["event"])
        started = time.process_time()
        answered = function.lambda_handler(event, context)
        warm.append((time.process_time() - started) * 1000)
        check(scenario, answered)
    # VmHWM starts afresh at exec (getrusage's maximum would carry the parent's).
    with open("/proc/self/status") as status:
        peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    peak_mib = peak_kib / 1024
    print(
        json.dumps(
            {"first_ms": first_ms, "first_cpu_ms": first_cpu_ms, "warm_cpu_ms": warm, "peak_mib": peak_mib}
        )
    )


if __name__ == "__main__":
    main()
