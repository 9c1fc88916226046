"""Follow-up emails on the local stack, as a reader meets them: the form, the outbox, the links."""

import html
import re
import uuid
from typing import Any
from urllib.parse import urljoin

import boto3
import pytest
import requests

from parley_cli.devprocess import RunningStack, invoke_function
from tests.e2e.checked_stack import stack_within_roles
from tests.polling import wait_until

pytestmark = pytest.mark.e2e
WAIT_SECONDS = 20


def outbox(stack: RunningStack) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = requests.get(f"{stack.api}/_dev/outbox", timeout=10).json()["messages"]
    return messages


def wait_for_mail(stack: RunningStack, to: str, subject_start: str) -> dict[str, Any]:
    def found() -> dict[str, Any] | None:
        mails = [m for m in outbox(stack) if m["to"] == to and m["subject"].startswith(subject_start)]
        return mails[-1] if mails else None

    return wait_until(found, f"no email {subject_start!r} to {to}", WAIT_SECONDS)


def queue_counts(stack: RunningStack) -> dict[str, str]:
    """The notification queue's approximate counts (waiting, in flight, delayed)."""
    sqs = boto3.client(
        "sqs",
        endpoint_url=stack.aws_endpoint,
        region_name="us-east-1",
        aws_access_key_id="parley-local",
        aws_secret_access_key="parley-local",
    )
    url = sqs.get_queue_url(QueueName="NotificationQueue")["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return {str(name): value for name, value in attributes.items()}


def queue_is_empty(stack: RunningStack) -> bool:
    """No message waiting or in flight (received, not yet deleted) on the notification queue. Delayed
    messages are left out: the only ones are moderators' digests, waiting for their alert interval."""
    counts = queue_counts(stack)
    return counts["ApproximateNumberOfMessages"] == counts["ApproximateNumberOfMessagesNotVisible"] == "0"


def subscribe(stack: RunningStack, slug: str, email: str, name: str) -> str:
    """Post with "notify me", open the confirmation email's link and press its button; returns the
    comment's id."""
    comment_id = post(stack, slug, email, name, notify=True)
    confirmation = wait_for_mail(stack, email, "Please confirm")
    [confirm_link] = re.findall(r"http://\S+/api/subscriptions/confirm\?token=\S+", confirmation["text"])
    confirmed = confirm_by_button(confirm_link)
    assert confirmed.status_code == 200
    assert "You are subscribed" in confirmed.text
    return comment_id


def post(
    stack: RunningStack, slug: str, email: str, name: str, notify: bool = False, parent_id: str = ""
) -> str:
    fields = {"article_slug": slug, "name": name, "email": email, "message": f"A comment by {name}."}
    if notify:
        fields["notifications"] = "1"
    if parent_id:
        fields["parent_id"] = parent_id
    response = requests.post(f"{stack.api}/api/comments", data=fields, allow_redirects=False, timeout=10)
    assert response.status_code == 303
    found = re.search(r"[?&]id=([0-9a-f]{32})", response.headers["Location"])
    assert found
    return found[1]


def approve(stack: RunningStack, comment_id: str) -> None:
    answer = invoke_function(
        stack, "ModerateFunction", {"action": "approve", "comment_id": comment_id, "moderator": "e2e"}
    )
    assert answer["comment"]["status"] == "approved"


def confirm_by_button(link: str) -> requests.Response:
    """What a reader does: open the link (a page with a button, nothing confirmed yet), press the button."""
    page = requests.get(link, timeout=10)
    assert page.status_code == 200, page.text
    assert "You are subscribed" not in page.text
    [action] = re.findall(r'<form method="post" action="([^"]+)"', page.text)
    return requests.post(urljoin(link, html.unescape(action)), timeout=10)


def test_links_in_emails_reach_the_api_that_took_the_request_wherever_the_site_is() -> None:
    """The site lives elsewhere (a static host that serves no /api/); links still reach this API."""
    site = "https://blog.example.net"
    overrides = {
        "PARLEY_SCHEDULE_SECONDS": "0.5",
        "PARLEY_PARAMETER_OVERRIDES": f"SiteUrl={site} AllowedOrigins={site}",
    }
    with stack_within_roles(overrides) as stack:
        slug = f"links-{uuid.uuid4().hex[:10]}"
        subscriber = f"sub-{uuid.uuid4().hex[:8]}@example.com"
        post(stack, slug, subscriber, "Subscriber", notify=True)
        confirmation = wait_for_mail(stack, subscriber, "Please confirm")
        [confirm_link] = re.findall(
            r"https?://\S+/api/subscriptions/confirm\?token=\S+", confirmation["text"]
        )
        assert confirm_link.startswith(f"{stack.api}/api/"), confirm_link
        assert "You are subscribed" in confirm_by_button(confirm_link).text

        approve(stack, post(stack, slug, f"other-{uuid.uuid4().hex[:8]}@example.com", "Other"))
        follow_up = wait_for_mail(stack, subscriber, "New comment by Other")
        unsubscribe_link = follow_up["headers"]["List-Unsubscribe"].strip("<>")
        assert unsubscribe_link.startswith(f"{stack.api}/api/subscriptions/unsubscribe?token="), (
            unsubscribe_link
        )
        assert f"{site}/articles/{slug}" in follow_up["text"]


def test_confirm_follow_up_and_one_click_unsubscribe(local_stack: RunningStack) -> None:
    slug = f"mail-{uuid.uuid4().hex[:10]}"
    subscriber = f"sub-{uuid.uuid4().hex[:8]}@example.com"
    witness = f"witness-{uuid.uuid4().hex[:8]}@example.com"  # stays subscribed throughout
    subscribe(local_stack, slug, subscriber, "Subscriber")
    subscribe(local_stack, slug, witness, "Witness")

    approve(local_stack, post(local_stack, slug, "other@example.com", "Other"))
    follow_up = wait_for_mail(local_stack, subscriber, "New comment by Other")
    assert follow_up["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_link = follow_up["headers"]["List-Unsubscribe"].strip("<>")
    one_click = requests.post(
        unsubscribe_link,
        data={"List-Unsubscribe": "One-Click"},
        timeout=10,
    )
    assert one_click.status_code == 200
    assert "You are unsubscribed" in one_click.text

    approve(local_stack, post(local_stack, slug, "third@example.com", "Third"))
    # The sender has handled the approval: the witness got its follow-up, and nothing of it is left
    # on the queue (waiting, in flight or delayed) that could still reach the unsubscribed reader.
    wait_for_mail(local_stack, witness, "New comment by Third")
    wait_until(lambda: queue_is_empty(local_stack), "the notification queue never emptied")
    assert [m["subject"] for m in outbox(local_stack) if m["to"] == subscriber] == [
        "Please confirm: follow-up comments by email",
        "New comment by Other",
    ]


def test_a_reply_emails_the_author_it_answers_once(local_stack: RunningStack) -> None:
    slug = f"reply-{uuid.uuid4().hex[:10]}"
    ada = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    ada_comment = subscribe(local_stack, slug, ada, "Ada")
    approve(local_stack, ada_comment)

    approve(
        local_stack,
        post(local_stack, slug, f"bob-{uuid.uuid4().hex[:8]}@example.com", "Bob", parent_id=ada_comment),
    )

    replied = wait_for_mail(local_stack, ada, "Bob replied to your comment")
    assert "A comment by Ada." in replied["text"]
    assert "A comment by Bob." in replied["text"]
    wait_until(lambda: queue_is_empty(local_stack), "the notification queue never emptied")
    assert [m["subject"] for m in outbox(local_stack) if m["to"] == ada] == [
        "Please confirm: follow-up comments by email",
        "Bob replied to your comment",
    ]


def test_the_outbox_is_a_page_too(local_stack: RunningStack) -> None:
    page = requests.get(f"{local_stack.api}/_dev/outbox", headers={"Accept": "text/html"}, timeout=10)

    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert "<h1>Outbox" in page.text
