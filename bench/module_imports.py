"""Cold-start import time of each function's module in a fresh interpreter, beside a bare `import boto3`
and the minimal function's (bench/minimal_function: boto3, Powertools' resolver with validation and
Logger, the framework's own floor), as it is and loaded without garbage collection as
parley.cold_start loads ours (the equal-terms reference): wall time, and CPU time (steadier on a
machine shared with other work). The runs are interleaved, each round importing every module once,
so the machine's drift weighs on all of them alike."""

import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from parley_cli import template

RUNS = 9
LAYER = template.PROJECT_ROOT / "layers" / "parley"
MINIMAL = Path(__file__).resolve().parent / "minimal_function"
TIMER = """
import gc, sys, time
sys.path[:0] = {paths!r}
started, started_cpu = time.perf_counter(), time.process_time()
{before}
import {module}
{after}
print((time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000)
"""
MINIMAL_WITHOUT_COLLECTION = "minimal function, loaded without collection"


@dataclass
class Subject:
    name: str
    module: str
    paths: list[str]
    environment: dict[str, str]
    without_collection: bool = False  # as parley.cold_start loads a function


@dataclass
class ModuleImport:
    """Median wall and CPU milliseconds of one module's import, and their ratios to bare boto3's and
    to the minimal function's loaded without collection."""

    name: str
    wall_ms: float
    cpu_ms: float
    boto3_ratio: float
    minimal_ratio: float


def import_milliseconds(subject: Subject) -> tuple[float, float]:
    """Wall and CPU milliseconds of one import in a fresh interpreter (bytecode already cached, as in
    a warm Lambda image)."""
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [
            sys.executable,
            "-c",
            TIMER.format(
                paths=subject.paths,
                module=subject.module,
                before="gc.disable()" if subject.without_collection else "",
                after="gc.freeze(); gc.enable()" if subject.without_collection else "",
            ),
        ],
        env=subject.environment,
        capture_output=True,
        text=True,
        check=True,
    )
    wall, cpu = result.stdout.split()
    return float(wall), float(cpu)


def module_imports() -> list[ModuleImport]:
    """boto3, the minimal function (as it is, and without collection), then each function: the larger
    of the wall and CPU ratios."""
    loaded = template.load_template()
    base = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_METRICS_DISABLED": "true"}
    minimal_environment = {**base, "POWERTOOLS_SERVICE_NAME": "minimal"}
    subjects = [
        Subject("import boto3", "boto3", [], base),
        Subject("minimal function", "app", [str(MINIMAL)], minimal_environment),
        Subject(
            MINIMAL_WITHOUT_COLLECTION, "app", [str(MINIMAL)], minimal_environment, without_collection=True
        ),
    ]
    for name, spec in template.functions(loaded).items():
        environment = {**base, **template.function_environment(loaded, spec, {})}
        paths = [str(Path(spec.code_uri)), str(LAYER)]
        subjects.append(Subject(name, spec.handler.rsplit(".", 1)[0], paths, environment))
    samples: dict[str, list[tuple[float, float]]] = {subject.name: [] for subject in subjects}
    for _ in range(RUNS):
        for subject in subjects:
            samples[subject.name].append(import_milliseconds(subject))
    medians = {
        name: (statistics.median(wall for wall, _ in runs), statistics.median(cpu for _, cpu in runs))
        for name, runs in samples.items()
    }
    boto3, minimal = medians["import boto3"], medians[MINIMAL_WITHOUT_COLLECTION]
    return [
        ModuleImport(
            name,
            wall,
            cpu,
            max(wall / boto3[0], cpu / boto3[1]),
            max(wall / minimal[0], cpu / minimal[1]),
        )
        for name, (wall, cpu) in medians.items()
    ]
