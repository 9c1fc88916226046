"""Drives the stack's functions as readers, moderators and the scheduler do, and reads the outbox."""

import re
from collections.abc import Callable
from typing import Any

import boto3

from parley_cli.outbox import sent_messages
from tests.conftest import Invoke, load_event
from tests.helpers import body, json_post, valid_comment

SUBSCRIBER = "sub@example.com"
API_DOMAIN = load_event("submit_comment_json")["requestContext"]["domainName"]


class Parley:
    """The stack's functions, driven as readers, moderators and the scheduler drive them."""

    def __init__(self, function: Callable[[str], Invoke], references: dict[str, str]) -> None:
        self.submit = function("SubmitCommentFunction")
        self.moderate = function("ModerateFunction")
        self.subscriptions = function("SubscriptionsFunction")
        self.sender = function("SendNotificationsFunction")
        self.references = references

    def post(
        self, email: str, notify: bool = False, name: str = "Reader", parent_id: str | None = None
    ) -> str:
        fields = valid_comment(email=email, name=name, notifications=notify)
        if parent_id is not None:
            fields["parent_id"] = parent_id
        response = self.submit(json_post(fields))
        assert response["statusCode"] == 202, response
        comment_id: str = body(response)["id"]
        return comment_id

    def approve(self, comment_id: str) -> None:
        answer = self.moderate({"action": "approve", "comment_id": comment_id, "moderator": "tests"})
        assert answer["comment"]["status"] == "approved", answer

    def send(self, runs: int = 1) -> None:
        """The scheduler firing `runs` times (a run drains the queue: jobs, and the emails they expand into)."""
        for _ in range(runs):
            self.sender(load_event("send_notifications_schedule"))

    def link(self, action: str, token: str, method: str = "GET", body: str | None = None) -> dict[str, Any]:
        events = {
            ("confirm", "GET"): "subscriptions_confirm_page",
            ("confirm", "POST"): "subscriptions_confirm",
            ("unsubscribe", "GET"): "subscriptions_unsubscribe_page",
            ("unsubscribe", "POST"): "subscriptions_unsubscribe_one_click",
        }
        event = load_event(events[(action, method)])
        event["rawQueryString"] = f"token={token}"
        event["queryStringParameters"] = {"token": token}
        if body is not None:
            event["body"] = body
        return self.subscriptions(event)

    def dead_letters(self) -> list[str]:
        client = boto3.client("sqs")
        bodies = []
        while batch := client.receive_message(
            QueueUrl=self.references["NotificationDeadLetterQueue"],
            MaxNumberOfMessages=10,
            VisibilityTimeout=60,
        ).get("Messages", []):
            bodies += [message["Body"] for message in batch]
        return bodies


def mail_to(address: str) -> list[dict[str, Any]]:
    return [message for message in sent_messages() if message["to"] == address]


def token_in(message: dict[str, Any], action: str) -> str:
    found = re.search(rf"/api/subscriptions/{action}\?token=([^\s\"<>]+)", message["text"])
    assert found, message["text"]
    return found[1]


def confirmed_subscribers(app: Parley, *addresses: str) -> None:
    for address in addresses or (SUBSCRIBER,):
        app.post(address, notify=True, name="Subscriber")
    app.send()
    for address in addresses or (SUBSCRIBER,):
        [confirmation] = [m for m in mail_to(address) if m["subject"].startswith("Please confirm")]
        assert app.link("confirm", token_in(confirmation, "confirm"), method="POST")["statusCode"] == 200
