"""Floods, duplicates and spam on the submit path, against moto."""

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from freezegun import freeze_time

from parley import observability, settings
from parley.storage import dynamo
from parley.storage.idempotency import IDEMPOTENCY_PARTITION
from tests.conftest import Invoke
from tests.helpers import body, form_post, json_post, location_query, queued_messages, valid_comment


@pytest.fixture
def configure(aws: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Set environment variables as template parameters would, before a function is loaded."""

    def set_variables(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        settings.get_settings.cache_clear()

    return set_variables


@pytest.fixture
def moderate(function: Callable[[str], Invoke]) -> Invoke:
    return function("ModerateFunction")


def from_address(event: dict[str, Any], address: str) -> dict[str, Any]:
    event["requestContext"]["http"]["sourceIp"] = address
    return event


def pending_ids(moderate: Invoke, status: str = "pending") -> list[str]:
    return [c["id"] for c in moderate({"action": "list_pending", "limit": 100, "status": status})["comments"]]


# Rate windows are fixed minutes and hours of the clock: these tests hold the clock at 30 s past a
# minute, so a burst never straddles two windows and the wait to the next window is exactly known.
MID_MINUTE = "2026-11-26 10:15:30"


@freeze_time(MID_MINUTE)
def test_an_address_over_its_minute_limit_gets_429_with_retry_after(
    configure: Callable[..., None], function: Callable[[str], Invoke], moderate: Invoke
) -> None:
    configure(RATE_LIMIT_PER_MINUTE="3")
    submit = function("SubmitCommentFunction")

    answers = [
        submit(from_address(json_post(valid_comment(email=f"r{i}@example.com")), "198.51.100.9"))
        for i in range(5)
    ]

    assert [a["statusCode"] for a in answers] == [202, 202, 202, 429, 429]
    refused = answers[3]
    assert body(refused)["error"]["code"] == "rate_limited"
    assert refused["headers"]["Retry-After"] == "30"
    assert len(pending_ids(moderate)) == 3


@freeze_time(MID_MINUTE)
def test_the_limit_follows_the_email_across_addresses(
    configure: Callable[..., None], function: Callable[[str], Invoke]
) -> None:
    configure(RATE_LIMIT_PER_MINUTE="2")
    submit = function("SubmitCommentFunction")

    answers = [
        submit(from_address(json_post(valid_comment()), f"198.51.100.{i}"))["statusCode"] for i in range(3)
    ]
    other = submit(from_address(json_post(valid_comment(email="someone.else@example.com")), "198.51.100.50"))

    assert answers == [202, 202, 429]
    assert other["statusCode"] == 202


@freeze_time(MID_MINUTE)
def test_a_form_post_over_the_limit_comes_back_with_the_wait(
    configure: Callable[..., None], function: Callable[[str], Invoke]
) -> None:
    configure(RATE_LIMIT_PER_MINUTE="1")
    submit = function("SubmitCommentFunction")
    submit(form_post(valid_comment()))

    response = submit(form_post(valid_comment()))

    assert response["statusCode"] == 303
    _, query = location_query(response)
    assert query["comment"] == ["rate_limited"]
    assert query["retry_after"] == ["30"]


def test_the_same_comment_twice_is_stored_once_with_the_same_answer(
    function: Callable[[str], Invoke], moderate: Invoke
) -> None:
    submit = function("SubmitCommentFunction")
    comment = valid_comment()

    first, second = submit(json_post(comment)), submit(json_post(comment))
    form_first, form_second = submit(form_post(comment)), submit(form_post(comment))

    assert first["statusCode"] == second["statusCode"] == 202
    assert body(first) == body(second)
    assert location_query(form_first)[1]["id"] == location_query(form_second)[1]["id"] == [body(first)["id"]]
    assert pending_ids(moderate) == [body(first)["id"]]


def test_a_double_click_while_the_first_is_being_saved_gets_409_and_stores_nothing_more(
    function: Callable[[str], Invoke], moderate: Invoke
) -> None:
    """The first submission's duplicate-detection record is put back to in progress (as it is while
    the first request runs): the same comment again is a 409 as JSON and a 303 back to the page as a
    form post, and only the first is stored."""
    submit = function("SubmitCommentFunction")
    comment = valid_comment()
    first = body(submit(json_post(comment)))
    table = dynamo.dynamodb()
    [record] = table.query(
        TableName=settings.get_settings().table_name,
        KeyConditionExpression="PK = :partition",
        ExpressionAttributeValues={":partition": {"S": IDEMPOTENCY_PARTITION}},
    )["Items"]
    in_a_minute = str(int((time.time() + 60) * 1000))
    table.update_item(
        TableName=settings.get_settings().table_name,
        Key={"PK": record["PK"], "SK": record["SK"]},
        UpdateExpression="SET #status = :busy, in_progress_expiration = :until",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":busy": {"S": "INPROGRESS"}, ":until": {"N": in_a_minute}},
    )

    again, form_again = submit(json_post(comment)), submit(form_post(comment))

    assert again["statusCode"] == 409
    assert body(again)["error"]["code"] == "duplicate_in_progress"
    assert form_again["statusCode"] == 303
    assert location_query(form_again)[1]["comment"] == ["pending"]
    assert pending_ids(moderate) == [first["id"]]


def test_a_different_message_is_a_different_comment(
    function: Callable[[str], Invoke], moderate: Invoke
) -> None:
    submit = function("SubmitCommentFunction")

    ids = {body(submit(json_post(valid_comment())))["id"] for _ in range(2)}

    assert len(ids) == 2


@pytest.mark.parametrize(
    ("variables", "fields"),
    [
        ({}, {"homepage": "http://buy-now.example"}),
        (
            {},
            {"message": "best deals https://a.example https://b.example https://c.example https://d.example"},
        ),
        ({"BLOCKED_WORDS": "casino, viagra"}, {"message": "Visit our Casino tonight for free spins"}),
        ({"BLOCKED_EMAILS": "@spam.example"}, {"email": "bot@SPAM.example"}),
        ({"BLOCKED_EMAILS": "known@bad.example"}, {"email": "known@bad.example"}),
    ],
)
def test_spam_is_answered_like_anything_else_but_held_apart_and_never_mailed(
    configure: Callable[..., None],
    function: Callable[[str], Invoke],
    moderate: Invoke,
    aws: dict[str, str],
    variables: dict[str, str],
    fields: dict[str, str],
) -> None:
    configure(**variables)
    submit = function("SubmitCommentFunction")

    response = submit(json_post(valid_comment(notifications=True, **fields)))

    assert response["statusCode"] == 202
    assert body(response)["status"] == "pending"
    assert pending_ids(moderate) == []
    assert pending_ids(moderate, status="spam") == [body(response)["id"]]
    # Only a count for the moderators' next digest: no confirmation to the address, no alert of its own.
    assert [(m.kind, getattr(m, "spam", None)) for m in queued_messages(aws["NotificationQueue"])] == [
        ("moderator_alert", True)
    ]


def test_spam_is_counted_in_metrics(
    configure: Callable[..., None], function: Callable[[str], Invoke], capsys: pytest.CaptureFixture[str]
) -> None:
    configure(POWERTOOLS_METRICS_DISABLED="false")
    observability.metrics.clear_metrics()  # what earlier tests (metrics off) left behind
    submit = function("SubmitCommentFunction")

    submit(json_post(valid_comment(homepage="filled by a bot")))

    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert [metric["Spam_honeypot"] for metric in emitted if "Spam_honeypot" in metric] == [[1.0]]


def test_three_links_are_fine(function: Callable[[str], Invoke], moderate: Invoke) -> None:
    submit = function("SubmitCommentFunction")

    response = submit(
        json_post(valid_comment(message="See https://a.example, https://b.example and www.c.example"))
    )

    assert pending_ids(moderate) == [body(response)["id"]]


@freeze_time(MID_MINUTE)
def test_one_address_cannot_be_sent_confirmations_for_every_article(
    configure: Callable[..., None], function: Callable[[str], Invoke], aws: dict[str, str]
) -> None:
    configure(CONFIRMATIONS_PER_DAY="3", MODERATOR_EMAIL="")
    submit = function("SubmitCommentFunction")

    for index in range(6):
        response = submit(
            json_post(
                valid_comment(article_slug=f"article-{index}", email="victim@example.com", notifications=True)
            )
        )
        assert response["statusCode"] == 202

    confirmations = [
        m for m in queued_messages(aws["NotificationQueue"]) if m.kind == "subscription_confirmation"
    ]
    assert len(confirmations) == 3


def test_the_client_address_is_a_keyed_hash_kept_only_until_moderated(
    function: Callable[[str], Invoke], moderate: Invoke
) -> None:
    import hashlib

    submit = function("SubmitCommentFunction")
    comment_id = body(submit(from_address(json_post(valid_comment()), "203.0.113.77")))["id"]

    pending = moderate({"action": "get", "comment_id": comment_id})["comment"]
    moderated = moderate({"action": "approve", "comment_id": comment_id, "moderator": "tests"})["comment"]

    assert pending["client_hash"]
    assert pending["client_hash"] != hashlib.sha256(b"203.0.113.77").hexdigest()[:32]
    assert "203.0.113.77" not in json.dumps(pending)
    assert moderated["client_hash"] is None
    assert moderated["user_agent"] is None
