"""Hostile input, through the handlers as API Gateway would deliver it.

Every case gets a 4xx, or is accepted and stored and shown safely; none gets a 5xx. Accepted
comments are approved and listed, and what the list returns must carry no live markup.
"""

import base64
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest

from tests.conftest import Invoke, load_event
from tests.helpers import body, count_request, form_post, json_post, list_request, valid_comment

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "javascript:alert(document.cookie)",
    "<a href='javascript:alert(1)'>click</a>",
    "{{constructor.constructor('alert(1)')()}}",
]
FIELDS = ["name", "email", "website", "message", "article_slug", "article_category", "parent_id"]


class LiveMarkup(HTMLParser):
    """Collects what a browser would treat as markup beyond p, br and plain http(s) links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed: dict[str, set[str]] = {"p": set(), "br": set(), "a": {"href", "rel"}}
        if tag not in allowed or any(name not in allowed[tag] for name, _ in attrs):
            self.found.append(f"<{tag} {attrs}>")
        href = dict(attrs).get("href")
        if href is not None and not re.match(r"https?://", href):
            self.found.append(f"href={href}")


def live_markup(html: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(html)
    return parser.found


def comment_with(field: str, value: Any) -> dict[str, Any]:
    padding = " and some more words" if field == "message" else ""
    return valid_comment(**{field: value if not isinstance(value, str) else value + padding})


CASES: list[tuple[str, Callable[[], dict[str, Any]]]] = [
    *[
        (f"xss-{field}-{index}", lambda f=field, v=payload: json_post(comment_with(f, v)))
        for field in FIELDS
        for index, payload in enumerate(XSS[:2])
    ],
    *[
        (f"xss-more-message-{index}", lambda v=payload: json_post(comment_with("message", v)))
        for index, payload in enumerate(XSS[2:])
    ],
    ("huge-json", lambda: json_post(valid_comment(message="x" * 70_000))),
    ("deeply-nested-json", lambda: json_post("[" * 5000 + "]" * 5000)),
    ("nested-object-in-field", lambda: json_post(valid_comment(name={"a": {"b": {"c": [1, 2, 3]}}}))),
    (
        "many-extra-fields",
        lambda: json_post({**valid_comment(), **{f"field{i}": "x" * 50 for i in range(500)}}),
    ),
    (
        "invalid-utf8",
        lambda: {
            **json_post(""),
            "body": base64.b64encode(b'{"name": "\xc3\x28"}').decode(),
            "isBase64Encoded": True,
        },
    ),
    (
        "overlong-utf8",
        lambda: {
            **json_post(""),
            "body": base64.b64encode(b'{"name": "\xc0\xaf"}').decode(),
            "isBase64Encoded": True,
        },
    ),
    (
        "lone-surrogate",
        lambda: json_post(
            '{"article_slug": "a", "name": "x\\ud800", "email": "a@b.co", "message": "long enough text"}'
        ),
    ),
    ("number-as-name", lambda: json_post(valid_comment(name=12345))),
    ("array-as-message", lambda: json_post(valid_comment(message=["a thoughtful", "comment"]))),
    ("bool-as-email", lambda: json_post(valid_comment(email=True))),
    ("null-slug", lambda: json_post(valid_comment(article_slug=None))),
    ("string-as-notifications", lambda: json_post(valid_comment(notifications="definitely"))),
    ("null-byte-name", lambda: json_post(valid_comment(name="Ada\x00Lovelace"))),
    ("null-byte-message", lambda: json_post(valid_comment(message="hello\x00world, a longer message"))),
    ("bidi-override-name", lambda: json_post(valid_comment(name="evil\u202egnp.exe"))),
    (
        "bidi-isolate-message",
        lambda: json_post(valid_comment(message="looks fine \u2067but is not\u2069 at all")),
    ),
    ("zero-width-name", lambda: json_post(valid_comment(name="Ad\u200ba\u2060"))),
    ("only-zero-width-name", lambda: json_post(valid_comment(name="\u200b\u200b"))),
    ("confusable-name", lambda: json_post(valid_comment(name="\u0410dmin"))),  # a Cyrillic capital A
    ("sql-in-message", lambda: json_post(valid_comment(message="'; DROP TABLE comments; -- and more text"))),
    (
        "dynamodb-expression-in-name",
        lambda: json_post(valid_comment(name="attribute_exists(PK) OR #status = :x")),
    ),
    ("sql-in-slug", lambda: json_post(valid_comment(article_slug="a' OR '1'='1"))),
    ("path-traversal-slug", lambda: json_post(valid_comment(article_slug="../../etc/passwd"))),
    ("oversized-slug", lambda: json_post(valid_comment(article_slug="a" * 10_000))),
    ("crlf-name", lambda: json_post(valid_comment(name="Ada\r\nBcc: everyone@example.com"))),
    ("crlf-email", lambda: json_post(valid_comment(email="ada@example.com\r\nBcc: x@example.com"))),
    ("crlf-website", lambda: json_post(valid_comment(website="https://a.example/\r\nSet-Cookie: x=1"))),
    ("crlf-category", lambda: json_post(valid_comment(article_category="news\r\nX-Injected: 1"))),
    ("unicode-line-separator-name", lambda: json_post(valid_comment(name="Ada\u2028Bcc: x"))),
    (
        "crlf-referer",
        lambda: form_post(
            valid_comment(), referer="https://blog.example.com/a\r\nLocation: https://evil.example"
        ),
    ),
    ("quoted-local-part-email", lambda: json_post(valid_comment(email='"a b"@example.com'))),
    ("very-long-email", lambda: json_post(valid_comment(email="a" * 300 + "@example.com"))),
    ("control-in-user-agent", lambda: _with_user_agent("Mozilla\r\nX-Evil: 1\x00")),
    (
        "form-with-repeated-fields",
        lambda: {**form_post(valid_comment()), "body": "name=a&name=b&" + form_post(valid_comment())["body"]},
    ),
    ("list-forged-cursor", lambda: list_request("article_slug=a&cursor=eyJzIjoicGVuZGluZyIsImsiOiIuLi8ifQ")),
    ("list-negative-limit", lambda: list_request("article_slug=a&limit=-1")),
    ("list-huge-limit", lambda: list_request("article_slug=a&limit=99999999999999999999")),
    ("list-traversal-slug", lambda: list_request("article_slug=..%2F..%2Fetc")),
    ("list-xss-order", lambda: list_request("article_slug=a&order=%3Cscript%3E")),
    ("count-sql-slug", lambda: count_request(["a' OR 1=1 --"])),
    ("count-too-many-slugs", lambda: count_request([f"s{i}" for i in range(500)])),
]


def _with_user_agent(agent: str) -> dict[str, Any]:
    event = json_post(valid_comment())
    event["requestContext"]["http"]["userAgent"] = agent
    event["headers"]["user-agent"] = agent
    return event


@pytest.fixture
def handlers(function: Callable[[str], Invoke]) -> dict[str, Invoke]:
    return {
        "POST /api/comments": function("SubmitCommentFunction"),
        "GET /api/comments": function("ListCommentsFunction"),
        "GET /api/comments/count": function("ListCommentsFunction"),
        "moderate": function("ModerateFunction"),
    }


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(("name", "build"), CASES, ids=[name for name, _ in CASES])
def test_hostile_input_gets_a_4xx_or_is_stored_safely(
    handlers: dict[str, Invoke], name: str, build: Callable[[], dict[str, Any]]
) -> None:
    event = build()
    response = handlers[event["routeKey"]](event)

    assert response["statusCode"] < 500, response
    assert "Traceback" not in response.get("body", "")
    location = response.get("headers", {}).get("Location", "")
    assert "\r" not in location
    assert "\n" not in location
    if response["statusCode"] >= 400:
        assert body(response)["error"]["code"]
        return
    if "comment=invalid" in location:
        return
    if event["routeKey"] != "POST /api/comments":
        return
    comment_id = (
        body(response)["id"]
        if response["statusCode"] == 202
        else re.findall(r"id=([0-9a-f]{32})", location)[0]
    )
    stored = handlers["moderate"]({"action": "get", "comment_id": comment_id})["comment"]
    for field in ("name", "email", "website", "article_category", "user_agent"):
        value = stored.get(field) or ""
        assert not re.search(r"[\x00-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]", value), (field, value)
    handlers["moderate"]({"action": "approve", "comment_id": comment_id, "moderator": "tests"})
    listed = handlers["GET /api/comments"](list_request(f"article_slug={stored['article_slug']}"))
    [shown] = [c for c in body(listed)["comments"] if c["id"] == comment_id]
    assert live_markup(shown["message_html"]) == [], shown["message_html"]
    assert "email" not in shown


def test_forged_and_altered_subscription_tokens_are_refused(function: Callable[[str], Invoke]) -> None:
    subscriptions = function("SubscriptionsFunction")
    for token in ["", "x", "a.b.c", "WyJhIiwiYiJd.forged.signature", "%00", "<script>alert(1)</script>"]:
        event = load_event("subscriptions_confirm")
        event["queryStringParameters"] = {"token": token}
        event["rawQueryString"] = f"token={token}"
        page = subscriptions(event)
        assert page["statusCode"] == 400
        assert "<script>alert" not in page["body"]


MODERATION_EVENTS = [
    f"moderation_{action}{suffix}"
    for action in ("approve", "reject", "spam", "queue")
    for suffix in ("", "_page")
]
HOSTILE_TOKENS = [
    "",
    "x",
    "a.b.c",
    "WyJhIiwiYiJd.forged.signature",
    "%00",
    "<script>alert(1)</script>",
    "A" * 2000,
]
HOSTILE_FORMS = [
    "action=approve&comment_id=../../etc/passwd",
    "action=approve_all&ids=" + ",".join(["<script>"] * 500),
    "action=delete&comment_id=0123456789abcdef0123456789abcdef",
    "action=%ff%fe&comment_id=%00",
    "a=" + "b" * 60_000,
]


@pytest.mark.parametrize("name", MODERATION_EVENTS)
def test_forged_moderation_tokens_are_refused_and_never_echoed(
    function: Callable[[str], Invoke], name: str
) -> None:
    links = function("ModerationLinksFunction")
    for token in HOSTILE_TOKENS:
        event = load_event(name)
        event["queryStringParameters"] = {"token": token}
        event["rawQueryString"] = f"token={token}"
        page = links(event)
        assert page["statusCode"] == 403, (token, page)
        assert "<script>alert" not in page["body"]
        assert token[:40] not in page["body"] or len(token) < 6


def test_hostile_queue_forms_change_nothing_and_get_no_5xx(function: Callable[[str], Invoke]) -> None:
    """A valid queue token with forms no page would send: unknown actions, ids that are not ids."""
    from parley import moderator_tokens, tokens

    links = function("ModerationLinksFunction")
    token = moderator_tokens.sign_queue(tokens.signing_secret(), moderator_tokens.QueueGrant("m@example.org"))
    for form in HOSTILE_FORMS:
        event = load_event("moderation_queue")
        event["queryStringParameters"] = {"token": token}
        event["rawQueryString"] = f"token={token}"
        event["body"] = form
        page = links(event)
        assert page["statusCode"] < 500, (form, page)
        assert "<script>" not in page["body"]
        assert " done" not in page["body"] or ": 0 done" in page["body"]


HOSTILE_BEARERS = [
    None,
    "",
    "Bearer",
    "Bearer ",
    "Basic dXNlcjpwYXNz",
    "Bearer x",
    "Bearer a.b.c",
    "Bearer WyIwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZiJd.forged.signature",
    "Bearer <script>alert(1)</script>",
    "Bearer " + "A" * 2000,
    "Bearer \x00\r\nX-Injected: 1",
]
HOSTILE_COMMENT_IDS = ["../../etc/passwd", "x" * 500, "%00", "<script>", "0123456789ABCDEF0123456789ABCDEF"]
HOSTILE_EDITS = [
    '{"message": "short"}',
    '{"message": ["a", "list"]}',
    '{"message": null}',
    '{"message": "' + "x" * 70_000 + '"}',
    "[" * 5000 + "]" * 5000,
    '{"message": "a long enough message \\u202e reversed"}',
    "not json at all",
]


def _own_comment_event(
    name: str, comment_id: str, authorization: str | None, payload: str | None
) -> dict[str, Any]:
    event = load_event(name)
    event["rawPath"] = event["requestContext"]["http"]["path"] = f"/api/comments/{comment_id}"
    event["pathParameters"] = {"comment_id": comment_id}
    event["headers"].pop("authorization", None)
    if authorization is not None:
        event["headers"]["authorization"] = authorization
    if payload is not None:
        event["body"] = payload
    return event


def test_hostile_edit_and_delete_requests_change_nothing_and_get_no_5xx(
    function: Callable[[str], Invoke],
) -> None:
    """Forged bearers, ids that are not ids, and bodies no widget sends, on PUT and DELETE."""
    from parley import reader_tokens, tokens

    submit, routes, moderate = (
        function(name) for name in ("SubmitCommentFunction", "ReaderDataFunction", "ModerateFunction")
    )
    accepted = body(submit(json_post(valid_comment())))
    token = accepted["edit_token"]
    comment_id = accepted["id"]
    before = moderate({"action": "get", "comment_id": comment_id})["comment"]["message"]
    for authorization in HOSTILE_BEARERS:
        for name, payload in (
            ("edit_comment", '{"message": "A long enough replacement."}'),
            ("delete_comment", None),
        ):
            answer = routes(_own_comment_event(name, comment_id, authorization, payload))
            assert answer["statusCode"] in (401, 403), (authorization, answer)
            assert "<script>" not in answer["body"]
            assert "A" * 100 not in answer["body"]
    for bad_id in HOSTILE_COMMENT_IDS:
        answer = routes(_own_comment_event("delete_comment", bad_id, f"Bearer {token}", None))
        assert answer["statusCode"] in (403, 404, 422), (bad_id, answer)
    for payload in HOSTILE_EDITS:
        answer = routes(_own_comment_event("edit_comment", comment_id, f"Bearer {token}", payload))
        assert 400 <= answer["statusCode"] < 500, (payload[:40], answer)
        assert body(answer)["error"]["code"]
    my_data = reader_tokens.sign_my_data(tokens.signing_secret(), reader_tokens.reader_key("ada@example.com"))
    assert (
        routes(_own_comment_event("delete_comment", comment_id, f"Bearer {my_data}", None))["statusCode"]
        == 403
    )
    assert moderate({"action": "get", "comment_id": comment_id})["comment"]["message"] == before


HOSTILE_DATA_FORMS = [
    "email=",
    "email=not-an-address",
    "email=a%40b.co%0d%0aBcc%3a+everyone%40example.com",
    "email=" + "a" * 400 + "%40example.com",
    "email=%3Cscript%3Ealert(1)%3C%2Fscript%3E%40example.com",
    "email=a%40example.com&email=b%40example.com",
    "a=" + "b" * 60_000,
]


def test_hostile_data_requests_get_a_page_and_queue_nothing_odd(function: Callable[[str], Invoke]) -> None:
    routes = function("ReaderDataFunction")
    for form in HOSTILE_DATA_FORMS:
        event = load_event("my_data_request")
        event["body"] = form
        page = routes(event)
        assert page["statusCode"] < 500, (form[:40], page)
        assert "<script>alert" not in page["body"]
        assert "Bcc" not in page["body"]


@pytest.mark.parametrize("name", ["my_data_page", "my_data_download"])
def test_forged_data_links_are_refused_and_never_echoed(function: Callable[[str], Invoke], name: str) -> None:
    routes = function("ReaderDataFunction")
    for token in HOSTILE_TOKENS:
        event = load_event(name)
        event["queryStringParameters"] = {"token": token}
        event["rawQueryString"] = f"token={token}"
        page = routes(event)
        assert page["statusCode"] == 403, (token, page)
        assert "<script>alert" not in page["body"]
        assert token[:40] not in page["body"] or len(token) < 6


def test_hostile_data_forms_with_a_valid_link_change_nothing(function: Callable[[str], Invoke]) -> None:
    from parley import reader_tokens, tokens

    submit, routes, moderate = (
        function(name) for name in ("SubmitCommentFunction", "ReaderDataFunction", "ModerateFunction")
    )
    comment_id = body(submit(json_post(valid_comment())))["id"]
    token = reader_tokens.sign_my_data(tokens.signing_secret(), reader_tokens.reader_key("ada@example.com"))
    for form in [
        "action=erase_comments",
        "action=erase_comments&confirm=no",
        "action=%3Cscript%3E&confirm=yes",
        "action=erase_comments&action=end_subscriptions&confirm=yes",
        "action=" + "x" * 60_000,
        "confirm=yes",
    ]:
        event = load_event("my_data_download")
        event["queryStringParameters"] = {"token": token}
        event["rawQueryString"] = f"token={token}"
        event["body"] = form
        page = routes(event)
        assert page["statusCode"] < 500, (form[:40], page)
        assert "<script>" not in page["body"]
    assert moderate({"action": "get", "comment_id": comment_id})["comment"]["status"] == "pending"
