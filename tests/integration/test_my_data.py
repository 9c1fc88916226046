"""/api/me: a reader asks for their data by email, follows the link, downloads or erases it."""

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest
from freezegun import freeze_time

from parley import reader_tokens, settings, tokens
from parley.queue_messages import notification_message
from parley_cli.outbox import sent_messages
from tests import aws_calls
from tests.conftest import Invoke, load_event
from tests.helpers import body, json_post, list_request, valid_comment
from tests.integration.stack_driver import Parley, confirmed_subscribers, mail_to

READER = "reader@example.org"
SLUG = "professional-networking-strategies-2024"


class MyData:
    def __init__(self, function: Callable[[str], Invoke]) -> None:
        self.routes = function("ReaderDataFunction")
        self.list = function("ListCommentsFunction")

    def ask(self, email: str, source_ip: str = "203.0.113.10") -> dict[str, Any]:
        event = load_event("my_data_request")
        event["body"] = urlencode({"email": email})
        event["requestContext"]["http"]["sourceIp"] = source_ip
        return self.routes(event)

    def open(self, token: str) -> dict[str, Any]:
        return self.routes(_with_token(load_event("my_data_page"), token))

    def press(self, token: str, **fields: str) -> dict[str, Any]:
        event = _with_token(load_event("my_data_download"), token)
        event["body"] = urlencode(fields)
        return self.routes(event)

    def count(self) -> int:
        return int(body(self.list(list_request(f"article_slug={SLUG}")))["count"])


def _with_token(event: dict[str, Any], token: str, **query: str) -> dict[str, Any]:
    event["rawQueryString"] = urlencode({"token": token, **query})
    event["queryStringParameters"] = {"token": token, **query}
    return event


@pytest.fixture
def me(function: Callable[[str], Invoke]) -> MyData:
    return MyData(function)


def link_token(address: str) -> str:
    [message] = [m for m in mail_to(address) if "/api/me/data" in m["text"]]
    found = re.search(r"/api/me/data\?\S*?token=([^\s\"<>&]+)", message["text"])
    assert found
    return found[1]


def data_requests(app: Parley) -> list[Any]:
    """The data requests on the queue (which is left as it was: every message visible again)."""
    queue_url, client = app.references["NotificationQueue"], boto3.client("sqs")
    seen: list[Any] = []
    while batch := client.receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=60
    ).get("Messages", []):
        seen += batch
    for message in seen:
        client.change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    parsed = [notification_message.validate_json(message["Body"]) for message in seen]
    return [m for m in parsed if m.kind == "data_request"]


def test_the_form_is_a_page_with_an_email_field(me: MyData) -> None:
    page = me.routes(load_event("my_data_form"))

    assert page["statusCode"] == 200
    assert page["headers"]["Content-Type"].startswith("text/html")
    assert 'method="post" action="/api/me"' in page["body"]
    assert 'name="email" type="email"' in page["body"]


def test_a_german_request_gets_german_pages_and_a_german_email(app: Parley, me: MyData) -> None:
    """`?lang=de` on the form carries into its hidden field, the queued request, the email and the
    link, whose page and buttons then speak German too."""
    app.post(READER)
    form = load_event("my_data_form")
    form["rawQueryString"], form["queryStringParameters"] = "lang=de", {"lang": "de"}
    asked = load_event("my_data_request")
    asked["body"] = urlencode({"email": READER, "lang": "de"})

    form_page = me.routes(form)["body"]
    answer = me.routes(asked)
    app.send()
    [email] = [m for m in mail_to(READER) if "/api/me/data" in m["text"]]
    link = re.search(r"https?://\S+/api/me/data\?\S+", email["text"])
    assert link
    page = me.routes(_with_token(load_event("my_data_page"), link_token(READER), lang="de"))

    assert '<html lang="de">' in form_page
    assert 'name="lang" value="de"' in form_page
    assert "Link per E-Mail senden" in unescape(form_page)
    assert answer["statusCode"] == 200
    assert "Sehen Sie in Ihrem Posteingang nach" in unescape(answer["body"])
    assert email["subject"] == "Ihre Kommentare und Abonnements"
    assert "Öffnen Sie diesen Link innerhalb einer Stunde" in email["text"]
    assert "lang=de" in link[0]
    text = unescape(page["body"])
    assert '<html lang="de">' in text
    assert "· ausstehend ·" in text
    assert "Als JSON herunterladen" in text
    assert "Alle meine Kommentare löschen (1)" in text


