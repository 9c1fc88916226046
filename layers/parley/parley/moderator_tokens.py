"""Signed links for moderators: one comment and one action, or the queue page, for one moderator.

The same scheme and secret as `parley.tokens` (itsdangerous, HMAC-SHA256), with a salt per action,
so an approve link cannot reject, and a link for one comment names that comment inside its signature.
The moderator's address is signed in: whoever acts through the link is recorded as that address.
"""

import hashlib
from dataclasses import dataclass
from typing import Literal

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from parley.settings import Settings
from parley.tokens import ExpiredToken, InvalidToken

LinkAction = Literal["approve", "reject", "spam"]
LINK_ACTIONS: tuple[LinkAction, ...] = ("approve", "reject", "spam")
SHOWN_CHARACTERS = 8  # what a log line or a page may show of a token


@dataclass(frozen=True)
class ActionGrant:
    """What an action link allows: `action` on `comment_id`, recorded as `moderator`."""

    action: LinkAction
    comment_id: str
    moderator: str


@dataclass(frozen=True)
class QueueGrant:
    """What a queue link allows: acting on any pending comment, recorded as `moderator`."""

    moderator: str


def _serializer(secret: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        secret, salt=f"parley.moderation.{purpose}", signer_kwargs={"digest_method": hashlib.sha256}
    )


def sign_action(secret: str, grant: ActionGrant) -> str:
    return str(_serializer(secret, grant.action).dumps([grant.comment_id, grant.moderator]))


def sign_queue(secret: str, grant: QueueGrant) -> str:
    return str(_serializer(secret, "queue").dumps([grant.moderator]))


def _loads(secret: str, purpose: str, signed: str, max_age: int) -> object:
    try:
        return _serializer(secret, purpose).loads(signed, max_age=max_age)
    except SignatureExpired as error:
        raise ExpiredToken(
            "this link has expired; the queue link of a newer alert still works", field="token"
        ) from error
    except BadSignature as error:
        raise InvalidToken(
            "this link is not valid; it may have been cut short or altered", field="token"
        ) from error


def verify_action(secret: str, action: LinkAction, signed: str, settings: Settings) -> ActionGrant:
    """The grant, or InvalidToken (forged, or for another action) / ExpiredToken."""
    payload = _loads(secret, action, signed, settings.moderation_link_days * 24 * 3600)
    match payload:
        case [str() as comment_id, str() as moderator]:
            return ActionGrant(action, comment_id, moderator)
    raise InvalidToken("this link is not valid", field="token")


def verify_queue(secret: str, signed: str, settings: Settings) -> QueueGrant:
    payload = _loads(secret, "queue", signed, settings.queue_link_hours * 3600)
    match payload:
        case [str() as moderator]:
            return QueueGrant(moderator)
    raise InvalidToken("this link is not valid", field="token")


def shown(token: str) -> str:
    """A token as a log line may show it: its first characters only."""
    return token[:SHOWN_CHARACTERS] + "…"
