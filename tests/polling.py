"""Waiting for something to happen (an email, a listing) by asking until it has, up to a deadline."""

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
POLL_SECONDS = 0.2


def wait_until(condition: Callable[[], T | None], what: str, seconds: float = 20) -> T:
    """Ask `condition` until it answers something other than None or False; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    pause = threading.Event()
    while True:
        answer = condition()
        if answer is not None and answer is not False:
            return answer
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: not within {seconds}s")
        pause.wait(POLL_SECONDS)
