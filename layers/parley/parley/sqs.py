"""SQS access: the only module that puts messages on the notification queue."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import boto3

from parley.aws_config import client_config
from parley.queue_messages import AnyNotification
from parley.settings import get_settings

SEND_BATCH_SIZE = 10
MAX_DELAY_SECONDS = 900
MAX_WAIT_SECONDS = 20  # SQS's longest long poll: a receive may take this long before it answers

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


@cache
def sqs() -> SQSClient:
    """Created on first use; honours AWS_ENDPOINT_URL (the local stack, moto)."""
    return boto3.client("sqs", config=client_config(read_timeout=MAX_WAIT_SECONDS + 5))


class NotificationQueue:
    def __init__(self, queue_url: str | None = None) -> None:
        self.queue_url = queue_url or get_settings().notification_queue_url

    @property
    def url(self) -> str:
        if not self.queue_url:
            raise RuntimeError("NOTIFICATION_QUEUE_URL is not set")
        return self.queue_url

    def send(self, message: AnyNotification, delay_seconds: int = 0) -> str:
        """Queue one message, hidden for `delay_seconds` (at most 900, SQS's limit); its SQS message id."""
        response = sqs().send_message(
            QueueUrl=self.url,
            MessageBody=message.model_dump_json(),
            DelaySeconds=max(0, min(MAX_DELAY_SECONDS, delay_seconds)),
        )
        return response["MessageId"]

    def send_all(self, messages: list[AnyNotification]) -> None:
        """Queue many, ten to a SendMessageBatch; raises if any entry was refused, so none is lost unseen."""
        for start in range(0, len(messages), SEND_BATCH_SIZE):
            batch = messages[start : start + SEND_BATCH_SIZE]
            response = sqs().send_message_batch(
                QueueUrl=self.url,
                Entries=[
                    {"Id": str(index), "MessageBody": m.model_dump_json()} for index, m in enumerate(batch)
                ],
            )
            if response.get("Failed"):
                raise RuntimeError(f"SQS refused {len(response['Failed'])} messages: {response['Failed'][0]}")

    def receive(self, visibility_seconds: int, wait_seconds: int) -> list[dict[str, Any]]:
        """Up to ten messages, hidden from other receivers for `visibility_seconds`. A long poll
        (`wait_seconds` > 0) asks every SQS server and waits for a message: an empty answer then means
        an empty queue, which a short poll's (it samples some servers) does not."""
        response = sqs().receive_message(
            QueueUrl=self.url,
            MaxNumberOfMessages=SEND_BATCH_SIZE,
            VisibilityTimeout=visibility_seconds,
            WaitTimeSeconds=wait_seconds,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        return [dict(message) for message in response.get("Messages", [])]

    def delete(self, receipt_handles: list[str]) -> None:
        if not receipt_handles:
            return
        response = sqs().delete_message_batch(
            QueueUrl=self.url,
            Entries=[
                {"Id": str(index), "ReceiptHandle": handle} for index, handle in enumerate(receipt_handles)
            ],
        )
        if response.get("Failed"):
            raise RuntimeError(
                f"SQS did not delete {len(response['Failed'])} messages: {response['Failed'][0]}"
            )
