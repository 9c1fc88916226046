"""What goes on the notification queue. The sender (SendNotificationsFunction) reads these."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, TypeAdapter


class FollowUpJob(BaseModel):
    """A comment was approved: its article's confirmed subscribers (but its author) get an email."""

    kind: Literal["follow_up"] = "follow_up"
    comment_id: str
    article_slug: str
    approved_at: datetime


class ModeratorAlert(BaseModel):
    """A new comment awaits review: the configured moderator gets an email with the commands to act."""

    kind: Literal["moderator_alert"] = "moderator_alert"
    to: str
    comment_id: str
    article_slug: str
    name: str
    website: str | None
    message: str
    created_at: datetime
    commands: list[str] = Field(description="Exact `parley moderate` commands for this comment.")


NotificationMessage = Annotated[FollowUpJob | ModeratorAlert, Field(discriminator="kind")]
notification_message: TypeAdapter[FollowUpJob | ModeratorAlert] = TypeAdapter(NotificationMessage)
