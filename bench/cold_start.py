"""Cold-start import time of each function's module in a fresh interpreter, beside a bare `import boto3`."""

import os
import statistics
import subprocess
import sys
from pathlib import Path

from parley_cli import template

RUNS = 7
LAYER = template.PROJECT_ROOT / "layers" / "parley"
TIMER = """
import sys, time
sys.path[:0] = {paths!r}
started = time.perf_counter()
import {module}
print((time.perf_counter() - started) * 1000)
"""


def import_milliseconds(module: str, paths: list[str], environment: dict[str, str]) -> float:
    """Median over RUNS fresh interpreters (bytecode already cached, as in a warm Lambda image)."""
    samples = []
    for _ in range(RUNS):
        result = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-c", TIMER.format(paths=paths, module=module)],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        samples.append(float(result.stdout.strip()))
    return statistics.median(samples)


def cold_starts() -> list[tuple[str, float, float]]:
    """(name, milliseconds, ratio to bare boto3) for boto3 itself and each function."""
    loaded = template.load_template()
    base = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_METRICS_DISABLED": "true"}
    boto3_ms = import_milliseconds("boto3", [], base)
    rows = [("import boto3", boto3_ms, 1.0)]
    for name, spec in template.functions(loaded).items():
        environment = {**base, **template.function_environment(loaded, spec, {})}
        module = spec.handler.rsplit(".", 1)[0]
        milliseconds = import_milliseconds(module, [str(Path(spec.code_uri)), str(LAYER)], environment)
        rows.append((name, milliseconds, milliseconds / boto3_ms))
    return rows
