"""Follow-up subscriptions: double opt-in, confirm and one-click unsubscribe by signed link."""

from datetime import timedelta

from parley import tokens
from parley.catalogs import DEFAULT_LANGUAGE, Language
from parley.models import Subscription, SubscriptionScope, utc_now
from parley.observability import logger
from parley.queue_messages import SubscriptionConfirmation
from parley.reader_tokens import reader_key
from parley.sqs import NotificationQueue
from parley.storage.limits import RateLimits
from parley.storage.subscriptions import SubscriptionRepository

RESEND_CONFIRMATION_AFTER = timedelta(hours=24)


class ConfirmationGone(tokens.InvalidToken):
    """A genuine confirmation link whose request is over (unsubscribed since, or expired)."""


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


def confirm(signed: str, subscriptions: SubscriptionRepository) -> Subscription:
    token = tokens.verify(tokens.signing_secret(), "confirm", signed)
    subscription = subscriptions.confirm(token.article_slug, token.email_hash, utc_now())
    if subscription is None:
        raise ConfirmationGone(
            "this confirmation is no longer valid: the address unsubscribed, or the request expired",
            field="token",
        )
    return subscription


def unsubscribe(
    signed: str, subscriptions: SubscriptionRepository, keep: SubscriptionScope | None = None
) -> str:
    """Unsubscribe (idempotently), or with `keep` narrow (or widen) what is sent; returns the article's slug."""
    token = tokens.verify(tokens.signing_secret(), "unsubscribe", signed)
    if keep is None:
        subscriptions.unsubscribe(token.article_slug, token.email_hash, utc_now())
    else:
        subscriptions.choose_scope(token.article_slug, token.email_hash, keep, utc_now())
    return token.article_slug


def check_token(action: tokens.Action, signed: str) -> None:
    """Raise InvalidToken unless this is a link for `action` we signed (before showing its page)."""
    tokens.verify(tokens.signing_secret(), action, signed)


def language_of_link(action: tokens.Action, signed: str, subscriptions: SubscriptionRepository) -> Language:
    """The language the subscriber chose when subscribing, for the pages their link opens (English for a
    link that is not ours, which then gets its refusal in English)."""
    try:
        token = tokens.verify(tokens.signing_secret(), action, signed)
    except tokens.InvalidToken:
        return DEFAULT_LANGUAGE
    subscription = subscriptions.get(token.article_slug, token.email_hash)
    return (subscription.lang if subscription else None) or DEFAULT_LANGUAGE
