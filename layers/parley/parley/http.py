"""HTTP plumbing shared by the API functions: one resolver factory and one place mapping errors.

Every error leaves as `{"error": {"code", "message", "field", "errors": [{"field", "message"}]}}`.
A form post (the page with JavaScript off) gets a 303 back to its article instead, with the
outcome in the query string, and only ever to an allowed site origin.
"""

import base64
import binascii
import re
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import ResponseBuilder
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError
from aws_lambda_powertools.utilities.typing import LambdaContext

from parley.errors import ParleyError, PayloadTooLarge, RateLimited, UnsupportedMediaType
from parley.models import SLUG_PATTERN, ErrorDetail, ErrorResponse, FieldError
from parley.observability import logger, metrics
from parley.settings import Settings, get_settings, origin_of

MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 32
_JSON_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
ACCEPTED_BODY_TYPES = (content_types.APPLICATION_JSON, FORM)


def error_document(description: str) -> OpenAPIResponse:
    return {"description": description, "content": {"application/json": {"model": ErrorResponse}}}


ERROR_RESPONSES: dict[int, OpenAPIResponse] = {
    400: error_document(
        "A malformed request: a tampered cursor, a body that is not UTF-8 or nests too deep."
    ),
    413: error_document("The body is over 64 KB."),
    415: error_document("A content type other than JSON or a url-encoded form."),
    422: error_document("A field is missing or invalid; `field` names it."),
}


def create_resolver(redirect_form_posts: bool = False) -> APIGatewayHttpResolver:
    """The API resolver every HTTP function uses: validation on, CORS for the site's origins only.

    With `redirect_form_posts` (the comment form's route), a form post that fails is answered with a
    303 back to its article, the outcome in the query string, rather than with JSON."""
    settings = get_settings()
    origins = settings.origins
    app = APIGatewayHttpResolver(
        enable_validation=True,
        cors=CORSConfig(
            allow_origin=origins[0],
            extra_origins=origins[1:],
            allow_headers=["Content-Type"],
            max_age=600,
        ),
    )

    @app.exception_handler(RateLimited)
    def handle_rate_limited(error: RateLimited) -> Response[str]:
        metrics.add_metric(name="SubmissionsRateLimited", unit=MetricUnit.Count, value=1)
        event = app.current_event
        if redirect_form_posts and is_form_post(event):
            return redirect_to_article(
                event, _form_slug(event), comment="rate_limited", retry_after=str(error.retry_after_seconds)
            )
        response = domain_error_response(error)
        response.headers["Retry-After"] = str(error.retry_after_seconds)
        return response

    @app.exception_handler(IdempotencyAlreadyInProgressError)
    def handle_duplicate_in_flight(_: IdempotencyAlreadyInProgressError) -> Response[str]:
        event = app.current_event
        if redirect_form_posts and is_form_post(event):
            return redirect_to_article(event, _form_slug(event), comment="pending")
        return error_response(
            HTTPStatus.CONFLICT, "duplicate_in_progress", "this comment is being saved already"
        )

    @app.exception_handler(ParleyError)
    def handle_domain_error(error: ParleyError) -> Response[str]:
        return domain_error_response(error)

    @app.exception_handler(RequestUnsupportedContentType)
    def handle_media_type(_: RequestUnsupportedContentType) -> Response[str]:
        return domain_error_response(unsupported_media_type(ACCEPTED_BODY_TYPES))

    @app.exception_handler(RequestValidationError)
    def handle_invalid_request(error: RequestValidationError) -> Response[str]:
        event = app.current_event
        field_errors = [_field_error(detail) for detail in error.errors()]
        if redirect_form_posts:
            metrics.add_metric(name="SubmissionsRejected", unit=MetricUnit.Count, value=1)
        if redirect_form_posts and is_form_post(event):
            return redirect_to_article(
                event,
                _form_slug(event),
                comment="invalid",
                fields=",".join(e.field or "body" for e in field_errors),
            )
        first = field_errors[0]
        return error_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "validation_failed",
            _summary(field_errors),
            first.field,
            field_errors,
        )

    @app.not_found
    def handle_unknown_route(_: Exception) -> Response[str]:
        return error_response(HTTPStatus.NOT_FOUND, "not_found", "no such route")

    @app.exception_handler(Exception)
    def handle_unexpected(error: Exception) -> Response[str]:
        logger.exception("unexpected error")
        return error_response(
            HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", "something went wrong on our side"
        )

    return app


