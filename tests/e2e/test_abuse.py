"""Floods, duplicates and hostile markup on a local stack with the default limits, over HTTP."""

import itertools
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from parley_cli.devprocess import RunningStack, invoke_function
from tests.e2e.checked_stack import stack_within_roles

pytestmark = pytest.mark.e2e
SLUG = "professional-networking-strategies-2024"


@pytest.fixture(scope="module")
def default_stack() -> Iterator[RunningStack]:
    """A stack of its own, with the template's default flood limits (5 a minute, 30 an hour)."""
    with stack_within_roles() as stack:
        yield stack


def test_forty_quick_posts_from_one_address_meet_429s(default_stack: RunningStack) -> None:
    statuses, waits = [], []
    first_minute = int(time.time() // 60)
    for index in range(40):
        response = requests.post(
            f"{default_stack.api}/api/comments",
            json={
                "article_slug": SLUG,
                "name": "Flood",
                "email": f"f{index}@example.com",
                "message": f"Flood number {index}",
            },
            headers={"X-Forwarded-For": "198.51.100.200"},
            timeout=10,
        )
        statuses.append(response.status_code)
        waits.append(response.headers.get("Retry-After"))
    minutes = int(time.time() // 60) - first_minute

    # Windows are fixed minutes (5 a minute): the first five get through and the rest are refused; a
    # burst (it lasts seconds) that crossed into the next minute gets one more run of up to five through.
    accepted = [index for index, status in enumerate(statuses) if status == 202]
    assert set(statuses) == {202, 429}
    assert accepted[:5] == [0, 1, 2, 3, 4]
    later = accepted[5:]
    if minutes == 0:
        assert later == []
    else:
        assert minutes == 1
        assert len(later) <= 5
        assert all(after == before + 1 for before, after in itertools.pairwise(later))
    assert all(1 <= int(wait) <= 60 for status, wait in zip(statuses, waits, strict=True) if status == 429)
    other = requests.post(
        f"{default_stack.api}/api/comments",
        json={
            "article_slug": SLUG,
            "name": "Calm",
            "email": "calm@example.com",
            "message": "Just one comment",
        },
        headers={"X-Forwarded-For": "198.51.100.201"},
        timeout=10,
    )
    assert other.status_code == 202


def test_posting_the_same_form_twice_stores_one_comment(default_stack: RunningStack) -> None:
    form = {
        "article_slug": SLUG,
        "name": "Twice",
        "email": "twice@example.com",
        "message": "Clicked the button twice",
    }
    headers = {"X-Forwarded-For": "198.51.100.202"}

    locations = [
        requests.post(
            f"{default_stack.api}/api/comments", data=form, headers=headers, allow_redirects=False, timeout=10
        ).headers["Location"]
        for _ in range(2)
    ]

    ids = {parse_qs(urlsplit(location).query)["id"][0] for location in locations}
    assert len(ids) == 1
    pending = invoke_function(default_stack, "ModerateFunction", {"action": "list_pending", "limit": 100})
    assert [c["message"] for c in pending["comments"]].count("Clicked the button twice") == 1


def test_a_script_in_a_message_is_stored_and_shown_as_text(default_stack: RunningStack) -> None:
    message = "<script>alert('owned')</script> and <img src=x onerror=alert(1)>"
    posted = requests.post(
        f"{default_stack.api}/api/comments",
        json={
            "article_slug": "hostile-article",
            "name": "<b>Mallory</b>",
            "email": "m@example.com",
            "message": message,
        },
        headers={"X-Forwarded-For": "198.51.100.203"},
        timeout=10,
    )
    comment_id = posted.json()["id"]
    invoke_function(
        default_stack, "ModerateFunction", {"action": "approve", "comment_id": comment_id, "moderator": "e2e"}
    )

    [shown] = requests.get(
        f"{default_stack.api}/api/comments", params={"article_slug": "hostile-article"}, timeout=10
    ).json()["comments"]

    assert shown["message"] == message
    assert shown["name"] == "<b>Mallory</b>"
    assert "<script>" not in shown["message_html"]
    assert "<img" not in shown["message_html"]
    assert "&lt;script&gt;" in shown["message_html"]
