"""The API functions' shared plumbing: one resolver factory and one place mapping errors.

Every error leaves as `{"error": {"code", "message", "field", "errors": [{"field", "message"}]}}`,
except a failed form post (the page with JavaScript off), which gets a 303 back to its article
(`parley.redirects`).
"""

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import ResponseBuilder
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from parley.api_answers import ErrorDetail, ErrorResponse, FieldError
from parley.errors import InvalidField, ParleyError, RateLimited
from parley.observability import logger, metrics
from parley.redirects import form_slug, is_form_post, redirect_to_article
from parley.request_guard import ACCEPTED_BODY_TYPES, body_problem, unsupported_media_type
from parley.settings import get_settings

THROTTLING_CODES = frozenset(
    {"ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded", "Throttling"}
)
BUSY_RETRY_SECONDS = 2
# The HTTP API's CorsConfiguration in template.yaml says the same (a test holds the two together):
# on AWS, API Gateway answers CORS itself; the local stack leaves it to this resolver.
CORS_ALLOW_HEADERS = ("Content-Type", "Authorization")  # Authorization: a comment's edit token
CORS_EXPOSE_HEADERS = ("Retry-After",)  # the widget tells a rate-limited reader how long to wait
CORS_MAX_AGE_SECONDS = 600
# Routes of a form-taking resolver that answer JSON whatever the body's type (never a redirect).
JSON_ANSWERING_PATHS = frozenset({"/api/comments/preview"})
EDGE_URL_STAGE_VARIABLE = "edgeUrl"  # template.yaml's HttpApi sets it to the CloudFront address


def error_document(description: str) -> OpenAPIResponse:
    return {"description": description, "content": {"application/json": {"model": ErrorResponse}}}


ERROR_RESPONSES: dict[int, OpenAPIResponse] = {
    400: error_document(
        "A malformed request: a tampered cursor, a body that is not UTF-8 or nests too deep."
    ),
    413: error_document("The body is over 64 KB."),
    415: error_document("A content type other than JSON or a url-encoded form."),
    422: error_document("A field is missing or invalid; `field` names it."),
    503: error_document("AWS is throttling us beyond our retries; try again after Retry-After seconds."),
}


def create_resolver(redirect_form_posts: bool = False) -> APIGatewayHttpResolver:
    """The API resolver every HTTP function uses: validation on, CORS for the allowed origins only.

    With `redirect_form_posts` (the comment form's route), a form post that fails is answered with a
    303 back to its article, the outcome in the query string, rather than with JSON."""
    settings = get_settings()
    origins = settings.browser_origins

    def redirecting(event: APIGatewayProxyEventV2) -> bool:
        return redirect_form_posts and is_form_post(event) and event.path not in JSON_ANSWERING_PATHS

    app = APIGatewayHttpResolver(
        enable_validation=True,
        cors=CORSConfig(
            allow_origin=origins[0],
            extra_origins=origins[1:],
            allow_headers=list(CORS_ALLOW_HEADERS),
            expose_headers=list(CORS_EXPOSE_HEADERS),
            max_age=CORS_MAX_AGE_SECONDS,
        ),
    )

    @app.exception_handler(RateLimited)
    def handle_rate_limited(error: RateLimited) -> Response[str]:
        metrics.add_metric(name="SubmissionsRateLimited", unit=MetricUnit.Count, value=1)
        event = app.current_event
        if redirecting(event):
            return redirect_to_article(
                event, form_slug(event), comment="rate_limited", retry_after=str(error.retry_after_seconds)
            )
        response = domain_error_response(error)
        response.headers["Retry-After"] = str(error.retry_after_seconds)
        return response

    @app.exception_handler(ParleyError)
    def handle_domain_error(error: ParleyError) -> Response[str]:
        return domain_error_response(error)

    @app.exception_handler(RequestUnsupportedContentType)
    def handle_media_type(_: RequestUnsupportedContentType) -> Response[str]:
        return domain_error_response(unsupported_media_type(ACCEPTED_BODY_TYPES))

    @app.exception_handler(RequestValidationError)
    def handle_invalid_request(error: RequestValidationError) -> Response[str]:
        return invalid_fields([_field_error(detail) for detail in error.errors()])

    @app.exception_handler(InvalidField)
    def handle_invalid_field(error: InvalidField) -> Response[str]:
        return invalid_fields([FieldError(field=error.field, message=error.detail)])

    def invalid_fields(field_errors: list[FieldError]) -> Response[str]:
        """422 naming each field at fault; a form post goes back to its page with the fields named."""
        event = app.current_event
        if redirect_form_posts and event.path not in JSON_ANSWERING_PATHS:
            metrics.add_metric(name="SubmissionsRejected", unit=MetricUnit.Count, value=1)
        if redirecting(event):
            return redirect_to_article(
                event,
                form_slug(event),
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
        if throttled(error):
            logger.warning("AWS throttled us beyond the client's retries", exc_info=error)
            metrics.add_metric(name="RequestsThrottled", unit=MetricUnit.Count, value=1)
            response = error_response(
                HTTPStatus.SERVICE_UNAVAILABLE, "busy", "we are busy right now; please try again in a moment"
            )
            response.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
            return response
        logger.exception("unexpected error")
        return error_response(
            HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", "something went wrong on our side"
        )

    return app


def answer_duplicates_in_flight(app: APIGatewayHttpResolver) -> None:
    """409 (a form post: back to its article) while the same submission is being saved, for the one
    function that uses Powertools idempotency over HTTP: the others need not import it."""
    from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError

    @app.exception_handler(IdempotencyAlreadyInProgressError)
    def handle_duplicate_in_flight(_: IdempotencyAlreadyInProgressError) -> Response[str]:
        event = app.current_event
        if is_form_post(event):
            return redirect_to_article(event, form_slug(event), comment="pending")
        return error_response(
            HTTPStatus.CONFLICT, "duplicate_in_progress", "this comment is being saved already"
        )


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


def throttled(error: BaseException | None) -> bool:
    """Whether AWS refused a call for its rate (also when a library wrapped that error in its own)."""
    while error is not None:
        if isinstance(error, ClientError) and error.response.get("Error", {}).get("Code") in THROTTLING_CODES:
            return True
        error = error.__cause__ or error.__context__
    return False


def api_url_of(event: APIGatewayProxyEventV2) -> str:
    """The address this request reached the API at (`https://<id>.execute-api...` or a custom domain),
    or the edge cache's in front of it (the stage variable `edgeUrl`, set when `EdgeCache` is on)."""
    edge_url = (event.stage_variables or {}).get(EDGE_URL_STAGE_VARIABLE)
    if edge_url:
        return str(edge_url).rstrip("/")
    scheme = (event.headers.get("x-forwarded-proto") or "https").split(",")[0].strip().lower()
    stage = event.request_context.stage
    base = f"{'http' if scheme == 'http' else 'https'}://{event.request_context.domain_name}"
    return base if stage in ("$default", "", None) else f"{base}/{stage}"


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
