"""Moderating from the alert email: the links, their pages and buttons, the queue page, and digests.

The link function invokes ModerateFunction through the Lambda Invoke API; moto's Lambda cannot run
our code, so the conftest answers an Invoke with the template's function itself (route_invocations).
"""

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any
from urllib.parse import quote

import pytest
from freezegun import freeze_time

from parley import moderator_tokens, settings, tokens
from parley_cli.outbox import sent_messages
from tests.conftest import MODERATOR_EMAIL, Invoke, load_event
from tests.helpers import body, json_post, list_request, valid_comment
from tests.integration.stack_driver import Parley

SLUG = "professional-networking-strategies-2024"
LINK = re.compile(r"https://[^\s\"<>]+/api/moderation/(approve|reject|spam|queue)\?token=([^\s\"<>&]+)")


class Moderator:
    """A moderator's browser: opens links (GET), presses buttons (POST)."""

    def __init__(self, function: Callable[[str], Invoke]) -> None:
        self.links = function("ModerationLinksFunction")

    def open(
        self, action: str, token: str, method: str = "GET", form: str = "", **query: str
    ) -> dict[str, Any]:
        event = load_event(f"moderation_{action}" + ("_page" if method == "GET" else ""))
        parameters = {"token": token, **query}
        event["rawQueryString"] = "&".join(f"{name}={value}" for name, value in parameters.items())
        event["queryStringParameters"] = parameters
        event["requestContext"]["http"]["sourceIp"] = "198.51.100.7"
        if method == "POST":
            event["body"] = form
        return self.links(event)

    def press(self, action: str, token: str, form: str = "") -> dict[str, Any]:
        return self.open(action, token, "POST", form)


@pytest.fixture
def moderator(function: Callable[[str], Invoke]) -> Moderator:
    return Moderator(function)


def links_in(message: dict[str, Any]) -> list[tuple[str, str]]:
    return [(action, token) for action, token in LINK.findall(message["text"])]


def alerts() -> list[dict[str, Any]]:
    return [m for m in sent_messages() if m["to"] == MODERATOR_EMAIL]


def status_of(app: Parley, comment_id: str) -> dict[str, Any]:
    answer: dict[str, Any] = app.moderate({"action": "get", "comment_id": comment_id})["comment"]
    return answer


def test_the_alert_carries_links_get_changes_nothing_and_the_button_approves_once(
    app: Parley, moderator: Moderator, function: Callable[[str], Invoke]
) -> None:
    comment_id = app.post("reader@example.org")
    app.send()

    [alert] = alerts()
    found = dict(links_in(alert))
    assert set(found) == {"approve", "reject", "spam", "queue"}
    page = moderator.open("approve", found["approve"])
    assert page["statusCode"] == 200
    assert "Approve this comment?" in page["body"]
    assert '<form method="post"' in page["body"]
    assert status_of(app, comment_id)["status"] == "pending"

    done = moderator.press("approve", found["approve"])
    again = moderator.press("approve", found["approve"])

    shown = status_of(app, comment_id)
    assert done["statusCode"] == again["statusCode"] == 200
    assert "is approved by moderators@example.com" in unescape(again["body"])
    assert shown["status"] == "approved"
    assert shown["moderated_by"] == MODERATOR_EMAIL
    public = body(function("ListCommentsFunction")(list_request(f"article_slug={SLUG}")))["comments"]
    assert [c["id"] for c in public] == [comment_id]


def test_a_link_works_for_its_comment_and_action_only(app: Parley, moderator: Moderator) -> None:
    first, second = app.post("a@example.org"), app.post("b@example.org")
    secret = tokens.signing_secret()
    approve_first = moderator_tokens.sign_action(
        secret, moderator_tokens.ActionGrant("approve", first, MODERATOR_EMAIL)
    )

    assert moderator.press("reject", approve_first)["statusCode"] == 403
    assert moderator.press("spam", approve_first)["statusCode"] == 403
    assert moderator.open("queue", approve_first)["statusCode"] == 403
    forged = approve_first[:-4] + ("AAAA" if not approve_first.endswith("AAAA") else "BBBB")
    assert moderator.press("approve", forged)["statusCode"] == 403
    assert status_of(app, first)["status"] == status_of(app, second)["status"] == "pending"


