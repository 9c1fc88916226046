"""Shared fixtures: AWS through moto, with the resources of template.yaml; handlers loaded as SAM would."""

import copy
import importlib
import io
import json
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.response import StreamingBody
from moto import mock_aws

import parley
from parley import cold_start, moderation_function, ses, settings, sqs, tokens
from parley.storage import dynamo
from parley.storage.comments import CommentRepository
from parley_cli import runtime, template
from tests import aws_calls, iam
from tests.cloudformation import Resolver, expanded_template

EVENTS = Path(__file__).resolve().parents[1] / "events"
SITE_URL = "https://blog.example.com"
ALLOWED_ORIGINS = "https://blog.example.com,https://www.example.com"
MODERATOR_EMAIL = "moderators@example.com"
SENDER_EMAIL = "comments@blog.example.com"
Invoke = Callable[[dict[str, Any]], dict[str, Any]]

# Every layer module imported now, with the real datetime: a test that loads a function inside
# freezegun would otherwise import the layer there, and pydantic cannot build a model whose fields
# name freezegun's stand-in class (a 500 that only that test order shows).
for _module in pkgutil.walk_packages(parley.__path__, "parley."):
    importlib.import_module(_module.name)
# Among them parley.cold_start, which turns garbage collection off until a function has loaded: on again.
cold_start.ready()


def load_event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
    return copy.deepcopy(event)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """AWS credentials for moto, and quiet Powertools."""
    variables = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    settings.get_settings.cache_clear()
    yield variables
    settings.get_settings.cache_clear()


@pytest.fixture
def aws(environment: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """moto, with the resources of template.yaml, and every function's environment as the template
    sets it (with this test's site and moderator). Yields what each `Ref` resolves to."""
    with mock_aws():
        clear_clients()
        loaded = template.load_template()
        parameters = {
            "SiteUrl": SITE_URL,
            "AllowedOrigins": ALLOWED_ORIGINS,
            "ModeratorEmail": MODERATOR_EMAIL,
            "SenderEmail": SENDER_EMAIL,
            "MaxSendRate": "1000",
            # Tests post many comments from one address; the flood limits have tests of their own.
            "RateLimitPerMinute": "10000",
            "RateLimitPerHour": "10000",
            # Tests read right after they approve; caching has tests of its own (test_read_cache.py).
            "ListCacheSeconds": "0",
        }
        references = {**parameters, **template.create_resources(loaded, boto3.Session(), parameters)}
        for spec in template.functions(loaded).values():
            for name, value in template.function_environment(loaded, spec, references).items():
                monkeypatch.setenv(name, value)
        settings.get_settings.cache_clear()
        yield references
        clear_clients()


def route_invocations(load: Callable[[str], Invoke]) -> None:
    """moto's Lambda runs code only in Docker: a Lambda Invoke (RequestResponse) from our functions is
    answered here by the invoked function of template.yaml, loaded like the others, as Lambda would.
    Its own calls are recorded under its name and checked against its role."""
    loaded: dict[str, Invoke] = {}

    def answer(params: dict[str, Any], **_: Any) -> Any:
        name = params["url_path"].split("/functions/", 1)[1].split("/", 1)[0].rsplit(":", 1)[-1]
        if name not in loaded:
            loaded[name] = load(name)
        result = json.dumps(loaded[name](json.loads(params["body"] or b"{}"))).encode()
        payload = StreamingBody(io.BytesIO(result), len(result))
        return AWSResponse("", 200, HTTPHeaders(), None), {"StatusCode": 200, "Payload": payload}

    moderation_function.lambda_client().meta.events.register("before-call.lambda.Invoke", answer)


def clear_clients() -> None:
    """boto3 clients are cached per process; each moto context needs fresh ones."""
    dynamo.dynamodb.cache_clear()
    sqs.sqs.cache_clear()
    ses.sesv2.cache_clear()
    tokens.secrets.cache_clear()
    moderation_function.lambda_client.cache_clear()


@pytest.fixture
def repository(aws: dict[str, str]) -> CommentRepository:
    return CommentRepository()


@pytest.fixture
def function(aws: dict[str, str]) -> Iterator[Callable[[str], Invoke]]:
    """Load a function of template.yaml by logical id; returns a callable taking an event.

    Every AWS call the function makes is recorded, and the test fails (at teardown) when the
    function's role in the expanded template does not allow one of them: moto enforces no IAM."""
    start = len(aws_calls.recorded)

    def load(logical_id: str) -> Invoke:
        spec = template.functions(template.load_template())[logical_id]
        handler = runtime.load_handler(spec)

        def invoke(event: dict[str, Any]) -> dict[str, Any]:
            result: dict[str, Any] = runtime.invoke(spec, handler, event)
            return result

        return invoke

    route_invocations(load)
    yield load
    calls = aws_calls.recorded[start:]
    del aws_calls.recorded[start:]
    refused = iam.refused(calls, Resolver(expanded_template(), aws))
    if refused:
        pytest.fail("not allowed by the function's role in template.yaml:\n" + "\n".join(refused))
