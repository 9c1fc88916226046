"""Signed links for subscribers: HMAC-SHA256 over the action, the article and the address's hash.

The key is the stack's signing secret (Secrets Manager, read through Powertools parameters and
cached); each action signs with its own salt, so a confirmation link cannot unsubscribe and an
unsubscribe link cannot confirm.
"""

import hashlib
import hmac
from dataclasses import dataclass
from functools import cache
from typing import Literal

import boto3
from aws_lambda_powertools.utilities import parameters
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from parley.aws_config import client_config
from parley.errors import ParleyError
from parley.settings import get_settings

Action = Literal["confirm", "unsubscribe"]
CONFIRMATION_LIFETIME_SECONDS = 7 * 24 * 3600
SECRET_CACHE_SECONDS = 300


class InvalidToken(ParleyError):
    code = "invalid_token"


class ExpiredToken(InvalidToken):
    code = "expired_token"


@dataclass(frozen=True)
class SubscriberToken:
    action: Action
    article_slug: str
    email_hash: str


def _serializer(secret: str, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=salt, signer_kwargs={"digest_method": hashlib.sha256})


def sign_payload(secret: str, salt: str, payload: list[str]) -> str:
    """A signed, timestamped link token; `salt` names its purpose, so one never passes for another."""
    return str(_serializer(secret, salt).dumps(payload))


def load_payload(secret: str, salt: str, signed: str, max_age: int | None, when_expired: str) -> object:
    """What `sign_payload` signed, or InvalidToken (forged, altered, another purpose) / ExpiredToken."""
    try:
        return _serializer(secret, salt).loads(signed, max_age=max_age)
    except SignatureExpired as error:
        raise ExpiredToken(f"this link has expired; {when_expired}", field="token") from error
    except BadSignature as error:
        raise InvalidToken(
            "this link is not valid; it may have been cut short or altered", field="token"
        ) from error


def sign(secret: str, token: SubscriberToken) -> str:
    return sign_payload(
        secret, f"parley.subscriptions.{token.action}", [token.article_slug, token.email_hash]
    )


def verify(secret: str, action: Action, signed: str) -> SubscriberToken:
    """The token's content, or InvalidToken / ExpiredToken. Confirmation links expire after 7 days."""
    max_age = CONFIRMATION_LIFETIME_SECONDS if action == "confirm" else None
    payload = load_payload(
        secret, f"parley.subscriptions.{action}", signed, max_age, "tick “Notify me” again for a new one"
    )
    match payload:
        case [str() as slug, str() as email_hash]:
            return SubscriberToken(action, slug, email_hash)
    raise InvalidToken("this link is not valid", field="token")


@cache
def secrets() -> parameters.SecretsProvider:
    """Created on first use; honours AWS_ENDPOINT_URL (the local stack, moto). Its client comes from
    boto3's default session, which the function's other clients share: left to itself, Powertools
    would start a session of its own, which costs a cold start ~100 ms more."""
    client = boto3.client("secretsmanager", config=client_config(read_timeout=2))
    return parameters.SecretsProvider(boto3_client=client)


def signing_secret() -> str:
    """The stack's signing secret, read through Powertools parameters (cached for five minutes)."""
    secret_id = get_settings().signing_secret_arn
    if not secret_id:
        raise RuntimeError("SIGNING_SECRET_ARN is not set")
    value = secrets().get(secret_id, max_age=SECRET_CACHE_SECONDS)
    if not isinstance(value, str) or len(value) < 32:
        raise RuntimeError("the signing secret must be a string of at least 32 characters")
    return value


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 of a value under the stack's secret: a stable token that cannot be reversed, or
    recomputed for a guessed value, without the secret. `purpose` keeps the uses apart."""
    key = hmac.new(signing_secret().encode(), purpose.encode(), hashlib.sha256).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]
