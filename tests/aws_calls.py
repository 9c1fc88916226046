"""Records every AWS API call a function makes while a test runs it, for the IAM check.

A botocore `provide-client-params` hook is added to botocore's built-in handlers, so every session
created afterwards (boto3's default one, Powertools' own for secrets) carries it, and so does
boto3's default session if it already exists. The function is known through a context
variable that the conftest's `function` fixture sets while it loads or invokes a handler: a call made
with no function acting (a test's own setup or inspection) is not recorded.

On AWS each function has its own processes; here they share one, so Powertools' parameter cache
is emptied whenever another function starts acting: a secret one function fetched must not spare
another function the GetSecretValue its role has to allow.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import boto3
from aws_lambda_powertools.utilities import parameters
from botocore import handlers

_acting: ContextVar[str | None] = ContextVar("acting_function", default=None)
_last_acting: list[str] = []


@dataclass(frozen=True)
class AwsCall:
    function: str
    service: str
    operation: str
    params: dict[str, Any]


recorded: list[AwsCall] = []


@contextmanager
def acting_as(function: str) -> Iterator[None]:
    """Attribute the AWS calls made inside the block (in this thread) to `function`."""
    if _last_acting != [function]:
        parameters.clear_caches()
        _last_acting[:] = [function]
    token = _acting.set(function)
    try:
        yield
    finally:
        _acting.reset(token)


def _record(params: dict[str, Any], model: Any, **_: Any) -> None:  # returns None: params unchanged
    function = _acting.get()
    if function is not None:
        service = model.service_model.service_name
        recorded.append(AwsCall(function, service, model.name, dict(params)))


handlers.BUILTIN_HANDLERS.append(("provide-client-params", _record))
if boto3.DEFAULT_SESSION is not None:
    boto3.DEFAULT_SESSION.events.register("provide-client-params", _record)
