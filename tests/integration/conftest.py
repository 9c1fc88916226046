"""The integration tests' driver of the whole stack's functions (readers, moderators, the scheduler)."""

from collections.abc import Callable

import pytest

from parley import settings
from tests.conftest import Invoke
from tests.integration.stack_driver import Parley


@pytest.fixture
def retry_now(aws: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Failed messages come back at the next receive instead of after two minutes."""
    monkeypatch.setenv("NOTIFICATION_RETRY_SECONDS", "0")
    settings.get_settings.cache_clear()


@pytest.fixture
def app(function: Callable[[str], Invoke], retry_now: None, aws: dict[str, str]) -> "Parley":
    return Parley(function, aws)
