"""Lambda access: the only module that invokes ModerateFunction (the moderation logic lives there)."""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3

from parley.aws_config import client_config
from parley.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_lambda import LambdaClient


@cache
def lambda_client() -> LambdaClient:
    """Created on first use; honours AWS_ENDPOINT_URL_LAMBDA / AWS_ENDPOINT_URL (the local stack)."""
    return boto3.client("lambda", config=client_config(read_timeout=8))


class ModerationFailed(RuntimeError):
    """ModerateFunction crashed (not a refusal: those come back as `{"error": ...}`)."""


class ModerationFunction:
    def __init__(self, function_name: str | None = None) -> None:
        self.function_name = function_name or get_settings().moderate_function_name

    def call(self, request: dict[str, Any]) -> dict[str, Any]:
        """Invoke ModerateFunction synchronously with one request; its JSON answer."""
        if not self.function_name:
            raise RuntimeError("MODERATE_FUNCTION_NAME is not set")
        response = lambda_client().invoke(
            FunctionName=self.function_name,
            InvocationType="RequestResponse",
            Payload=json.dumps(request).encode(),
        )
        payload = response["Payload"].read()
        if response.get("FunctionError"):
            raise ModerationFailed(f"ModerateFunction failed: {payload[:200]!r}")
        answer: dict[str, Any] = json.loads(payload)
        return answer
