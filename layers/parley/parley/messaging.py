"""SQS access: the only module that puts messages on the notification queue."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import boto3

from parley.messages import FollowUpJob, ModeratorAlert
from parley.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


@cache
def sqs() -> SQSClient:
    """Created on first use; honours AWS_ENDPOINT_URL (the local stack, moto)."""
    return boto3.client("sqs")


class NotificationQueue:
    def __init__(self, queue_url: str | None = None) -> None:
        self.queue_url = queue_url or get_settings().notification_queue_url

    def send(self, message: FollowUpJob | ModeratorAlert) -> str:
        """Queue one message; returns its SQS message id."""
        if not self.queue_url:
            raise RuntimeError("NOTIFICATION_QUEUE_URL is not set")
        response = sqs().send_message(
            QueueUrl=self.queue_url,
            MessageBody=message.model_dump_json(),
            MessageAttributes={"kind": {"DataType": "String", "StringValue": message.kind}},
        )
        return response["MessageId"]
