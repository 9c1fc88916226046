"""Moderating from the alert email on the local stack: the outbox's links, their pages, the queue
page in a real browser (Debian's Chromium, JavaScript off), and a flood that stays two emails."""

import re
import uuid
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import expect, sync_playwright

from parley_cli.browser import CHROMIUM, MISSING_CHROMIUM, launch_chromium
from parley_cli.devprocess import RunningStack
from tests.e2e.checked_stack import stack_within_roles
from tests.e2e.test_emails import outbox, post, queue_counts, queue_is_empty, wait_for_mail
from tests.polling import wait_until

pytestmark = pytest.mark.e2e
MODERATOR = "moderators@example.com"  # the local stack's ModeratorEmail
LINK = re.compile(r"http://\S+/api/moderation/(approve|reject|spam|queue)\?token=\S+")


@pytest.fixture(scope="module")
def stack() -> Iterator[RunningStack]:
    """A stack of its own: the alert interval starts with its first comment."""
    with stack_within_roles(
        {
            "PARLEY_SCHEDULE_SECONDS": "0.5",
            "PARLEY_PARAMETER_OVERRIDES": "RateLimitPerMinute=10000 RateLimitPerHour=10000",
        }
    ) as running:
        yield running


def links(text: str) -> dict[str, str]:
    return {found[1]: found[0] for found in LINK.finditer(text)}


def alerts(stack: RunningStack) -> list[dict[str, str]]:
    return [m for m in outbox(stack) if m["to"] == MODERATOR]


def test_the_alert_approves_from_the_inbox_and_a_flood_stays_two_emails(stack: RunningStack) -> None:
    slug = f"inbox-{uuid.uuid4().hex[:10]}"
    first = post(stack, slug, "reader@example.org", "Reader")
    alert = wait_for_mail(stack, MODERATOR, "Comment awaiting review")
    approve = links(alert["text"])["approve"]

    page = requests.get(approve, timeout=10)
    listed = requests.get(f"{stack.api}/api/comments", params={"article_slug": slug}, timeout=10).json()
    assert page.status_code == 200
    assert "Approve this comment?" in page.text
    assert listed["comments"] == []
    assert '<form method="post">' in page.text  # no action: the browser posts to the link itself
    done = requests.post(approve, timeout=10)
    assert done.status_code == 200
    assert "approved by moderators@example.com" in done.text
    listed = requests.get(f"{stack.api}/api/comments", params={"article_slug": slug}, timeout=10).json()
    assert [c["id"] for c in listed["comments"]] == [first]

    for index in range(29):
        post(stack, slug, f"flood{index}@example.org", f"Flood {index}")
    wait_until(lambda: queue_is_empty_but_the_digest(stack), "the flood's alerts were not handled")

    assert len(alerts(stack)) == 1  # the digest waits for the interval's end (at most 2 emails)


def queue_is_empty_but_the_digest(stack: RunningStack) -> bool:
    """Every alert handled; one message (the digest) delayed until the alert interval ends."""
    return queue_is_empty(stack) and queue_counts(stack)["ApproximateNumberOfMessagesDelayed"] == "1"


def test_the_queue_page_works_in_a_browser_without_javascript(stack: RunningStack) -> None:
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM)
    slug = f"queue-{uuid.uuid4().hex[:10]}"
    post(stack, slug, "queued@example.org", "Queued Reader")
    # This comment's own alert, or (the interval still running) the earlier alert's queue link.
    queue_link = links(wait_for_mail(stack, MODERATOR, "Comment awaiting review")["text"])["queue"]

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_context(java_script_enabled=False).new_page()
        response = page.goto(queue_link)
        assert response is not None
        assert response.headers["referrer-policy"] == "no-referrer"
        expect(page.get_by_role("heading", name="Comments awaiting review")).to_be_visible()
        expect(page.locator("article").first).to_be_visible()
        for _ in range(5):  # twenty to a page, oldest first
            if page.get_by_text("No comment awaits review.").is_visible():
                break
            approve_all = page.get_by_role("button", name=re.compile(r"^Approve all \d+ on this page$"))
            if approve_all.count() == 0:
                page.get_by_role("button", name="Approve").first.click()
            else:
                approve_all.click()
            expect(page.get_by_role("status")).to_contain_text("done")
        expect(page.get_by_text("No comment awaits review.")).to_be_visible()
        browser.close()

    listed = requests.get(f"{stack.api}/api/comments", params={"article_slug": slug}, timeout=10).json()
    assert [c["name"] for c in listed["comments"]] == ["Queued Reader"]
