"""Schemathesis against the local stack: every operation of docs/openapi.json, bounded and seeded."""

import pytest
import schemathesis
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from parley_cli.devprocess import RunningStack
from parley_cli.template import PROJECT_ROOT

pytestmark = pytest.mark.e2e
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Loaded eagerly rather than through `schemathesis.pytest.from_fixture`, which sets
# `request.node._nodeid` (gone in pytest 9.2); each case is sent to the session's stack instead.
schema = schemathesis.openapi.from_path(PROJECT_ROOT / "docs" / "openapi.json")
schema.config.generation.update(max_examples=50, deterministic=True, database="none")


@schema.parametrize()
def test_api_answers_as_documented(case: schemathesis.Case, local_stack: RunningStack) -> None:
    """No server error; every status, content type and body is the one the document gives."""
    case.call_and_validate(base_url=local_stack.api, checks=CHECKS, timeout=10)
