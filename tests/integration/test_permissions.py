"""Each function's role in template.yaml allows every AWS call the function makes (moto enforces no
IAM, so this is the only check before a deploy). The `function` fixture checks every integration
test's calls at teardown; here one round drives every function, and the checker itself is tried."""

from collections.abc import Callable
from typing import Any, Literal

import pytest

from parley import moderator_tokens, tokens
from parley.models import email_hash
from parley_cli import template
from tests import aws_calls, iam
from tests.cloudformation import Resolver, expanded_template
from tests.conftest import MODERATOR_EMAIL, Invoke, load_event
from tests.helpers import body, count_request, json_post, list_request, valid_comment

SLUG = "professional-networking-strategies-2024"
SUBSCRIBER = "subscriber@example.org"


def subscriptions_link(action: Literal["confirm", "unsubscribe"]) -> dict[str, Any]:
    """The POST a reader's button (confirm) or mail client (one-click unsubscribe) sends."""
    event = load_event(
        "subscriptions_confirm" if action == "confirm" else "subscriptions_unsubscribe_one_click"
    )
    token = tokens.sign(tokens.signing_secret(), tokens.SubscriberToken(action, SLUG, email_hash(SUBSCRIBER)))
    event["rawQueryString"] = f"token={token}"
    event["queryStringParameters"] = {"token": token}
    return event


def moderation_link(action: str, comment_id: str | None, method: str = "POST") -> dict[str, Any]:
    """A moderator's button on the page an alert's link opened."""
    event = load_event(f"moderation_{action}" + ("_page" if method == "GET" else ""))
    secret = tokens.signing_secret()
    if comment_id is None:
        token = moderator_tokens.sign_queue(secret, moderator_tokens.QueueGrant(MODERATOR_EMAIL))
    else:
        grant = moderator_tokens.ActionGrant("approve", comment_id, MODERATOR_EMAIL)
        token = moderator_tokens.sign_action(secret, grant)
    event["rawQueryString"] = f"token={token}"
    event["queryStringParameters"] = {"token": token}
    return event


