"""Writes the API's OpenAPI document: every HTTP function's resolver, merged (`make openapi`)."""

import json
import os
import sys
from typing import Any

from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge

from parley_cli import runtime, template

TITLE = "Parley"
DESCRIPTION = (
    "Comments for static sites. Reads are public; new comments are held for moderation. "
    'Errors are JSON: {"error": {"code", "message", "field", "errors"}}.'
)


def openapi_document(version: str = "0.1.0") -> str:
    loaded = template.load_template()
    routed = {route.function for route in template.http_routes(loaded)}
    merger = OpenAPIMerge(title=TITLE, version=version, description=DESCRIPTION, on_conflict="error")
    saved = dict(os.environ)
    os.environ.setdefault(
        "AWS_DEFAULT_REGION", "us-east-1"
    )  # handlers make (offline) boto3 clients on import
    try:
        for name, spec in template.functions(loaded).items():
            if name in routed:
                os.environ.update(template.function_environment(loaded, spec, {}))
                merger.add_schema(runtime.load_module(spec).app.get_openapi_schema())
    finally:
        os.environ.clear()
        os.environ.update(saved)
    document = json.loads(merger.get_openapi_json_schema())
    _accept_forms(document)
    return json.dumps(document, indent=2) + "\n"


def _accept_forms(document: dict[str, Any]) -> None:
    """Every JSON request body is also taken url-encoded (parley.api accepts both for every route)."""
    for operations in document["paths"].values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                content.setdefault("application/x-www-form-urlencoded", content["application/json"])


if __name__ == "__main__":
    sys.stdout.write(openapi_document())