def test_an_unknown_language_is_refused_naming_the_field(me: MyData) -> None:
    event = load_event("my_data_request")
    event["body"] = urlencode({"email": READER, "lang": "xx"})

    answer = me.routes(event)

    assert answer["statusCode"] == 422
    assert "lang" in answer["body"]


def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_work(app: Parley, me: MyData) -> None:
    """No enumeration: the same status and body, and the same path (one message queued, which the
    sender resolves later) whether or not anything is stored; only the stored address gets mail."""
    app.post(READER)

    me.ask("warm@example.org")  # the first request reads the signing secret, cached from then on
    start = len(aws_calls.recorded)
    known = me.ask(READER)
    middle = len(aws_calls.recorded)
    unknown = me.ask("nobody@example.org")
    calls = [(call.service, call.operation) for call in aws_calls.recorded[start:]]

    assert calls[: middle - start] == calls[middle - start :]  # the same AWS calls, in the same order
    assert known["statusCode"] == unknown["statusCode"] == 200
    assert known["body"] == unknown["body"]
    assert known["headers"] == unknown["headers"]
    assert sorted(m.to for m in data_requests(app)) == ["nobody@example.org", READER, "warm@example.org"]
    app.send()
    assert len([m for m in mail_to(READER) if "/api/me/data" in m["text"]]) == 1
    assert mail_to("nobody@example.org") == []


def test_requests_are_limited_per_email_and_per_client_address(
    app: Parley, monkeypatch: pytest.MonkeyPatch, function: Callable[[str], Invoke]
) -> None:
    monkeypatch.setenv("DATA_REQUESTS_PER_HOUR", "2")
    settings.get_settings.cache_clear()
    limited = MyData(function)  # loaded with the lower limit

    per_email = [limited.ask(READER, source_ip=f"198.51.100.{n}")["statusCode"] for n in range(3)]
    per_address = [limited.ask(f"r{n}@example.org", source_ip="203.0.113.77")["statusCode"] for n in range(3)]

    assert per_email == [200, 200, 429]
    assert per_address == [200, 200, 429]
    assert len(data_requests(app)) == 4


def test_the_link_lists_everything_of_that_address_and_nothing_of_others(app: Parley, me: MyData) -> None:
    pending = app.post(READER)
    approved = app.post(READER.upper().replace("EXAMPLE.ORG", "example.org"))
    app.approve(approved)
    spam = app.moderate({"action": "spam", "comment_id": app.post(READER), "moderator": "tests"})["comment"][
        "id"
    ]
    someone_else = app.post("other@example.org")
    confirmed_subscribers(app, READER)
    me.ask(READER)
    app.send()

    page = me.open(link_token(READER))

    assert page["statusCode"] == 200
    assert page["headers"]["Cache-Control"] == "no-store"
    text = unescape(page["body"])
    for status in ("pending", "approved", "spam"):
        assert f"· {status} ·" in text
    assert text.count("<article>") == 4  # three comments, and the subscriber's own (it posted to subscribe)
    assert SLUG in text
    assert "confirmed" in text
    stored = {
        app.moderate({"action": "get", "comment_id": i})["comment"]["message"]
        for i in (pending, approved, spam)
    }
    assert all(message in text for message in stored)
    assert app.moderate({"action": "get", "comment_id": someone_else})["comment"]["message"] not in text
    assert READER not in text  # the page never shows the address


def test_download_is_a_json_document_of_comments_and_subscriptions(app: Parley, me: MyData) -> None:
    comment_id = app.post(READER)
    confirmed_subscribers(app, READER)
    me.ask(READER)
    app.send()

    download = me.press(link_token(READER), action="download")

    assert download["statusCode"] == 200
    assert download["headers"]["Content-Disposition"].startswith("attachment")
    exported = json.loads(download["body"])
    assert comment_id in [c["id"] for c in exported["comments"]]
    assert {c["email"] for c in exported["comments"]} == {READER}
    assert [(s["article_slug"], s["status"]) for s in exported["subscriptions"]] == [(SLUG, "confirmed")]


