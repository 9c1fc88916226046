"""What goes on the notification queue. The sender (SendNotificationsFunction) reads these, by `kind`."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, TypeAdapter

from parley.catalogs import DEFAULT_LANGUAGE, Language

# The API address that took the request which caused the message: the base of its email's links.
ApiUrl = Annotated[str | None, Field(description="The API address that took the request (for links).")]


class FollowUpJob(BaseModel):
    """A comment was approved: its article's confirmed subscribers (but its author) get an email.

    The sender expands one page of subscribers at a time and queues the job again for the rest, so
    the queue never holds more than a page of emails for it, however many subscribers there are."""

    kind: Literal["follow_up"] = "follow_up"
    comment_id: str
    article_slug: str
    approved_at: datetime
    after: str | None = Field(default=None, description="The email hash the next page starts after.")


class ModeratorAlert(BaseModel):
    """A new comment awaits review (or was held as spam): one moderator hears of it, alone in an alert
    or collected into the next digest (`parley.alert_digest`)."""

    kind: Literal["moderator_alert"] = "moderator_alert"
    to: str
    comment_id: str
    article_slug: str
    name: str
    website: str | None
    message: str
    created_at: datetime
    commands: list[str] = Field(description="Exact `parley moderate` commands for this comment.")
    api_url: ApiUrl = None
    spam: bool = Field(default=False, description="Held as spam: counted in the next digest, never listed.")


class ModeratorDigest(BaseModel):
    """The comments collected for one moderator since their last alert, due when their slot opens."""

    kind: Literal["moderator_digest"] = "moderator_digest"
    to: str
    api_url: ApiUrl = None


class SubscriptionConfirmation(BaseModel):
    """Someone ticked "notify me": the one email an unconfirmed address may receive."""

    kind: Literal["subscription_confirmation"] = "subscription_confirmation"
    to: str
    article_slug: str
    email_hash: str
    requested_at: datetime
    api_url: ApiUrl = None
    lang: Language = DEFAULT_LANGUAGE


class FollowUpEmail(BaseModel):
    """One subscriber's email about one approved comment (a FollowUpJob expands into these)."""

    kind: Literal["follow_up_email"] = "follow_up_email"
    to: str
    email_hash: str
    article_slug: str
    comment_id: str
    author_name: str
    message: str
    created_at: datetime
    api_url: ApiUrl = None
    lang: Language = Field(default=DEFAULT_LANGUAGE, description="The recipient's language.")


class ReplyEmail(FollowUpEmail):
    """A reply was approved: the author of the comment it answers (if they asked for emails and confirmed)
    hears of it, quoted with their own words; the generic follow-up skips them."""

    kind: Literal["reply_email"] = "reply_email"  # type: ignore[assignment]
    parent_message: str


class DataRequest(BaseModel):
    """Someone asked for "my data" for an address: the sender mails it a link if anything is stored
    for it, and nothing otherwise. Queued whatever is stored, so the request's answer and work are
    the same either way (no enumeration)."""

    kind: Literal["data_request"] = "data_request"
    to: str
    requested_at: datetime
    api_url: ApiUrl = None
    lang: Language = DEFAULT_LANGUAGE  # the language the request was made in: the email's and its page's


AnyNotification = (
    FollowUpJob
    | ModeratorAlert
    | ModeratorDigest
    | SubscriptionConfirmation
    | FollowUpEmail
    | ReplyEmail
    | DataRequest
)
NotificationMessage = Annotated[AnyNotification, Field(discriminator="kind")]
notification_message: TypeAdapter[AnyNotification] = TypeAdapter(NotificationMessage)
