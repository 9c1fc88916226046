"""`parley dev` for the end-to-end tests, with the IAM check: every AWS call its functions made must
be allowed by the function's role in template.yaml (moto enforces no IAM)."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from parley_cli import call_log
from parley_cli.devprocess import RunningStack, running_stack
from tests import iam
from tests.cloudformation import Resolver, expanded_template


@contextmanager
def stack_within_roles(
    extra_environment: dict[str, str] | None = None, ports: tuple[int, int] | None = None
) -> Iterator[RunningStack]:
    """A running stack that logs its functions' AWS calls; on the way out, fails on any call the
    calling function's role does not allow."""
    with tempfile.TemporaryDirectory(prefix="parley-calls-") as folder:
        log = Path(folder) / "aws-calls.jsonl"
        with running_stack({**(extra_environment or {}), "PARLEY_AWS_CALL_LOG": str(log)}, ports) as stack:
            yield stack
        references, calls = call_log.read_log(log)
    assert calls, "the stack logged no AWS call (its scheduled sender alone makes some)"
    refused = iam.refused(calls, Resolver(expanded_template(), references))
    if refused:
        pytest.fail(
            "parley dev (checked as it stopped): calls its functions' roles in template.yaml do not allow:\n"
            + "\n".join(refused)
        )