def test_erasing_needs_confirming_then_the_comments_are_gone_and_counts_are_exact(
    app: Parley, me: MyData
) -> None:
    top = app.post(READER)
    app.approve(top)
    reply = app.post("replier@example.org", parent_id=top)
    app.approve(reply)
    lone = app.post(READER)
    app.approve(lone)
    waiting = app.post(READER)
    me.ask(READER)
    app.send()
    token = link_token(READER)
    assert me.count() == 3

    unconfirmed = me.press(token, action="erase_comments")
    assert "tick the box" in unconfirmed["body"]
    assert me.count() == 3

    erased = me.press(token, action="erase_comments", confirm="yes")

    assert "Deleted 3 comments." in erased["body"]
    assert me.count() == 1
    listed = body(me.list(list_request(f"article_slug={SLUG}")))["comments"]
    assert [(c["id"], c.get("removed")) for c in listed] == [(top, True)]
    assert [r["id"] for r in listed[0]["replies"]] == [reply]
    for comment_id in (lone, waiting):
        assert app.moderate({"action": "get", "comment_id": comment_id})["error"]["code"] == "not_found"
    assert "No comments." in me.open(token)["body"]


def test_ending_subscriptions_stops_follow_ups(app: Parley, me: MyData) -> None:
    confirmed_subscribers(app, READER)
    me.ask(READER)
    app.send()
    token = link_token(READER)

    ended = me.press(token, action="end_subscriptions", confirm="yes")
    app.approve(app.post("writer@example.org"))
    app.send(2)

    assert "Ended 1 subscription." in ended["body"]
    assert [m for m in mail_to(READER) if m["subject"].startswith("New comment")] == []
    assert "No subscriptions." in me.open(token)["body"]


def test_the_link_is_scoped_and_expires_after_an_hour(app: Parley, me: MyData) -> None:
    comment_id = app.post(READER)
    secret = tokens.signing_secret()
    key = reader_tokens.reader_key(READER)
    with freeze_time(datetime.now(UTC) - timedelta(hours=1, minutes=1)):
        old = reader_tokens.sign_my_data(secret, key)
    edit_token = reader_tokens.sign_edit(secret, comment_id)
    fresh = reader_tokens.sign_my_data(secret, key)
    forged = fresh[:-4] + ("AAAA" if not fresh.endswith("AAAA") else "BBBB")

    assert me.open(old)["statusCode"] == 410
    assert me.press(old, action="erase_comments", confirm="yes")["statusCode"] == 410
    for refused in (edit_token, forged, ""):
        assert me.open(refused)["statusCode"] == 403
        assert me.press(refused, action="erase_comments", confirm="yes")["statusCode"] == 403
    assert app.moderate({"action": "get", "comment_id": comment_id})["comment"]["status"] == "pending"


def test_no_log_line_carries_a_token_or_the_address(
    app: Parley, me: MyData, function: Callable[[str], Invoke], caplog: pytest.LogCaptureFixture
) -> None:
    submit = function("SubmitCommentFunction")
    caplog.clear()
    accepted = body(submit(json_post(valid_comment(email=READER))))
    me.ask(READER)
    app.send()
    token = link_token(READER)
    me.open(token)
    me.press(token, action="download")
    edit = load_event("edit_comment")
    edit["pathParameters"] = {"comment_id": accepted["id"]}
    edit["rawPath"] = f"/api/comments/{accepted['id']}"
    edit["headers"]["authorization"] = f"Bearer {accepted['edit_token']}"
    assert me.routes(edit)["statusCode"] == 200

    logged = " ".join(str(record.__dict__) for record in caplog.records)
    assert "comment edited by its author" in logged
    assert accepted["edit_token"] not in logged
    assert token not in logged
    assert READER not in logged
    assert all(token not in m["text"] for m in sent_messages() if m["to"] != READER)


def test_imported_history_is_found_under_its_address_too(app: Parley, me: MyData) -> None:
    """An import files comments and subscriptions under this stack's keyed hash of the address, so a
    reader who moved with the site can see and erase their old comments."""
    old = {
        "id": "0" * 31 + "1",
        "article_slug": SLUG,
        "name": "Reader",
        "email": READER,
        "message": "Written on the old comment system, years ago.",
        "status": "approved",
        "created_at": "2019-03-01T10:00:00Z",
        "was_approved": True,
        "reader_key": "a key made under another stack's secret",
    }
    subscription = {
        "article_slug": SLUG,
        "email": READER,
        "status": "confirmed",
        "created_at": "2019-03-01T10:00:00Z",
    }
    answer = app.moderate({"action": "import", "comments": [old], "subscriptions": [subscription]})
    assert answer["written"] == 1
    me.ask(READER)
    app.send()

    text = unescape(me.open(link_token(READER))["body"])

    assert "Written on the old comment system, years ago." in text
    assert text.count("<article>") == 1
    assert "End all my subscriptions (1)" in text
