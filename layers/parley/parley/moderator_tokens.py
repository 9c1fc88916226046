"""Signed links for moderators: one comment and one action, or the queue page, for one moderator.

The same scheme and secret as `parley.tokens` (itsdangerous, HMAC-SHA256), with a salt per action,
so an approve link cannot reject, and a link for one comment names that comment inside its signature.
The moderator's address is signed in: whoever acts through the link is recorded as that address.
"""

from dataclasses import dataclass
from typing import Literal

from parley.settings import Settings
from parley.tokens import InvalidToken, load_payload, sign_payload

LinkAction = Literal["approve", "reject", "spam"]
LINK_ACTIONS: tuple[LinkAction, ...] = ("approve", "reject", "spam")
SHOWN_CHARACTERS = 8  # what a log line or a page may show of a token
SALT = "parley.moderation"


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


def sign_action(secret: str, grant: ActionGrant) -> str:
    return sign_payload(secret, f"{SALT}.{grant.action}", [grant.comment_id, grant.moderator])


def sign_queue(secret: str, grant: QueueGrant) -> str:
    return sign_payload(secret, f"{SALT}.queue", [grant.moderator])


def _loads(secret: str, purpose: str, signed: str, max_age: int) -> object:
    return load_payload(
        secret, f"{SALT}.{purpose}", signed, max_age, "the queue link of a newer alert still works"
    )


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
