"""A reader's own words and data: PUT|DELETE /api/comments/{comment_id} with the comment's edit token,
GET|POST /api/me (ask for a link by email), GET|POST /api/me/data (the link's page)."""

from parley import cold_start  # first: no garbage collection while the function loads

# isort: split
import json
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import TypeAdapter, ValidationError

from parley import api, my_data, my_data_pages, own_comments
from parley.api_answers import EditAccepted, ErrorResponse
from parley.catalogs import Language, Texts
from parley.errors import RateLimited
from parley.models import COMMENT_ID_PATTERN, Email
from parley.my_data import DataAction, DataAsk
from parley.observability import logger
from parley.own_comments import CommentEdit
from parley.pages import readers_language, vary_by_language
from parley.settings import get_settings
from parley.sqs import NotificationQueue
from parley.storage.comments import CommentRepository
from parley.storage.limits import RateLimits
from parley.storage.reader_items import ReaderItems
from parley.storage.subscriptions import SubscriptionRepository
from parley.tokens import ExpiredToken, InvalidToken

app = api.create_resolver()
app.use([vary_by_language])
settings = get_settings()
comments = CommentRepository()
queue = NotificationQueue()
limits = RateLimits()
data = my_data.ReaderData(ReaderItems(), comments, SubscriptionRepository())
email_address: TypeAdapter[str] = TypeAdapter(Email)
CommentIdPath = Annotated[str, Path(pattern=COMMENT_ID_PATTERN, description="The comment's id.")]
Authorization = Annotated[
    str | None,
    Header(
        max_length=2048,
        description="`Bearer <edit_token>`: the token the comment's submission answered with.",
    ),
]
Token = Annotated[str | None, Query(max_length=2048, description="The signed token from the emailed link.")]
Lang = Annotated[
    Language | None,
    Query(
        description="The page's language (one of en, de, fr, es, pt-BR, ja); else the browser's (Accept-Language)."
    ),
]
HTML_PAGE: OpenAPIResponse = {
    "description": "An HTML page.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}
TOKEN_ERRORS: dict[int, OpenAPIResponse] = {
    401: api.error_document("No `Authorization: Bearer <edit_token>` header."),
    403: api.error_document("The token is forged, for another purpose, or for another comment."),
    404: api.error_document("No such comment (or it was deleted)."),
    409: api.error_document("A moderator changed the comment at the same moment; try again."),
    410: api.error_document("The edit window (EditWindowMinutes) has closed."),
}
PAGE_RESPONSES: dict[int, OpenAPIResponse] = {
    **api.ERROR_RESPONSES,
    **{status: HTML_PAGE for status in (200, 403, 410, 429)},
    422: {
        "description": "An invalid email address (the form's page, naming it), or a malformed request (JSON).",
        "content": {
            "text/html": {"schema": {"type": "string"}},
            "application/json": {"model": ErrorResponse},
        },
    },
}


@app.put(
    "/api/comments/<comment_id>",
    summary="Edit one's own comment within the edit window",
    description="The new text is held for moderation: an approved comment leaves the listing until approved again.",
    responses={
        200: {
            "description": "Saved; awaiting moderation.",
            "content": {"application/json": {"model": EditAccepted}},
        },
        **api.ERROR_RESPONSES,
        **TOKEN_ERRORS,
    },
)
def edit_comment(
    comment_id: CommentIdPath, change: Annotated[CommentEdit, Body()], authorization: Authorization = None
) -> Response[str]:
    accepted = own_comments.edit(comment_id, authorization, change, comments, queue, settings)
    return Response(HTTPStatus.OK, content_types.APPLICATION_JSON, accepted.model_dump_json())


@app.delete(
    "/api/comments/<comment_id>",
    summary="Delete one's own comment within the edit window",
    description="A comment that was public and has public replies stays as their placeholder.",
    responses={204: {"description": "Deleted."}, **api.ERROR_RESPONSES, **TOKEN_ERRORS},
)
def delete_comment(comment_id: CommentIdPath, authorization: Authorization = None) -> Response[str]:
    own_comments.delete(comment_id, authorization, comments, settings)
    return Response(HTTPStatus.NO_CONTENT, content_types.APPLICATION_JSON, "")


@app.get(
    "/api/me",
    summary="The form to ask for one's own data",
    responses={200: HTML_PAGE, 422: api.error_document("`lang` is not one of the six languages.")},
)
def ask_page(lang: Lang = None) -> Response[str]:
    return my_data_pages.request_page(readers_language(app.current_event, lang))


@app.post(
    "/api/me",
    summary="Email a link to one's own data (the same answer whatever is stored)",
    responses=PAGE_RESPONSES,
)
def ask(fields: Annotated[DataAsk, Body()]) -> Response[str]:
    lang = readers_language(app.current_event, fields.lang)
    say = Texts(lang, "myData")
    try:
        email = email_address.validate_python(fields.email)
    except ValidationError:
        return my_data_pages.request_page(lang, say("emailInvalid"), HTTPStatus.UNPROCESSABLE_ENTITY)
    event = app.current_event
    try:
        my_data.request_link(
            email, event.request_context.http.source_ip, api.api_url_of(event), limits, queue, settings, lang
        )
    except RateLimited as limited:
        page = my_data_pages.refusal_page(
            HTTPStatus.TOO_MANY_REQUESTS, say("tooManyTitle"), say("tooManyText"), lang
        )
        page.headers["Retry-After"] = str(limited.retry_after_seconds)
        return page
    return my_data_pages.requested_page(lang)


class Refused(Exception):
    def __init__(self, page: Response[str]) -> None:
        self.page = page


def reader(token: str | None, lang: Language) -> str:
    say = Texts(lang, "pages")
    try:
        return my_data.reader_of(token or "")
    except ExpiredToken as error:
        raise Refused(
            my_data_pages.refusal_page(HTTPStatus.GONE, say("linkExpired"), say("linkExpired"), lang)
        ) from error
    except InvalidToken as error:
        raise Refused(
            my_data_pages.refusal_page(HTTPStatus.FORBIDDEN, say("linkBroken"), say("linkInvalid"), lang)
        ) from error


@app.get(
    "/api/me/data", summary="One's comments and subscriptions (changes nothing)", responses=PAGE_RESPONSES
)
def data_page(token: Token = None, lang: Lang = None) -> Response[str]:
    lang = readers_language(app.current_event, lang)
    try:
        key = reader(token, lang)
    except Refused as refused:
        return refused.page
    return my_data_pages.data_page(*my_data.everything(key, data), lang)


@app.post(
    "/api/me/data",
    summary="Download, delete all comments, or end all subscriptions (`action`; `confirm=yes` to delete)",
    responses={
        **PAGE_RESPONSES,
        200: {
            "description": "The page, or with action=download the JSON document.",
            "content": {
                "text/html": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        },
    },
)
def act_on_data(
    fields: Annotated[DataAction, Body()], token: Token = None, lang: Lang = None
) -> Response[str]:
    lang = readers_language(app.current_event, lang)
    try:
        key = reader(token, lang)
    except Refused as refused:
        return refused.page
    action, confirmed = fields.action, fields.confirm == "yes"
    if action == "download":
        return Response(
            HTTPStatus.OK,
            content_types.APPLICATION_JSON,
            json.dumps(my_data.export(key, data), indent=2),
            headers={
                "Content-Disposition": 'attachment; filename="my-comments.json"',
                "Cache-Control": "no-store",
            },
        )
    own, subscribed = my_data.everything(key, data)
    say = Texts(lang, "myData")
    if action in ("erase_comments", "end_subscriptions") and not confirmed:
        notice = say("notConfirmed")
    elif action == "erase_comments":
        notice, own = say.plural("erased", my_data.erase_comments(own, data)), []
    elif action == "end_subscriptions":
        notice, subscribed = say.plural("ended", my_data.end_subscriptions(subscribed, data)), []
    else:
        notice = say("noAction")
    return my_data_pages.data_page(own, subscribed, lang, notice=notice)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return api.resolve(app, event, context)


cold_start.ready()
