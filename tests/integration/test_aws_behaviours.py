"""What AWS does and moto does not: transaction conflicts, throttling, short polls that come back empty.

Each behaviour is modelled at the boundary of our own boto3 clients: botocore's `before-call` hook
answers a call with AWS's answer as botocore would hand it to us, and the call never reaches moto
(a `before-send` answer would not stop moto from applying the request too). Nothing of ours is
replaced.
"""

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from botocore.awsrequest import AWSResponse

from parley import sqs
from parley.storage import dynamo
from parley_cli.outbox import sent_messages
from tests.conftest import Invoke, load_event
from tests.helpers import body, json_post, valid_comment


def refuse_first(times: int, code: str, message: str, **members: Any) -> Callable[..., Any]:
    """A `before-call` hook that answers the first `times` calls with AWS's error, as botocore parses
    it, once the client's own retries are through; the call never reaches moto. Later calls go through."""
    answered = []

    def hook(**_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if len(answered) >= times:
            return None
        answered.append(1)
        parsed = {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": 400}}
        return AWSResponse("https://aws.invalid/", 400, {}, None), {**parsed, **members}

    return hook


def test_two_posts_at_once_from_one_reader_are_not_a_false_429(function: Callable[[str], Invoke]) -> None:
    """On AWS, two transactions on the same rate counters at once cancel one with `TransactionConflict`
    (moto never does). That is a race to retry, not a limit reached."""
    submit = function("SubmitCommentFunction")
    conflict = refuse_first(
        2,
        "TransactionCanceledException",
        "Transaction cancelled, please refer cancellation reasons for specific reasons "
        "[None, TransactionConflict, None, None]",
        CancellationReasons=[
            {"Code": "None"},
            {"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"},
            {"Code": "None"},
            {"Code": "None"},
        ],
    )
    dynamo.dynamodb().meta.events.register("before-call.dynamodb.TransactWriteItems", conflict)

    answer = submit(json_post(valid_comment()))

    assert answer["statusCode"] == 202, body(answer)


def test_throttling_that_outlasts_the_retries_is_a_503_with_retry_after(
    function: Callable[[str], Invoke],
) -> None:
    """DynamoDB throttles bursts (moto never does). The client retries a brief throttle itself; one that
    outlasts its retries asks the reader to try again shortly, rather than a 500."""
    submit = function("SubmitCommentFunction")
    throttle = refuse_first(
        1, "ThrottlingException", "Throughput exceeds the current capacity for one or more global indexes"
    )
    dynamo.dynamodb().meta.events.register("before-call.dynamodb.PutItem", throttle)

    answer = submit(json_post(valid_comment()))

    assert answer["statusCode"] == 503, answer
    assert body(answer)["error"]["code"] == "busy"
    assert int(answer["headers"]["Retry-After"]) > 0
    assert submit(json_post(valid_comment()))["statusCode"] == 202


def test_the_sender_is_not_fooled_by_an_empty_short_poll(function: Callable[[str], Invoke]) -> None:
    """A short poll (WaitTimeSeconds=0) asks a sample of SQS's servers and can come back empty while
    messages wait (moto always answers from the whole queue): the sender must long-poll."""
    submit = function("SubmitCommentFunction")
    send = function("SendNotificationsFunction")

    def short_polls_see_nothing(
        params: dict[str, Any], **_: Any
    ) -> tuple[AWSResponse, dict[str, Any]] | None:
        if json.loads(params["body"]).get("WaitTimeSeconds", 0) == 0:
            return AWSResponse("https://sqs.us-east-1.amazonaws.com/", 200, {}, None), {}
        return None

    for index in range(3):
        submit(json_post(valid_comment(email=f"reader{index}@example.com", notifications=True)))
    sqs.sqs().meta.events.register("before-call.sqs.ReceiveMessage", short_polls_see_nothing)

    send(load_event("send_notifications_schedule"))

    sent = Counter(m["subject"].split(":")[0] for m in sent_messages())
    # One alert: the other two comments wait for the moderator's digest (test_moderation_links.py).
    assert sent == Counter({"Comment awaiting review": 1, "Please confirm": 3}), sent
