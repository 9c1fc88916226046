"""SendNotificationsFunction: on its schedule, drains the notification queue and sends through SES."""

from parley import cold_start  # first: no garbage collection while the function loads

# isort: split
from dataclasses import asdict
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from parley.observability import logger, metrics
from parley.queue_drain import drain
from parley.sender import Sender
from parley.ses import Mailer
from parley.settings import get_settings
from parley.sqs import NotificationQueue
from parley.storage.comments import CommentRepository
from parley.storage.idempotency import idempotency_store
from parley.storage.leases import Leases
from parley.storage.subscriptions import SubscriptionRepository

settings = get_settings()
sender = Sender(
    settings=settings,
    queue=NotificationQueue(),
    mailer=Mailer(),
    comments=CommentRepository(),
    subscriptions=SubscriptionRepository(),
    persistence=idempotency_store(),
    leases=Leases(),
)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    report = drain(sender, context)
    metrics.add_metric(name="NotificationsReceived", unit=MetricUnit.Count, value=report.received)
    metrics.add_metric(name="NotificationsFailed", unit=MetricUnit.Count, value=report.failed)
    if report.received or report.expiry_warnings:  # an empty queue every few minutes is not news
        logger.info("queue drained", extra=asdict(report))
    return asdict(report)


cold_start.ready()
