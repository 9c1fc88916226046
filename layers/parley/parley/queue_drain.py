"""One run of the scheduled sender: drain the notification queue a batch at a time.

The queue is drained on a schedule, not by an event source mapping: each message of a batch is
handled on its own (one failing leaves the others alone), and only what succeeded is deleted. A
plain loop rather than Powertools' BatchProcessor, which takes SQS *events*: importing it builds
Powertools' parser models for every event source, 85 ms of the sender's cold start for nothing
this function uses (docs/benchmarks.md, "First request").
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

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
    expiry_warnings: int = 0  # emails warning moderators of pending comments about to expire


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
    report = DrainReport()
    _warn_of_expiring(sender, report)
    queue = sender.queue
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
        handled = [message["ReceiptHandle"] for message in received if _handled(sender, message)]
        report.failed += len(received) - len(handled)
        queue.delete(handled)
    return report


def _warn_of_expiring(sender: Sender, report: DrainReport) -> None:
    """The day's expiry warning, before the queue. A failure is logged as `_handled` logs one (no
    error text), counted as failed (the failure alarm), and a later run tries again."""
    try:
        report.expiry_warnings = sender.expiry_warnings.check()
    except Exception as error:
        logger.warning("expiry warning not sent; a later run tries again", extra=_described(error))
        report.failed += 1


def _described(error: Exception) -> dict[str, str | None]:
    """An error's kind and code for the log, not its text: SES's messages can quote an address."""
    code = error.response.get("Error", {}).get("Code") if isinstance(error, ClientError) else None
    return {"error": type(error).__name__, "error_code": code}


def _handled(sender: Sender, message: dict[str, Any]) -> bool:
    """Whether one message was handled. A failure is logged (a warning: throttling is retried this
    way too) and the message left to come back after its visibility timeout, or after
    maxReceiveCount to go to the dead-letter queue. The log names the error's kind and code, not
    its text: SES's messages can quote the recipient's address."""
    try:
        sender.handle(notification_message.validate_json(message["Body"]))
    except Exception as error:
        logger.warning(
            "message not handled; it stays in the queue",
            extra={"message_id": message["MessageId"], **_described(error)},
        )
        return False
    return True


def _parsed(received: list[dict[str, Any]]) -> list[AnyNotification]:
    parsed = []
    for message in received:
        try:
            parsed.append(notification_message.validate_json(message["Body"]))
        except ValueError:
            continue  # reported as this record's failure when it is handled
    return parsed
