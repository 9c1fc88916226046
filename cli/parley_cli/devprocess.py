"""Starts `parley dev` as a child process on free ports (for the end-to-end tests and the benchmarks)."""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from parley_cli.template import PROJECT_ROOT

READY_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class RunningStack:
    api: str
    lambda_api: str
    aws_endpoint: str
    pid: int


def process_tree(pid: int) -> list[int]:
    """`pid` and every process below it (Linux /proc): the processes of a running stack."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending += children.get(current, [])
    return tree


def resident_mib(pid: int) -> float:
    """Resident memory of `pid` and every process below it, in MiB."""
    total = 0
    for member in process_tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        total += sum(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return total / 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_stack(
    extra_environment: dict[str, str] | None = None, ports: tuple[int, int] | None = None
) -> Iterator[RunningStack]:
    """`parley dev` on two free ports (or `ports`); stopped on exit. Raises RuntimeError with its
    output if it fails. It keeps its data in a temporary directory of its own (never the project's
    `.parley/`) unless PARLEY_DATA_DIR is given."""
    port, lambda_port = ports or (free_port(), free_port())
    with tempfile.TemporaryDirectory(prefix="parley-data-") as data_dir:
        environment = {
            **os.environ,
            "PORT": str(port),
            "LAMBDA_PORT": str(lambda_port),
            "PYTHONUNBUFFERED": "1",
            "PARLEY_DATA_DIR": data_dir,
            **(extra_environment or {}),
        }
        with _started(environment, port, lambda_port) as stack:
            yield stack


@contextmanager
def _started(environment: dict[str, str], port: int, lambda_port: int) -> Iterator[RunningStack]:
    environment.pop("AWS_ENDPOINT_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "parley_cli.main", "dev"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        aws_endpoint = _wait_until_ready(process)
        threading.Thread(target=_drain, args=(process,), daemon=True).start()
        yield RunningStack(
            f"http://127.0.0.1:{port}", f"http://127.0.0.1:{lambda_port}", aws_endpoint, process.pid
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _drain(process: subprocess.Popen[str]) -> None:
    """Keep reading the child's output so that a full pipe never blocks it."""
    assert process.stdout is not None
    for _ in process.stdout:
        pass


def _wait_until_ready(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    output: list[str] = []
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        output.append(line)
        if found := re.search(r"AWS \(moto\):\s+(\S+)", line):
            return found[1]
    raise RuntimeError("parley dev did not start:\n" + "".join(output))


def invoke_function(stack: RunningStack, function_name: str, payload: dict[str, Any]) -> Any:
    """Invoke one of the stack's functions through its Lambda Invoke API, as boto3 does against AWS."""
    client = boto3.client(
        "lambda",
        endpoint_url=stack.lambda_api,
        region_name="us-east-1",
        aws_access_key_id="parley-local",
        aws_secret_access_key="parley-local",  # noqa: S106 - the local stack takes any key
    )
    response = client.invoke(FunctionName=function_name, Payload=json.dumps(payload).encode())
    return json.loads(response["Payload"].read())
