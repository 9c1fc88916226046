"""Records the AWS calls each function makes, for the tests' IAM check (moto enforces no IAM).

A botocore `provide-client-params` hook joins botocore's built-in handlers, so every session made
afterwards carries it (boto3's default one, Powertools' own for secrets); boto3's default session
gets it too if it exists already. A call counts as a function's while `runtime.acting` names it;
other calls (setup, the tests' own inspection) are not recorded. On AWS each function has its own
processes; here they share one, so a Powertools parameter provider's cache is emptied whenever
another function reads through it: a secret one function fetched must not spare another the
GetSecretValue its role has to allow.
"""

import json
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import boto3
from aws_lambda_powertools.utilities import parameters
from botocore import handlers

from parley_cli import runtime


@dataclass(frozen=True)
class AwsCall:
    function: str
    service: str
    operation: str
    params: dict[str, Any]


def record_calls(on_call: Callable[[AwsCall], None]) -> None:
    """From now on, hand every AWS call made by a function to `on_call`."""

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:  # None: the params stay as they are
        function = runtime.acting.get()
        if function is not None:
            on_call(AwsCall(function, model.service_model.service_name, model.name, dict(params)))

    handlers.BUILTIN_HANDLERS.append(("provide-client-params", record))
    if boto3.DEFAULT_SESSION is not None:
        boto3.DEFAULT_SESSION.events.register("provide-client-params", record)
    _parameters_cached_per_function()


def _parameters_cached_per_function() -> None:
    """A Powertools parameter provider (the signing secret's) forgets what it cached whenever
    another function asks it than the one that asked last."""
    fresh = parameters.BaseProvider.has_not_expired_in_cache
    askers: dict[int, str] = {}

    def fresh_for_the_acting_function(provider: parameters.BaseProvider, key: tuple[Any, ...]) -> bool:
        function = runtime.acting.get() or ""
        if askers.get(id(provider)) != function:
            provider.clear_cache()  # type: ignore[no-untyped-call]
            askers[id(provider)] = function
        return fresh(provider, key)

    parameters.BaseProvider.has_not_expired_in_cache = fresh_for_the_acting_function  # type: ignore[method-assign,assignment]


def log_to_file(path: Path, references: dict[str, str]) -> None:
    """JSON lines: first what each `Ref` resolves to here, then one line per call (`PARLEY_AWS_CALL_LOG`)."""
    lock = threading.Lock()
    path.write_text(json.dumps({"references": references}) + "\n", encoding="utf-8")

    def append(call: AwsCall) -> None:
        line = json.dumps(asdict(call), default=lambda _: None)  # raw email bytes are not needed
        with lock, path.open("a", encoding="utf-8") as log:
            log.write(line + "\n")

    record_calls(append)


def read_log(path: Path) -> tuple[dict[str, str], list[AwsCall]]:
    [first, *lines] = path.read_text(encoding="utf-8").splitlines()
    references: dict[str, str] = json.loads(first)["references"]
    return references, [AwsCall(**json.loads(line)) for line in lines]
