"""What the public API answers besides listings: acceptances of writes, previews, and errors (never
an email)."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from parley.models import CommentStatus

# Built on first use: each function needs only some of these (errors are rare), none holds a datetime
# (freezegun in the tests swaps datetime out).
DEFERRED = ConfigDict(defer_build=True)


class SubmissionAccepted(BaseModel):
    # Built at import: it holds a datetime (edit_until), see DEFERRED.
    id: str
    status: Literal[CommentStatus.PENDING] = CommentStatus.PENDING
    message: str = "Thank you! Your comment is awaiting moderation."
    edit_token: str | None = Field(
        default=None,
        description="For PUT and DELETE /api/comments/{id} as `Authorization: Bearer <token>`, "
        "while the edit window lasts (EditWindowMinutes).",
    )
    edit_until: datetime | None = Field(default=None, description="When the edit token stops working.")


class EditAccepted(BaseModel):
    id: str
    status: Literal[CommentStatus.PENDING] = CommentStatus.PENDING
    message: str = "Your edit is awaiting moderation."


class MessagePreview(BaseModel):
    message_html: str = Field(description="Exactly the HTML the comment would be stored and shown with.")


class FieldError(BaseModel):
    model_config = DEFERRED

    field: str | None
    message: str


class ErrorDetail(BaseModel):
    model_config = DEFERRED

    code: str
    message: str
    field: str | None = None
    errors: list[FieldError] = Field(default=[])


class ErrorResponse(BaseModel):
    model_config = DEFERRED

    error: ErrorDetail
