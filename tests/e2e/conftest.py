"""A real `parley dev` process on free ports, spoken to over HTTP."""

from collections.abc import Iterator

import pytest

from parley_cli.devprocess import RunningStack
from tests.e2e.checked_stack import stack_within_roles


@pytest.fixture(scope="session")
def local_stack() -> Iterator[RunningStack]:
    # The sender runs every half second instead of every few, so email tests wait less; the tests
    # post many comments from 127.0.0.1, so the flood limits are raised (test_abuse.py has its own
    # stack); they reload right after approving, so listings are not cached (test_read_cache.py's
    # stack keeps the default); expired items are swept every second instead of every minute
    # (test_local_aws.py waits for one).
    with stack_within_roles(
        {
            "PARLEY_SCHEDULE_SECONDS": "0.5",
            "PARLEY_TTL_SWEEP_SECONDS": "1",
            "PARLEY_PARAMETER_OVERRIDES": "RateLimitPerMinute=10000 RateLimitPerHour=10000 ListCacheSeconds=0",
        }
    ) as stack:
        yield stack
