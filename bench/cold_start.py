"""Cold-start import time of each function's module in a fresh interpreter, beside a bare `import boto3`:
wall time, and CPU time (steadier on a machine shared with other work)."""

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
started, started_cpu = time.perf_counter(), time.process_time()
import {module}
print((time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000)
"""


def import_milliseconds(module: str, paths: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """Median wall and CPU milliseconds over RUNS fresh interpreters (bytecode already cached, as in
    a warm Lambda image)."""
    walls, cpus = [], []
    for _ in range(RUNS):
        result = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-c", TIMER.format(paths=paths, module=module)],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        wall, cpu = result.stdout.split()
        walls.append(float(wall))
        cpus.append(float(cpu))
    return statistics.median(walls), statistics.median(cpus)


def cold_starts() -> list[tuple[str, float, float, float, float]]:
    """(name, wall ms, its ratio to bare boto3's, CPU ms, its ratio) for boto3 itself and each function."""
    loaded = template.load_template()
    base = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_METRICS_DISABLED": "true"}
    boto3_wall, boto3_cpu = import_milliseconds("boto3", [], base)
    rows = [("import boto3", boto3_wall, 1.0, boto3_cpu, 1.0)]
    for name, spec in template.functions(loaded).items():
        environment = {**base, **template.function_environment(loaded, spec, {})}
        module = spec.handler.rsplit(".", 1)[0]
        wall, cpu = import_milliseconds(module, [str(Path(spec.code_uri)), str(LAYER)], environment)
        rows.append((name, wall, wall / boto3_wall, cpu, cpu / boto3_cpu))
    return rows