def test_an_expired_link_is_gone_and_changes_nothing(app: Parley, moderator: Moderator) -> None:
    comment_id = app.post("a@example.org")
    days = settings.get_settings().moderation_link_days
    with freeze_time(datetime.now(UTC) - timedelta(days=days, minutes=1)):
        token = moderator_tokens.sign_action(
            tokens.signing_secret(), moderator_tokens.ActionGrant("approve", comment_id, MODERATOR_EMAIL)
        )
        queue = moderator_tokens.sign_queue(
            tokens.signing_secret(), moderator_tokens.QueueGrant(MODERATOR_EMAIL)
        )

    refused = moderator.press("approve", token)

    assert refused["statusCode"] == 410
    assert "expired" in refused["body"]
    assert moderator.open("queue", queue)["statusCode"] == 410
    assert status_of(app, comment_id)["status"] == "pending"


def action_token(action: str, comment_id: str, to: str = MODERATOR_EMAIL) -> str:
    grant = moderator_tokens.ActionGrant(action, comment_id, to)  # type: ignore[arg-type]
    return moderator_tokens.sign_action(tokens.signing_secret(), grant)


def test_a_stale_link_says_what_happened_since(app: Parley, moderator: Moderator) -> None:
    comment_id = app.post("a@example.org")
    app.moderate({"action": "reject", "comment_id": comment_id, "moderator": "alice"})

    spam_page = moderator.open("spam", action_token("spam", comment_id))
    reject_page = moderator.press("reject", action_token("reject", comment_id))
    approve_page = moderator.open("approve", action_token("approve", comment_id))

    assert "rejected by alice" in spam_page["body"]
    assert "<form" not in spam_page["body"]
    assert "is rejected by alice" in reject_page["body"]
    assert "rejected by alice after this email was sent" in approve_page["body"]
    assert status_of(app, comment_id)["moderated_by"] == "alice"


def test_a_reply_is_shown_with_the_comment_it_answers(app: Parley, moderator: Moderator) -> None:
    parent = app.post("a@example.org", name="Ada")
    app.approve(parent)
    reply = app.post("b@example.org", name="Bob", parent_id=parent)

    page = moderator.open("approve", action_token("approve", reply))

    assert "In reply to <strong>Ada</strong>" in page["body"]


def queue_token() -> str:
    return moderator_tokens.sign_queue(tokens.signing_secret(), moderator_tokens.QueueGrant(MODERATOR_EMAIL))


