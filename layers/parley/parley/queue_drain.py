"""One run of the scheduled sender: drain the notification queue a batch at a time.

The queue is drained on a schedule, not by an event source mapping: each batch received goes
through Powertools' BatchProcessor, and only what succeeded is deleted.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from parley.models import utc_now
from parley.observability import logger
from parley.queue_messages import AnyNotification, notification_message
from parley.sender import Sender

SENDER_LEASE = "sender"  # one run at a time: overlapping runs would together exceed MaxSendRate
STOP_WITH_MILLISECONDS_LEFT = 10_000


@dataclass
class DrainReport:
    received: int = 0
    failed: int = 0
    batches: int = 0
    skipped: bool = False  # another run held the lease


def as_sqs_event(messages: list[dict[str, Any]], queue_url: str) -> dict[str, Any]:
    """ReceiveMessage's answer in the shape of an SQS event, for Powertools' BatchProcessor."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": message.get("MessageAttributes", {}),
                "md5OfBody": message.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_url,
                "awsRegion": "",
            }
            for message in messages
        ]
    }


def drain(sender: Sender, context: LambdaContext, max_batches: int = 1000) -> DrainReport:
    """Receive, handle and delete batches until a long poll finds the queue empty or time runs short.

    One run at a time holds the sender's lease (for its remaining time), so runs that overlap (a
    late schedule, a retried invocation) never send faster than MaxSendRate together."""
    holder = context.aws_request_id
    lease_time = timedelta(milliseconds=context.get_remaining_time_in_millis())
    if not sender.leases.acquire(SENDER_LEASE, holder, utc_now(), lease_time):
        logger.info("another run is sending; this one stops")
        return DrainReport(skipped=True)
    try:
        return _drain_batches(sender, context, max_batches)
    finally:
        sender.leases.release(SENDER_LEASE, holder)


def _drain_batches(sender: Sender, context: LambdaContext, max_batches: int) -> DrainReport:
    sender.idempotency.register_lambda_context(context)
    # A batch whose every record failed is reported like any other: nothing of it is deleted.
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    report = DrainReport()
    queue = sender.queue

    def handle_record(record: SQSRecord) -> None:
        sender.handle(notification_message.validate_json(record.body))

    while report.batches < max_batches:
        spare_seconds = (context.get_remaining_time_in_millis() - STOP_WITH_MILLISECONDS_LEFT) // 1000
        if spare_seconds < 1:
            break
        received = queue.receive(
            sender.settings.retry_after_seconds, min(sender.settings.receive_wait_seconds, spare_seconds)
        )
        if not received:
            break
        report.batches += 1
        report.received += len(received)
        sender.prepare(_parsed(received))
        result = process_partial_response(
            event=as_sqs_event(received, queue.url),
            record_handler=handle_record,
            processor=processor,
            context=context,
        )
        failed = {failure["itemIdentifier"] for failure in result.get("batchItemFailures", [])}
        report.failed += len(failed)
        queue.delete([m["ReceiptHandle"] for m in received if m["MessageId"] not in failed])
    return report


def _parsed(received: list[dict[str, Any]]) -> list[AnyNotification]:
    parsed = []
    for message in received:
        try:
            parsed.append(notification_message.validate_json(message["Body"]))
        except ValueError:
            continue  # reported as this record's failure when it is handled
    return parsed
