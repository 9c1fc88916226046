"""POST /api/comments: accept a comment from the page's form or the widget, and hold it for moderation.
POST /api/comments/preview: the HTML a comment would be shown with (the same validation and renderer)."""

from parley import cold_start  # first: no garbage collection while the function loads

# isort: split
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer
from aws_lambda_powertools.utilities.typing import LambdaContext

from parley import api, redirects
from parley.api_answers import MessagePreview, SubmissionAccepted
from parley.client_address import client_address
from parley.models import CommentSubmission
from parley.observability import logger, metrics
from parley.settings import get_settings
from parley.sqs import NotificationQueue
from parley.storage.comments import CommentRepository
from parley.storage.idempotency import idempotency_store
from parley.storage.limits import RateLimits
from parley.storage.subscriptions import SubscriptionRepository
from parley.submission import Intake, Reader, hold_for_moderation, preview

app = api.create_resolver(redirect_form_posts=True)
api.answer_duplicates_in_flight(app)
settings = get_settings()
intake = Intake(
    comments=CommentRepository(),
    subscriptions=SubscriptionRepository(),
    queue=NotificationQueue(),
    limits=RateLimits(),
    settings=settings,
)
# A double click or a resubmitted form stores one comment and gets the first answer again.
duplicates = IdempotencyConfig(
    event_key_jmespath="[article_slug, email, message]",
    expires_after_seconds=settings.duplicate_window_seconds,
)
accept = idempotent_function(
    data_keyword_argument="submission",
    persistence_store=idempotency_store(),
    config=duplicates,
    output_serializer=PydanticSerializer(model=SubmissionAccepted),
)(hold_for_moderation)


@app.post(
    "/api/comments",
    summary="Submit a comment",
    description=(
        "Takes JSON or the page's form (application/x-www-form-urlencoded). The comment is held for "
        "moderation. A form post is answered with 303 See Other back to the article."
    ),
    responses={
        202: {
            "description": "Accepted and awaiting moderation.",
            "content": {"application/json": {"model": SubmissionAccepted}},
        },
        303: {
            "description": "A form post: back to the article, the outcome in the query string.",
            "headers": {
                "Location": {
                    "description": "The article, with ?comment=pending|invalid|rate_limited.",
                    "schema": {"type": "string"},
                }
            },
            "content": {"text/plain": {"schema": {"type": "string"}}},
        },
        **api.ERROR_RESPONSES,
        409: api.error_document("The same comment is being saved right now (a double click)."),
        429: api.error_document("Too many comments from this address or email; see Retry-After."),
    },
)
def submit_comment(submission: Annotated[CommentSubmission, Body()]) -> Response[str]:
    event = app.current_event
    reader = Reader(client_address(event), event.request_context.http.user_agent, api.api_url_of(event))
    accepted: SubmissionAccepted = accept(submission=submission, reader=reader, intake=intake)
    metrics.add_metric(name="CommentsSubmitted", unit=MetricUnit.Count, value=1)
    if redirects.is_form_post(event):
        return redirects.redirect_to_article(
            event, submission.article_slug, comment="pending", id=accepted.id
        )
    return Response(202, content_types.APPLICATION_JSON, accepted.model_dump_json())


@app.post(
    "/api/comments/preview",
    summary="Preview a comment's HTML",
    description=(
        "Takes the same body as a submission (JSON or a url-encoded form) and validates it the same way; "
        "answers the `message_html` the comment would be stored and shown with. Nothing is stored."
    ),
    responses={
        200: {
            "description": "The rendered message.",
            "content": {"application/json": {"model": MessagePreview}},
        },
        **api.ERROR_RESPONSES,
        429: api.error_document("Too many previews from this address; see Retry-After."),
    },
)
def preview_comment(submission: Annotated[CommentSubmission, Body()]) -> MessagePreview:
    event = app.current_event
    reader = Reader(event.request_context.http.source_ip, event.request_context.http.user_agent)
    rendered = preview(submission, reader, intake)
    metrics.add_metric(name="CommentsPreviewed", unit=MetricUnit.Count, value=1)
    return rendered


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    duplicates.register_lambda_context(context)
    return api.resolve(app, event, context)


cold_start.ready()