def test_the_queue_page_lists_oldest_first_pages_and_acts(app: Parley, moderator: Moderator) -> None:
    posted = [app.post(f"r{index}@example.org") for index in range(23)]
    token = queue_token()

    first = moderator.open("queue", token)
    ids = re.findall(r'<article id="comment-([0-9a-f]{32})"', first["body"])
    [cursor] = re.findall(r'name="cursor" value="([^"]+)"', first["body"])
    following = moderator.press("queue", token, f"action=page&cursor={quote(unescape(cursor))}")
    rest = re.findall(r'<article id="comment-([0-9a-f]{32})"', following["body"])

    assert ids + rest == posted
    headers = first["headers"]
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in headers["X-Robots-Tag"]
    assert "script-src" not in headers["Content-Security-Policy"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "<script" not in first["body"]

    moderator.press("queue", token, f"action=spam&comment_id={posted[0]}")
    after = moderator.press("queue", token, "action=approve_all&ids=" + ",".join(ids[1:]))

    assert "Approve: 19 done" in after["body"]
    assert status_of(app, posted[0])["status"] == "spam"
    assert {status_of(app, i)["status"] for i in posted[1:20]} == {"approved"}
    assert re.findall(r'<article id="comment-([0-9a-f]{32})"', after["body"]) == posted[20:]


def test_a_flood_reaches_the_moderator_as_one_alert_then_one_digest(
    app: Parley, moderator: Moderator
) -> None:
    """30 submissions in a minute: the first alert at once, the other 29 in one digest when the
    interval ends (SQS delays the digest's message; freezegun moves moto's clock too, not the
    Lambda context's, which times the sender's run)."""
    start = datetime.now(UTC)
    with freeze_time(start, tick=True, ignore=["parley_cli.runtime"]) as clock:
        posted = [app.post(f"flood{index}@example.org") for index in range(30)]
        app.submit(_spam_post())
        app.send()
        assert len(alerts()) == 1
        # well past the interval, however long the 31 posts took on a loaded machine
        clock.move_to(start + 2 * timedelta(minutes=settings.get_settings().alert_interval_minutes))
        app.send()
        app.send()
        first, digest = alerts()
        listed = [token for action, token in links_in(digest) if action == "approve"]
        assert moderator.press("approve", listed[0])["statusCode"] == 200

    assert digest["subject"] == "29 comments await review"
    assert len(listed) == 20
    assert "9 more are on the queue page" in digest["text"]
    assert "1 held as spam" in digest["text"]
    assert status_of(app, posted[1])["status"] == "approved"
    assert "queue" in dict(links_in(digest))
    assert posted[0] in first["text"]


def _spam_post() -> dict[str, Any]:
    return json_post(valid_comment(email="bot@example.org", homepage="http://buy.example"))


def test_each_moderator_gets_links_carrying_their_own_address(
    function: Callable[[str], Invoke], aws: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODERATOR_EMAIL", "ann@example.org, bo@example.org")
    monkeypatch.setenv("NOTIFICATION_RETRY_SECONDS", "0")
    settings.get_settings.cache_clear()
    app, moderator = Parley(function, aws), Moderator(function)
    comment_id = app.post("reader@example.org")
    app.send()

    for address in ("ann@example.org", "bo@example.org"):
        [alert] = [m for m in sent_messages() if m["to"] == address]
        token = dict(links_in(alert))["reject"]
        assert (
            moderator_tokens.verify_action(
                tokens.signing_secret(), "reject", token, settings.get_settings()
            ).moderator
            == address
        )
    moderator.press("reject", dict(links_in(alert))["reject"])
    assert status_of(app, comment_id)["moderated_by"] == "bo@example.org"


def test_the_link_routes_are_rate_limited_per_address(
    app: Parley, monkeypatch: pytest.MonkeyPatch, function: Callable[[str], Invoke]
) -> None:
    monkeypatch.setenv("LINK_REQUESTS_PER_MINUTE", "3")
    settings.get_settings.cache_clear()
    limited = Moderator(function)  # loaded with the lower limit
    token = action_token("approve", app.post("a@example.org"))

    answers = [limited.open("approve", token)["statusCode"] for _ in range(4)]
    other_address = load_event("moderation_approve_page")
    other_address["queryStringParameters"] = {"token": token}
    other_address["requestContext"]["http"]["sourceIp"] = "203.0.113.99"

    assert answers == [200, 200, 200, 429]
    assert limited.links(other_address)["statusCode"] == 200


def test_no_page_or_log_line_shows_a_token_in_full(
    app: Parley, moderator: Moderator, caplog: pytest.LogCaptureFixture
) -> None:
    comment_id = app.post("a@example.org")
    approve, queue = action_token("approve", comment_id), queue_token()
    caplog.clear()

    pages = [
        moderator.open("approve", approve),
        moderator.press("approve", approve),
        moderator.open("queue", queue),
        moderator.press("queue", queue, f"action=reject&comment_id={comment_id}"),
    ]

    logged = " ".join(str(record.__dict__) for record in caplog.records)
    assert "moderation link" in logged  # the link function does log its requests, token cut short
    for token in (approve, queue):
        assert token[:8] in logged
        assert token not in logged
        assert all(token not in page["body"] for page in pages)