def resolve(
    app: APIGatewayHttpResolver,
    event: dict[str, Any],
    context: LambdaContext,
    accepted_types: tuple[str, ...] = ACCEPTED_BODY_TYPES,
) -> dict[str, Any]:
    """Refuse bodies that are too large, of another type, or not UTF-8, then let the resolver route."""
    problem = body_problem(APIGatewayProxyEventV2(event), accepted_types)
    if problem is not None:
        response = domain_error_response(problem)
        built: dict[str, Any] = ResponseBuilder(response).build(APIGatewayProxyEventV2(event))  # type: ignore[arg-type]
        return built
    resolved: dict[str, Any] = app.resolve(event, context)
    return resolved


def body_problem(event: APIGatewayProxyEventV2, accepted_types: tuple[str, ...]) -> ParleyError | None:
    raw = event.body or ""
    if event.is_base64_encoded:
        try:
            body = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            return ParleyError("body is not valid base64", field="body")
    else:
        body = raw.encode("utf-8", "surrogatepass")
    if len(body) > MAX_BODY_BYTES:
        return PayloadTooLarge(f"body is larger than {MAX_BODY_BYTES // 1024} KB", field="body")
    if not body:
        return None
    if _media_type(event) not in accepted_types:
        return unsupported_media_type(accepted_types)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return ParleyError("body is not valid UTF-8", field="body")
    if _media_type(event) == content_types.APPLICATION_JSON and _nesting_depth(text) > MAX_JSON_DEPTH:
        return ParleyError(f"body nests deeper than {MAX_JSON_DEPTH} levels", field="body")
    return None


def unsupported_media_type(accepted_types: tuple[str, ...]) -> UnsupportedMediaType:
    return UnsupportedMediaType(f"send {' or '.join(accepted_types)}", field="content-type")


def _nesting_depth(text: str) -> int:
    """How deep JSON arrays and objects nest (brackets inside strings do not count)."""
    depth = deepest = 0
    for piece in _JSON_STRUCTURE.findall(text):
        if piece in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif piece in "]}":
            depth -= 1
    return deepest


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    errors: Sequence[FieldError] = (),
) -> Response[str]:
    detail = ErrorDetail(code=code, message=message, field=field, errors=list(errors))
    return Response(
        status_code=int(status),
        content_type=content_types.APPLICATION_JSON,
        body=ErrorResponse(error=detail).model_dump_json(),
    )


def domain_error_response(error: ParleyError) -> Response[str]:
    return error_response(error.status, error.code, error.message, error.field)


def is_form_post(event: APIGatewayProxyEventV2) -> bool:
    return event.request_context.http.method == "POST" and _media_type(event) == FORM


def redirect_to_article(event: APIGatewayProxyEventV2, slug: str | None, **outcome: str) -> Response[str]:
    """303 back to the page the form was on (when it is on an allowed origin) or to the article's URL."""
    location = article_url(get_settings(), event.headers.get("referer"), slug)
    query = urlencode(outcome)
    return Response(
        status_code=HTTPStatus.SEE_OTHER,
        headers={"Location": f"{location}?{query}#comments"},
        content_type=content_types.TEXT_PLAIN,
        body="See Other",
    )


def article_url(settings: Settings, referer: str | None, slug: str | None) -> str:
    """The page the form was on when the Referer names one on an allowed origin; else the article's URL.

    A bare origin (what browsers send across origins by default) names no page, so it is not used."""
    if referer and origin_of(referer) in settings.origins:
        path = urlsplit(referer).path
        if path not in ("", "/"):
            return origin_of(referer) + quote(path, safe="/%-._~!$&'()*+,;=:@")
    site = settings.site_url
    if slug is None:
        return site + "/"
    return site + quote(settings.article_path.format(slug=slug), safe="/%-._~")


def _media_type(event: APIGatewayProxyEventV2) -> str:
    return (event.headers.get("content-type") or "").split(";", 1)[0].strip().lower()


def _form_slug(event: APIGatewayProxyEventV2) -> str | None:
    slugs = parse_qs(event.decoded_body or "").get("article_slug", [])
    return slugs[0] if slugs and re.fullmatch(SLUG_PATTERN, slugs[0]) else None


def _field_error(detail: dict[str, Any]) -> FieldError:
    location = [
        str(part) for part in detail.get("loc", ()) if part not in ("body", "query", "path", "header")
    ]
    field = location[0] if location and not location[0].isdigit() else None
    if detail.get("type") == "json_invalid":
        return FieldError(field=None, message="body is not valid JSON")
    message = str(detail.get("msg", "is not valid")).removeprefix("Value error, ")
    return FieldError(field=field, message=message)


def _summary(errors: list[FieldError]) -> str:
    return "; ".join(f"{error.field}: {error.message}" if error.field else error.message for error in errors)
