"""A reader's own data: ask for a link by email, then see, download or erase what is stored.

Asking answers the same whatever is stored (`DataRequest` is queued either way; the sender decides
whether to mail), counted per client address and per email so the form cannot be used to flood an
inbox. The link is signed for one reader key and one hour (`parley.reader_tokens`).
"""

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from parley import reader_tokens, tokens
from parley.catalogs import DEFAULT_LANGUAGE, Language
from parley.errors import ConcurrentChange, NotFound, RateLimited
from parley.models import Comment, Subscription, utc_now
from parley.observability import logger
from parley.queue_messages import DataRequest
from parley.settings import Settings
from parley.sqs import NotificationQueue
from parley.storage.comments import CommentRepository
from parley.storage.limits import RateLimits
from parley.storage.reader_items import ReaderItems
from parley.storage.subscriptions import SubscriptionRepository

EXPORTED_COMMENT_FIELDS = (
    "id",
    "article_slug",
    "name",
    "email",
    "website",
    "message",
    "parent_id",
    "status",
    "created_at",
    "edited_at",
    "notifications",
)
EXPORTED_SUBSCRIPTION_FIELDS = ("article_slug", "email", "status", "scope", "created_at", "confirmed_at")


class PageFields(BaseModel):
    """A page's form (url-encoded: lists of values) or the same as JSON: one value a field."""

    model_config = ConfigDict(extra="ignore", str_max_length=2048)

    @model_validator(mode="before")
    @classmethod
    def _first_values(cls, data: object) -> object:
        if isinstance(data, dict):
            return {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in data.items()}
        return data


class DataAsk(PageFields):
    email: str = Field(default="", max_length=320, description="The address to mail a link to.")
    lang: Language | None = Field(
        default=None,
        description="The language of the email and its page; else the browser's (Accept-Language).",
    )


class DataAction(PageFields):
    action: Literal["download", "erase_comments", "end_subscriptions", ""] = Field(
        default="", description="What to do with everything stored for the reader."
    )
    confirm: Literal["yes", ""] = Field(default="", description="`yes`: deleting is confirmed.")


@dataclass(frozen=True)
class ReaderData:
    """What the data page needs."""

    items: ReaderItems
    comments: CommentRepository
    subscriptions: SubscriptionRepository


def request_link(
    email: str,
    client_address: str,
    api_url: str | None,
    limits: RateLimits,
    queue: NotificationQueue,
    settings: Settings,
    lang: Language = DEFAULT_LANGUAGE,
) -> None:
    """Count the request against the address's and the email's hourly limits, then queue it."""
    now = utc_now()
    subjects = [
        f"data:address:{tokens.keyed_hash('client-address', client_address)}",
        f"data:email:{reader_tokens.reader_key(email)}",
    ]
    wait = limits.hit([(subject, settings.data_requests_per_hour, 3600) for subject in subjects], now)
    if wait is not None:
        raise RateLimited("too many requests for this address; please try again later", wait)
    queue.send(DataRequest(to=email, requested_at=now, api_url=api_url, lang=lang))


def reader_of(signed: str) -> str:
    """The reader key the link was made for, or InvalidToken / ExpiredToken."""
    return reader_tokens.verify_my_data(tokens.signing_secret(), signed)


def everything(reader_key: str, data: ReaderData) -> tuple[list[Comment], list[Subscription]]:
    return data.items.everything(reader_key)


def export(reader_key: str, data: ReaderData) -> dict[str, Any]:
    """Everything stored for the reader, as a JSON document."""
    comments, subscriptions = everything(reader_key, data)
    return {
        "exported_at": utc_now().isoformat(),
        "comments": [c.model_dump(mode="json", include=set(EXPORTED_COMMENT_FIELDS)) for c in comments],
        "subscriptions": [
            s.model_dump(mode="json", include=set(EXPORTED_SUBSCRIPTION_FIELDS)) for s in subscriptions
        ],
    }


def erase_comments(comments: list[Comment], data: ReaderData) -> int:
    """Delete each of the reader's comments (counts stay exact; a once-public comment with replies
    leaves a tombstone with no name, email or message). Returns how many went."""
    erased = 0
    for listed in comments:
        try:
            data.comments.delete(data.comments.get(listed.id))
            erased += 1
        except NotFound:
            continue
        except ConcurrentChange:  # moderated meanwhile: read it again, once
            data.comments.delete(data.comments.get(listed.id))
            erased += 1
    logger.info("a reader erased their comments", extra={"erased": erased})
    return erased


def end_subscriptions(subscriptions: list[Subscription], data: ReaderData) -> int:
    """Forget each of the reader's subscriptions. Returns how many went."""
    for subscription in subscriptions:
        data.subscriptions.remove(subscription)
    logger.info("a reader ended their subscriptions", extra={"ended": len(subscriptions)})
    return len(subscriptions)
