"""A real `parley dev` process on free ports, spoken to over HTTP."""

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class RunningStack:
    api: str
    lambda_api: str
    aws_endpoint: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def local_stack() -> Iterator[RunningStack]:
    port, lambda_port = free_port(), free_port()
    environment = {**os.environ, "PORT": str(port), "LAMBDA_PORT": str(lambda_port), "PYTHONUNBUFFERED": "1"}
    environment.pop("AWS_ENDPOINT_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "parley_cli.main", "dev"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output: list[str] = []
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    aws_endpoint = None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        output.append(line)
        if found := re.search(r"AWS \(moto\):\s+(\S+)", line):
            aws_endpoint = found[1]
            break
    if aws_endpoint is None:
        process.kill()
        pytest.fail("parley dev did not start:\n" + "".join(output))
    try:
        yield RunningStack(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{lambda_port}", aws_endpoint)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
