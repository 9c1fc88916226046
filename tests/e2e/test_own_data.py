"""On the local stack, over HTTP: post, edit within the window, delete; ask for "my data", follow the
emailed link, download, erase; the comments are gone from the listing and the count is exact."""

import re
import uuid
from typing import Any

import pytest
import requests

from parley_cli.devprocess import RunningStack, invoke_function
from tests.polling import wait_until

pytestmark = pytest.mark.e2e


def post(stack: RunningStack, slug: str, email: str, message: str) -> dict[str, Any]:
    answer = requests.post(
        f"{stack.api}/api/comments",
        json={"article_slug": slug, "name": "Ada", "email": email, "message": message},
        timeout=10,
    )
    assert answer.status_code == 202, answer.text
    accepted: dict[str, Any] = answer.json()
    return accepted


def approve(stack: RunningStack, comment_id: str) -> None:
    invoke_function(
        stack, "ModerateFunction", {"action": "approve", "comment_id": comment_id, "moderator": "t"}
    )


def listing(stack: RunningStack, slug: str) -> dict[str, Any]:
    page: dict[str, Any] = requests.get(
        f"{stack.api}/api/comments", params={"article_slug": slug}, timeout=10
    ).json()
    return page


def test_post_edit_delete_then_ask_download_and_erase_over_http(local_stack: RunningStack) -> None:
    slug, email = f"own-{uuid.uuid4().hex[:10]}", f"{uuid.uuid4().hex[:10]}@example.org"
    first = post(local_stack, slug, email, "My first comment, to be edited.")
    second = post(local_stack, slug, email, "My second comment, to be deleted.")
    kept = post(local_stack, slug, email, "My third comment, erased later.")
    for accepted in (first, second, kept):
        approve(local_stack, accepted["id"])
    assert listing(local_stack, slug)["count"] == 3

    edited = requests.put(
        f"{local_stack.api}/api/comments/{first['id']}",
        json={"message": "My first comment, edited."},
        headers={"Authorization": f"Bearer {first['edit_token']}"},
        timeout=10,
    )
    deleted = requests.delete(
        f"{local_stack.api}/api/comments/{second['id']}",
        headers={"Authorization": f"Bearer {second['edit_token']}"},
        timeout=10,
    )
    assert (edited.status_code, edited.json()["status"], deleted.status_code) == (200, "pending", 204)
    assert listing(local_stack, slug)["count"] == 1

    asked = requests.post(f"{local_stack.api}/api/me", data={"email": email}, timeout=10)
    assert asked.status_code == 200

    def link() -> str | None:
        messages = requests.get(f"{local_stack.api}/_dev/outbox", timeout=10).json()["messages"]
        found = [
            re.search(r"(http://\S+/api/me/data\?token=\S+)", m["text"]) for m in messages if m["to"] == email
        ]
        return next((match[1] for match in found if match), None)

    url = wait_until(link, "the link to my data")
    page = requests.get(url, timeout=10)
    assert page.status_code == 200
    assert "My first comment, edited." in page.text
    assert "My third comment, erased later." in page.text
    download = requests.post(url, data={"action": "download"}, timeout=10).json()
    assert sorted(c["id"] for c in download["comments"]) == sorted([first["id"], kept["id"]])

    erased = requests.post(url, data={"action": "erase_comments", "confirm": "yes"}, timeout=10)

    assert "Deleted 2 comments." in erased.text
    assert listing(local_stack, slug) == {
        "article_slug": slug,
        "count": 0,
        "comments": [],
        "next_cursor": None,
    }