def test_one_round_through_every_function_stays_within_each_role(
    function: Callable[[str], Invoke], aws: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    start = len(aws_calls.recorded)
    submit, moderate = function("SubmitCommentFunction"), function("ModerateFunction")
    subscriptions, listing = function("SubscriptionsFunction"), function("ListCommentsFunction")
    sender = function("SendNotificationsFunction")

    def send() -> None:
        for _ in range(3):  # a follow-up job expands in one run, its emails go in the next
            sender(load_event("send_notifications_schedule"))

    posted = submit(json_post(valid_comment(email=SUBSCRIBER, notifications=True)))
    assert posted["statusCode"] == 202, posted
    send()
    assert subscriptions(subscriptions_link("confirm"))["statusCode"] == 200
    other = body(submit(json_post(valid_comment(email="other@example.org"))))["id"]
    answer = moderate({"action": "approve", "comment_id": other, "moderator": "tests"})
    assert answer["comment"]["status"] == "approved", answer
    assert moderate(load_event("moderate_list_pending"))["comments"]
    send()
    assert body(listing(list_request(f"article_slug={SLUG}")))["count"] == 1
    assert body(listing(count_request([SLUG])))["counts"] == {SLUG: 1}
    assert subscriptions(subscriptions_link("unsubscribe"))["statusCode"] == 200
    links = function("ModerationLinksFunction")
    third = body(submit(json_post(valid_comment(email="third@example.org"))))["id"]
    assert links(moderation_link("approve", third))["statusCode"] == 200
    assert links(moderation_link("queue", None, method="GET"))["statusCode"] == 200
    readers = function("ReaderDataFunction")
    mine = body(submit(json_post(valid_comment(email="mine@example.org"))))
    edit = load_event("edit_comment")
    edit["pathParameters"] = {"comment_id": mine["id"]}
    edit["rawPath"] = f"/api/comments/{mine['id']}"
    edit["headers"]["authorization"] = f"Bearer {mine['edit_token']}"
    assert readers(edit)["statusCode"] == 200
    assert readers(load_event("my_data_request"))["statusCode"] == 200
    send()

    calls = aws_calls.recorded[start:]
    made = {(call.function, call.service, call.operation) for call in calls}
    assert {function for function, _, _ in made} == set(template.functions(template.load_template()))
    assert ("ListCommentsFunction", "dynamodb", "Query") in made
    assert ("SendNotificationsFunction", "sesv2", "SendEmail") in made
    assert ("SubscriptionsFunction", "secretsmanager", "GetSecretValue") in made
    assert ("ModerationLinksFunction", "lambda", "Invoke") in made
    assert ("ReaderDataFunction", "dynamodb", "TransactWriteItems") in made
    assert ("SendNotificationsFunction", "dynamodb", "Query") in made  # GSI4: is anything stored?
    assert iam.refused(calls, Resolver(expanded_template(), aws)) == []


def statement(action: str, resource: str, effect: str = "Allow") -> iam.Statement:
    return iam.Statement(effect, (action,), (resource,))


TABLE = iam.table_arn("CommentsTable")


@pytest.mark.parametrize(
    ("granted", "operation", "params", "allowed"),
    [
        # A table's ARN does not cover its indexes, nor an index's ARN the table.
        (
            [statement("dynamodb:Query", TABLE)],
            "Query",
            {"TableName": "CommentsTable", "IndexName": "GSI1"},
            False,
        ),
        (
            [statement("dynamodb:Query", f"{TABLE}/index/GSI1")],
            "Query",
            {"TableName": "CommentsTable", "IndexName": "GSI1"},
            True,
        ),
        ([statement("dynamodb:Query", f"{TABLE}/index/*")], "Query", {"TableName": "CommentsTable"}, False),
        # Transactions are authorised item by item, as the single-item actions.
        (
            [statement("dynamodb:PutItem", TABLE)],
            "TransactWriteItems",
            {
                "TransactItems": [
                    {"Put": {"TableName": "CommentsTable"}},
                    {"Update": {"TableName": "CommentsTable"}},
                ]
            },
            False,
        ),
        (
            [statement("dynamodb:PutItem", TABLE), statement("dynamodb:UpdateItem", TABLE)],
            "TransactWriteItems",
            {
                "TransactItems": [
                    {"Put": {"TableName": "CommentsTable"}},
                    {"Update": {"TableName": "CommentsTable"}},
                ]
            },
            True,
        ),
        # Another table, or an explicit deny, is refused.
        ([statement("dynamodb:GetItem", TABLE)], "GetItem", {"TableName": "Other"}, False),
        (
            [statement("dynamodb:*", "*"), statement("dynamodb:DeleteItem", TABLE, "Deny")],
            "DeleteItem",
            {"TableName": "CommentsTable"},
            False,
        ),
    ],
)
def test_the_checker_matches_actions_and_resources_as_iam_does(
    granted: list[iam.Statement], operation: str, params: dict[str, Any], allowed: bool
) -> None:
    needs = iam.required("dynamodb", operation, params)

    assert all(any(iam.allowed(granted, a, r) for r in resources) for a, resources in needs) is allowed


def test_sam_policy_templates_and_batches_are_understood() -> None:
    queue = "https://sqs.us-east-1.amazonaws.com/123456789012/NotificationQueue"
    granted = [statement("sqs:SendMessage*", iam.queue_arn(queue))]  # SQSSendMessagePolicy

    [(action, [resource])] = iam.required("sqs", "SendMessageBatch", {"QueueUrl": queue})
    assert iam.allowed(granted, action, resource)
    [(action, [resource])] = iam.required("sqs", "ReceiveMessage", {"QueueUrl": queue})
    assert not iam.allowed(granted, action, resource)


def test_a_sender_address_condition_is_held_to() -> None:
    """The sender may mail from any identity of the account, but only as its own address."""
    send = {"FromEmailAddress": "comments@blog.example.com", "Destination": {}, "Content": {}}
    granted = [
        iam.Statement(
            "Allow",
            ("ses:SendEmail",),
            (iam.arn("ses", "identity/*"),),
            conditions=(("StringEquals", "ses:FromAddress", ("comments@blog.example.com",)),),
        )
    ]

    def allows(params: dict[str, Any]) -> bool:
        context = iam.context_of("sesv2", "SendEmail", params)
        return all(
            any(iam.allowed(granted, action, resource, context) for resource in resources)
            for action, resources in iam.required("sesv2", "SendEmail", params)
        )

    assert allows(send)
    assert not allows({**send, "FromEmailAddress": "someone@blog.example.com"})
