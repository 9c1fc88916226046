"""Readers' tokens: editing one's own comment, and opening one's own data from an emailed link.

The same scheme and secret as `parley.tokens` (itsdangerous, HMAC-SHA256), each purpose with its
own salt: an edit token cannot open "my data", a "my data" link cannot edit, and neither passes for
a subscriber's or a moderator's link. An edit token names its comment inside its signature; a
"my data" token names the keyed hash of the address (never the address itself).
"""

from parley import tokens
from parley.errors import Forbidden, Gone
from parley.tokens import ExpiredToken, InvalidToken, load_payload, sign_payload

EDIT_SALT = "parley.comments.edit"
MY_DATA_SALT = "parley.me"
MY_DATA_LIFETIME_SECONDS = 3600


def reader_key(email: str) -> str:
    """The keyed hash that finds an address's comments and subscriptions (GSI4), for any capitalisation."""
    return tokens.keyed_hash("email", email.strip().casefold())


def sign_edit(secret: str, comment_id: str) -> str:
    return sign_payload(secret, EDIT_SALT, [comment_id])


def verify_edit(secret: str, signed: str, window_minutes: int) -> str:
    """The comment id an edit token was made for; Forbidden when forged or for another purpose, Gone
    once the edit window has closed."""
    try:
        payload = load_payload(secret, EDIT_SALT, signed, window_minutes * 60, "the edit window has closed")
    except ExpiredToken as error:
        raise Gone(f"comments can be edited or deleted for {window_minutes} minutes only") from error
    except InvalidToken as error:
        raise Forbidden("this token does not allow changing this comment", field="Authorization") from error
    match payload:
        case [str() as comment_id]:
            return comment_id
    raise Forbidden("this token does not allow changing this comment", field="Authorization")


def sign_my_data(secret: str, key: str) -> str:
    return sign_payload(secret, MY_DATA_SALT, [key])


def verify_my_data(secret: str, signed: str) -> str:
    """The reader key a "my data" link was made for, or InvalidToken / ExpiredToken (after an hour)."""
    payload = load_payload(
        secret, MY_DATA_SALT, signed, MY_DATA_LIFETIME_SECONDS, "ask for a new link on the same page"
    )
    match payload:
        case [str() as key]:
            return key
    raise InvalidToken("this link is not valid", field="token")
