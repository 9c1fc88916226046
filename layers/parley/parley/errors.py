"""Domain errors. Each carries its HTTP status and a stable code; parley.api maps them to responses."""

from http import HTTPStatus


class ParleyError(Exception):
    """Base of every error a caller may see: a code, a human message, and the field at fault."""

    status: HTTPStatus = HTTPStatus.BAD_REQUEST
    code: str = "bad_request"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidField(ParleyError):
    """A field that is well-formed but names something it may not (a reply to no published comment)."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY
    code = "validation_failed"

    def __init__(self, message: str, field: str) -> None:
        super().__init__(f"{field}: {message}", field)
        self.detail = message


class InvalidCursor(ParleyError):
    code = "invalid_cursor"


class PayloadTooLarge(ParleyError):
    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    code = "payload_too_large"


class UnsupportedMediaType(ParleyError):
    status = HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    code = "unsupported_media_type"


class NotFound(ParleyError):
    status = HTTPStatus.NOT_FOUND
    code = "not_found"


class InvalidTransition(ParleyError):
    status = HTTPStatus.CONFLICT
    code = "invalid_transition"


class ConcurrentChange(InvalidTransition):
    """A conditional write lost to someone else's change: read again and decide afresh."""


class RateLimited(ParleyError):
    status = HTTPStatus.TOO_MANY_REQUESTS
    code = "rate_limited"

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class Unauthorized(ParleyError):
    """No credentials where a route needs them (an `Authorization: Bearer` token)."""

    status = HTTPStatus.UNAUTHORIZED
    code = "unauthorized"


class Forbidden(ParleyError):
    """Credentials that do not allow this: forged, for another purpose, or for something else."""

    status = HTTPStatus.FORBIDDEN
    code = "forbidden"


class Gone(ParleyError):
    """Credentials that allowed this once: their window has closed."""

    status = HTTPStatus.GONE
    code = "window_closed"
