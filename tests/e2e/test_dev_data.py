"""`make dev` keeps its data: a local stack stopped (or killed) and started again on the same data
directory (a temporary one, never the project's `.parley/`) has the same comments, counts,
subscriptions, outbox and signing secret; `FRESH=1` starts empty."""

import os
import re
import signal
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from parley_cli.devprocess import RunningStack, free_port, process_tree, running_stack
from parley_cli.template import PROJECT_ROOT
from tests.e2e.checked_stack import stack_within_roles
from tests.e2e.test_emails import approve, confirm_by_button, outbox, post, subscribe, wait_for_mail
from tests.e2e.test_moderation_links import MODERATOR, links
from tests.polling import wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def ports() -> tuple[int, int]:
    """Both runs on the same ports, as `make dev` is: links in old emails point there."""
    return free_port(), free_port()


def dev_stack(data_dir: Path, ports: tuple[int, int], fresh: bool = False, checked: bool = True) -> Any:
    """The stack as `make dev` runs it, on `data_dir`; `checked`: its calls checked against the roles
    as it stops (a stack that is killed has no log to check)."""
    environment = {
        "PARLEY_DATA_DIR": str(data_dir),
        "PARLEY_SCHEDULE_SECONDS": "0.5",
        "PARLEY_PARAMETER_OVERRIDES": "RateLimitPerMinute=10000 RateLimitPerHour=10000 ListCacheSeconds=0",
    }
    if fresh:
        environment["PARLEY_FRESH"] = "1"
    return stack_within_roles(environment, ports) if checked else running_stack(environment, ports)


def listing(stack: RunningStack, slug: str) -> Any:
    return requests.get(f"{stack.api}/api/comments", params={"article_slug": slug}, timeout=10).json()


def count(stack: RunningStack, slug: str) -> int:
    answer = requests.get(f"{stack.api}/api/comments/count", params={"article_slug": slug}, timeout=10)
    counts: dict[str, int] = answer.json()["counts"]
    return counts[slug]


@pytest.fixture
def slug() -> str:
    return f"kept-{uuid.uuid4().hex[:10]}"


def test_a_restart_keeps_comments_subscriptions_outbox_and_links(
    data_dir: Path, ports: tuple[int, int], slug: str
) -> None:
    subscriber, late = "subscriber@example.com", "late@example.com"
    with dev_stack(data_dir, ports) as stack:
        waiting = post(stack, slug, "later@example.com", "Later")
        alert = wait_for_mail(stack, MODERATOR, "Comment awaiting review")
        approve(stack, subscribe(stack, slug, subscriber, "Subscriber"))
        post(stack, slug, late, "Late", notify=True)  # confirms only after the restart
        confirmation = wait_for_mail(stack, late, "Please confirm")
        before = (listing(stack, slug), count(stack, slug), outbox(stack))
    assert before[1] == 1

    with dev_stack(data_dir, ports) as stack:
        assert (listing(stack, slug), count(stack, slug), outbox(stack)) == before
        # Links signed before the restart still work: the alert's approve link, the confirmation.
        approve_link = links(alert["text"])["approve"]
        assert waiting in requests.get(approve_link, timeout=10).text
        done = requests.post(approve_link, timeout=10)
        assert done.status_code == 200, done.text
        assert "approved by" in done.text
        [confirm_link] = re.findall(r"http://\S+/api/subscriptions/confirm\?token=\S+", confirmation["text"])
        assert "You are subscribed" in confirm_by_button(confirm_link).text
        # The confirmed subscription is still there: its subscriber hears of the approved comment.
        wait_for_mail(stack, subscriber, "New comment by Later")
        assert count(stack, slug) == 2


def test_a_killed_stack_loses_at_most_the_last_seconds(
    data_dir: Path, ports: tuple[int, int], slug: str
) -> None:
    with dev_stack(data_dir, ports, checked=False) as stack:
        comment_id = post(stack, slug, "reader@example.com", "Reader")
        approve(stack, comment_id)
        wait_until(lambda: saved(data_dir, comment_id), "the approved comment was never saved", 10)
        tree = process_tree(stack.pid)
        for pid in tree:
            os.kill(pid, signal.SIGKILL)  # parley dev and its AWS process at once: no last save
        wait_until(lambda: not any(alive(pid) for pid in tree), "the killed stack is still running")

    with dev_stack(data_dir, ports) as stack:
        [listed] = listing(stack, slug)["comments"]
        assert listed["id"] == comment_id
        assert count(stack, slug) == 1


def test_fresh_starts_empty_and_forgets_what_was_kept(
    data_dir: Path, ports: tuple[int, int], slug: str
) -> None:
    with dev_stack(data_dir, ports) as stack:
        approve(stack, post(stack, slug, "reader@example.com", "Reader"))
        assert count(stack, slug) == 1

    with dev_stack(data_dir, ports, fresh=True) as stack:
        assert count(stack, slug) == 0
        assert outbox(stack) == []

    with dev_stack(data_dir, ports) as stack:
        assert listing(stack, slug)["comments"] == []


def saved(data_dir: Path, comment_id: str) -> bool:
    """Whether the stack's last save holds the comment as approved (read as a second reader would)."""
    with sqlite3.connect(f"file:{data_dir / 'state.sqlite'}?mode=ro", uri=True) as database:
        rows = database.execute("SELECT item FROM items WHERE hash LIKE ?", (f"%COMMENT#{comment_id}%",))
        return any(re.search(r'"status": \{"S": "approved"\}', item) for (item,) in rows)


def test_the_stacks_of_the_tests_keep_their_data_apart(local_stack: RunningStack) -> None:
    """Every test stack keeps its data in a temporary directory of its own: never the project's `.parley/`."""
    environment = Path(f"/proc/{local_stack.pid}/environ").read_bytes().split(b"\0")
    [data_dir] = [
        Path(e.split(b"=", 1)[1].decode()) for e in environment if e.startswith(b"PARLEY_DATA_DIR=")
    ]
    comment_id = post(local_stack, f"apart-{uuid.uuid4().hex[:10]}", "reader@example.com", "Reader")
    approve(local_stack, comment_id)

    wait_until(lambda: saved(data_dir, comment_id), "the test stack saved nothing in its data directory", 10)
    assert data_dir.name.startswith("parley-data-")
    assert not data_dir.is_relative_to(PROJECT_ROOT)


def alive(pid: int) -> bool:
    """Running still (a process killed but not yet reaped is a zombie: gone for this purpose)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
