"""Subscribing to an article's follow-ups: the wish recorded, and one confirmation email queued
(double opt-in; `parley.subscriptions` confirms and unsubscribes)."""

from datetime import timedelta

from parley.catalogs import DEFAULT_LANGUAGE, Language
from parley.models import utc_now
from parley.observability import logger
from parley.queue_messages import SubscriptionConfirmation
from parley.reader_tokens import reader_key
from parley.sqs import NotificationQueue
from parley.storage.limits import RateLimits
from parley.storage.subscriptions import SubscriptionRepository

RESEND_CONFIRMATION_AFTER = timedelta(hours=24)


def subscribe(
    slug: str,
    email: str,
    subscriptions: SubscriptionRepository,
    queue: NotificationQueue,
    limits: RateLimits,
    confirmations_per_day: int,
    api_url: str | None = None,
    lang: Language = DEFAULT_LANGUAGE,
) -> bool:
    """Record the wish and queue one confirmation email, unless one went out for this article in the
    last 24 hours, the address is confirmed already, or it got `confirmations_per_day` confirmations
    (across articles) today: the form cannot be used to mail-bomb someone. Returns whether one was queued."""
    now = utc_now()
    address = reader_key(email)
    subscription = subscriptions.request(slug, email, now, RESEND_CONFIRMATION_AFTER, address, lang)
    if subscription is None:
        return False
    if limits.hit([(f"confirmations:{address}", confirmations_per_day, 24 * 3600)], now) is not None:
        logger.info("confirmation not sent: daily limit for this address", extra={"article_slug": slug})
        subscriptions.withdraw_request(subscription)
        return False
    try:
        queue.send(
            SubscriptionConfirmation(
                to=subscription.email,
                article_slug=slug,
                email_hash=subscription.email_hash,
                requested_at=subscription.confirmation_sent_at or utc_now(),
                api_url=api_url,
                lang=lang,
            )
        )
    except Exception:
        logger.exception("could not queue a confirmation", extra={"article_slug": slug})
        subscriptions.withdraw_request(subscription)
        raise
    return True
