"""A real `parley dev` process on free ports, spoken to over HTTP."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from parley_cli.browser import CHROMIUM, MISSING_CHROMIUM, launch_chromium
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium for one module's tests. Playwright's sync API runs one at a time per process,
    so it stops with its module: a later module that starts its own (test_moderation_links.py) finds
    none still running."""
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM)
    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh British reader's tab (dates and texts the tests expect)."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    yield context.new_page()
    context.close()
