"""What crosses the API and what is stored, as pydantic models."""

import hashlib
import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from parley.catalogs import Language
from parley.validators import blank_to_none

SLUG_PATTERN = r"^[a-z0-9-]{1,200}$"
COMMENT_ID_PATTERN = r"^[0-9a-f]{32}$"

# The WHATWG definition of a valid e-mail address: what the page's <input type="email"> accepts.
_EMAIL = re.compile(
    r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029]")
# Bidirectional overrides, embeddings and isolates: they make text read differently than it is stored.
_BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Invisible characters that hide in names (zero-width space, word joiner, BOM).
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff]")
HONEYPOT_FIELD = "homepage"


class CommentStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SPAM = "spam"
    DELETED = "deleted"  # a tombstone kept in place of a once-public comment: replies may hang on it


REMOVED = frozenset({CommentStatus.REJECTED, CommentStatus.SPAM, CommentStatus.DELETED})
# Not public, yet a once-public comment in one of these keeps its replies' place (pending: edited).
HIDDEN = REMOVED | {CommentStatus.PENDING}


class SubscriptionStatus(StrEnum):
    UNCONFIRMED = "unconfirmed"
    CONFIRMED = "confirmed"
    UNSUBSCRIBED = "unsubscribed"


def _single_line(value: str) -> str:
    """For values that reach email headers and log lines: one line, no control or direction characters."""
    if _LINE_BREAK.search(value) or _CONTROL.search(value):
        raise ValueError("must be a single line without control characters")
    if _BIDI_CONTROL.search(value):
        raise ValueError("must not contain text-direction control characters")
    cleaned = _INVISIBLE.sub("", value).strip()
    if not cleaned:
        raise ValueError("must not be empty")
    return cleaned


def _no_control_characters(value: str) -> str:
    """Line breaks (as forms send them, CRLF) become \n; other control and direction characters are refused."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(lines):
        raise ValueError("must not contain control characters")
    if _BIDI_CONTROL.search(lines):
        raise ValueError("must not contain text-direction control characters")
    return lines


def loggable(value: str, limit: int) -> str:
    """A header- and log-safe rendering of an untrusted value (a user agent): controls dropped, cut to `limit`."""
    return _BIDI_CONTROL.sub("", _CONTROL.sub("", _LINE_BREAK.sub(" ", value)))[:limit]


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise ValueError("must be a valid email address, such as you@example.com")
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or re.search(r"\s", value):
        raise ValueError("must be an http:// or https:// address")
    return value


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
CommentId = Annotated[str, StringConstraints(pattern=COMMENT_ID_PATTERN)]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), AfterValidator(_single_line)
]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=254), AfterValidator(_email)
]
Website = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_http_url)]
Message = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=10, max_length=5000),
    AfterValidator(_no_control_characters),
]
Category = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=100), AfterValidator(_single_line)
]


class CommentSubmission(BaseModel):
    """A new comment, as the page's form (or the widget) sends it."""

    model_config = ConfigDict(extra="ignore", str_max_length=10_000, defer_build=True)

    article_slug: Slug = Field(description="The article's slug: lowercase letters, digits and hyphens.")
    article_category: Annotated[Category | None, BeforeValidator(blank_to_none)] = None
    name: Name = Field(description="Shown with the comment.")
    email: Email = Field(description="Never published; used for moderation and follow-up emails.")
    website: Annotated[Website | None, BeforeValidator(blank_to_none)] = None
    message: Message = Field(description="Plain text, 10 to 5,000 characters.")
    notifications: bool = Field(default=False, description="Subscribe to follow-up comments by email.")
    parent_id: Annotated[CommentId | None, BeforeValidator(blank_to_none)] = None
    lang: Annotated[Language | None, BeforeValidator(blank_to_none)] = Field(
        default=None, description="The reader's language: later emails and pages for them use it."
    )
    homepage: str | None = Field(
        default=None,
        max_length=500,
        description="A honeypot the widget adds, hidden from people: anything in it marks the comment as spam.",
    )

    @model_validator(mode="before")
    @classmethod
    def _form_fields_as_values(cls, data: object) -> object:
        """A url-encoded form arrives as lists of values; a field sent once is that one value."""
        if isinstance(data, dict):
            return {
                name: value[0]
                if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str)
                else value
                for name, value in data.items()
            }
        return data


class Comment(BaseModel):
    """A stored comment, with everything moderation needs."""

    id: str
    article_slug: str
    article_category: str | None = None
    name: str
    email: str
    website: str | None = None
    message: str
    message_html: str | None = None  # rendered when approved (parley.rendering); None until then
    parent_id: str | None = None
    root_id: str | None = None  # a reply's thread: the top-level comment it is under (None: top-level)
    status: CommentStatus = CommentStatus.PENDING
    created_at: datetime
    notifications: bool = False
    was_approved: bool = False  # once public, a removed comment may stand as a placeholder for replies
    holds_thread: bool = False  # a removed top-level comment kept listed because it had public replies
    # A top-level comment: whether a reply of its thread was ever approved, so the listing reads its
    # thread only then. None: not known (stored before the flag, or imported), so always read.
    has_replies: bool | None = None
    client_hash: str | None = None
    user_agent: str | None = None
    moderated_by: str | None = None
    moderated_at: datetime | None = None
    previous_status: CommentStatus | None = None
    api_url: str | None = None  # the API address that took it: the base of the links its emails carry
    lang: Language | None = None  # the reader's language, for the emails they get
    reader_key: str | None = None  # the keyed hash of its email: finds a reader's own comments (GSI4)
    edited_at: datetime | None = None  # when its author last edited it
    avatar: str | None = None  # parley.avatars: a keyed hash of the commenter, public


class PublishedComment(BaseModel):
    """What an approved comment shows anyone: never an email address."""

    id: str
    name: str
    website: str | None = None
    created_at: datetime
    parent_id: str | None = None
    message: str
    message_html: str | None = None  # as rendered when approved; None on a comment stored before Markdown
    avatar: str | None = Field(
        default=None,
        description="A keyed hash of the commenter (never of a plain address) to draw an identicon from: "
        "the same for the same commenter on every article.",
    )


class FeedEntry(PublishedComment):
    """An approved comment as the feeds' indexes hold it: published fields and its article."""

    article_slug: str


class ThreadEntry(PublishedComment):
    """A comment of a thread as its index holds it: published fields and whether it is still public."""

    status: CommentStatus = CommentStatus.APPROVED


SubscriptionScope = Literal["all", "replies"]  # every new comment, or only replies to one's own


class Subscription(BaseModel):
    """One address's follow-ups for one article. Nothing but the one confirmation is sent until confirmed."""

    article_slug: str
    email: str
    email_hash: str
    status: SubscriptionStatus
    created_at: datetime
    confirmation_sent_at: datetime | None = None
    confirmed_at: datetime | None = None
    unsubscribed_at: datetime | None = None
    scope: SubscriptionScope = "all"
    lang: Language | None = None  # the subscriber's language, for their emails and pages


def utc_now() -> datetime:
    return datetime.now(UTC)


def email_hash(email: str) -> str:
    """A subscriber's key: the same for any capitalisation of the address."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
