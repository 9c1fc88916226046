"""A real `parley dev` process on free ports, spoken to over HTTP."""

from collections.abc import Iterator

import pytest

from parley_cli.devprocess import RunningStack, running_stack


@pytest.fixture(scope="session")
def local_stack() -> Iterator[RunningStack]:
    with running_stack() as stack:
        yield stack
