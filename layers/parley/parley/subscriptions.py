"""Follow-up subscriptions: confirm and one-click unsubscribe by signed link (subscribing, with its
queued confirmation, is `parley.subscribing`: the subscriptions function never loads the queue)."""

from parley import tokens
from parley.catalogs import Language
from parley.models import Subscription, SubscriptionScope, utc_now
from parley.storage.subscriptions import SubscriptionRepository


class ConfirmationGone(tokens.InvalidToken):
    """A genuine confirmation link whose request is over (unsubscribed since, or expired)."""


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


def language_of_link(
    action: tokens.Action, signed: str, subscriptions: SubscriptionRepository
) -> Language | None:
    """The language the subscriber chose when subscribing, for the pages their link opens; None for a
    link that is not ours (or whose subscription is gone or has none): its page is then in the browser's."""
    try:
        token = tokens.verify(tokens.signing_secret(), action, signed)
    except tokens.InvalidToken:
        return None
    subscription = subscriptions.get(token.article_slug, token.email_hash)
    return subscription.lang if subscription else None
