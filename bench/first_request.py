"""Cold and warm figures per function, with AWS answered from a recording (no moto, no network):

- first request: a fresh interpreter imports the function, builds its handler and answers one
  representative request; median of RUNS, beside the same figure for bench/minimal_function (boto3,
  Powertools' HTTP resolver with validation and Logger answering one GET with one DynamoDB read);
- warm CPU: the process CPU time of each further request (p50);
- DynamoDB requests and capacity units of each route (bench.capacity).
"""

import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import capacity
from bench.aws_recording import Recorded, recorded_requests, save
from bench.first_request_child import LOAD_WITHOUT_COLLECTION
from parley_cli import template

RUNS = 7
WARM_REQUESTS = 200
BENCH = Path(__file__).resolve().parent
CHILD = BENCH / "first_request_child.py"
LAYER = template.PROJECT_ROOT / "layers" / "parley"
MINIMAL = BENCH / "minimal_function"


@dataclass
class RouteCost:
    name: str
    requests: Counter[str]
    read_units: float
    write_units: float


@dataclass
class FirstRequest:
    """Median wall and CPU time of a first request in a fresh interpreter."""

    name: str
    wall_ms: float
    cpu_ms: float
    peak_mib: float


@dataclass
class WarmRequest:
    name: str
    cpu_p50_ms: float
    cpu_p90_ms: float


def child_environment(environment: dict[str, str]) -> dict[str, str]:
    """As on Lambda, plus fake credentials; any call the recording cannot answer goes nowhere."""
    kept = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return {
        **kept,
        **environment,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
    }


def run_child(scenario: Path, function_dir: Path, environment: dict[str, str], warm: int) -> dict[str, Any]:
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(CHILD), str(scenario), str(function_dir), str(LAYER), str(warm)],
        env=child_environment(environment),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"{function_dir.name}: {result.stderr[-2000:]}")
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


@dataclass
class Subject:
    """A function (or the minimal one) with the request its first request answers."""

    name: str
    scenario: Path
    function_dir: Path
    environment: dict[str, str]


def first_requests(subjects: list[Subject]) -> list[FirstRequest]:
    """Each subject's first request RUNS times, interleaved (each round runs every subject once), so
    the machine's drift weighs on all of them alike."""
    runs: dict[str, list[dict[str, Any]]] = {subject.name: [] for subject in subjects}
    for _ in range(RUNS):
        for subject in subjects:
            runs[subject.name].append(
                run_child(subject.scenario, subject.function_dir, subject.environment, 0)
            )
    return [
        FirstRequest(
            name,
            statistics.median(run["first_ms"] for run in each),
            statistics.median(run["first_cpu_ms"] for run in each),
            max(run["peak_mib"] for run in each),
        )
        for name, each in runs.items()
    ]


def warm_request(scenario: Path, function_dir: Path, environment: dict[str, str], name: str) -> WarmRequest:
    samples = sorted(run_child(scenario, function_dir, environment, WARM_REQUESTS)["warm_cpu_ms"])
    return WarmRequest(name, statistics.median(samples), samples[int(len(samples) * 0.9)])


def route_cost(recorded: Recorded) -> RouteCost:
    requests: Counter[str] = Counter()
    reads = writes = 0.0
    for call in recorded.calls:
        requests[f"{call['service']}:{call['operation']}"] += 1
        if call["service"] == "dynamodb":
            read, write = capacity.units(call["operation"], call["params"], call["response"])
            reads, writes = reads + read, writes + write
    return RouteCost(recorded.name, requests, reads, writes)


def minimal_scenario(directory: Path, table_name: str) -> tuple[Path, dict[str, str]]:
    """The minimal function's one GET and its one GetItem (answered with an article's counter)."""
    event = json.loads((template.PROJECT_ROOT / "events" / "list_comments.json").read_text())
    counter = {"PK": {"S": "ARTICLE#a"}, "SK": {"S": "STATS"}, "approved_count": {"N": "20"}}
    call = {
        "service": "dynamodb",
        "operation": "GetItem",
        "key": "",
        "response": {"Item": counter, "ResponseMetadata": {"HTTPStatusCode": 200}},
    }
    path = directory / "minimal.pickle"
    scenario = {"event": event, "calls": [call], "clients": {"dynamodb": "dynamodb"}, "outcome": "status 200"}
    path.write_bytes(pickle.dumps(scenario))
    return path, {"TABLE_NAME": table_name, "POWERTOOLS_SERVICE_NAME": "minimal"}


@dataclass
class Results:
    minimal: FirstRequest
    minimal_without_collection: FirstRequest  # loaded as parley.cold_start loads the functions
    functions: list[FirstRequest]
    warm: list[WarmRequest]
    costs: list[RouteCost]


def run_first_requests() -> Results:
    """The minimal function's first request (as it is, and loaded without garbage collection as
    ours are), each function's (on its first recorded request), the warm CPU of every recorded
    request, and the DynamoDB cost of each."""
    specs = template.functions(template.load_template())
    with tempfile.TemporaryDirectory(prefix="parley-bench-") as temporary:
        directory = Path(temporary)
        with recorded_requests() as recorded:
            saved = [(save(each, directory), each) for each in recorded]
        path, environment = minimal_scenario(directory, recorded[0].environment["TABLE_NAME"])
        subjects = [
            Subject("minimal function", path, MINIMAL, environment),
            Subject(
                "minimal function, loaded without collection",
                path,
                MINIMAL,
                {**environment, LOAD_WITHOUT_COLLECTION: "1"},
            ),
        ]
        warm, seen = [], set()
        for path, each in saved:
            code = specs[each.function].code_uri
            environment = {**each.environment, "LIST_CACHE_SECONDS": "0"}  # warm lists read the table
            if each.function not in seen:
                seen.add(each.function)
                subjects.append(Subject(f"{each.function} ({each.name})", path, code, environment))
            warm.append(warm_request(path, code, environment, each.name))
            if each.name == "list":  # as deployed: a warm container answers within ListCacheSeconds
                warm.append(warm_request(path, code, each.environment, "list (cached, 5 s)"))
        minimal, minimal_without_collection, *functions = first_requests(subjects)
    return Results(
        minimal, minimal_without_collection, functions, warm, [route_cost(each) for each in recorded]
    )
