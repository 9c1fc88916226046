"""GET /api/subscriptions/confirm, GET|POST /api/subscriptions/unsubscribe: the links in our email_content."""

from http import HTTPStatus
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from parley import api, request_guard, subscriptions
from parley.models import SubscriptionScope
from parley.observability import logger
from parley.pages import PageForm, html_page
from parley.settings import get_settings
from parley.storage.subscriptions import SubscriptionRepository
from parley.tokens import Action, ExpiredToken, InvalidToken

app = api.create_resolver()
repository = SubscriptionRepository()
settings = get_settings()
Token = Annotated[str | None, Query(max_length=2048, description="The signed token from the email's link.")]
HTML_PAGE: OpenAPIResponse = {
    "description": "An HTML page.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def refused(error: InvalidToken) -> Response[str]:
    status = HTTPStatus.GONE if isinstance(error, ExpiredToken) else HTTPStatus.BAD_REQUEST
    return html_page(status, "This link does not work", [error.message])


def confirmation_page(token: str) -> Response[str]:
    return html_page(
        HTTPStatus.OK,
        "Confirm follow-up emails?",
        ["You will get an email when a new comment appears on this article, until you unsubscribe."],
        form=PageForm(action=link_to("/api/subscriptions/confirm", token), button="Confirm follow-up emails"),
    )


def unsubscribe_page(token: str) -> Response[str]:
    return html_page(
        HTTPStatus.OK,
        "Unsubscribe from follow-up emails?",
        ["You will get no more emails about new comments on this article."],
        form=PageForm(
            action=link_to("/api/subscriptions/unsubscribe", token),
            button="Save",
            hidden={"List-Unsubscribe": "One-Click"},
            choice=(
                "keep",
                [
                    ("none", "Nothing: unsubscribe"),
                    ("replies", "Only replies to my comments"),
                    ("all", "All new comments"),
                ],
            ),
        ),
    )


PAGES = {"confirm": confirmation_page, "unsubscribe": unsubscribe_page}


def link_to(path: str, token: str) -> str:
    return f"{path}?token={quote(token, safe='')}"


def ask(action: Action, token: str | None) -> Response[str]:
    """A link opened (perhaps by a mail scanner): check it and show a button; change nothing."""
    try:
        subscriptions.check_token(action, token or "")
    except InvalidToken as error:
        return refused(error)
    return PAGES[action](token or "")


@app.get(
    "/api/subscriptions/confirm",
    summary="Ask to confirm follow-up emails (changes nothing)",
    responses={**api.ERROR_RESPONSES, 200: HTML_PAGE, 400: HTML_PAGE, 410: HTML_PAGE},
)
def confirm_page(token: Token = None) -> Response[str]:
    return ask("confirm", token)


@app.post(
    "/api/subscriptions/confirm",
    summary="Confirm follow-up emails",
    responses={**api.ERROR_RESPONSES, 200: HTML_PAGE, 400: HTML_PAGE, 410: HTML_PAGE},
)
def confirm(token: Token = None) -> Response[str]:
    try:
        subscription = subscriptions.confirm(token or "", repository)
    except InvalidToken as error:
        return refused(error)
    return html_page(
        HTTPStatus.OK,
        "You are subscribed",
        [
            "You will get an email when a new comment appears on this article. Every email has a one-click unsubscribe link."
        ],
        link=settings.article_url(subscription.article_slug),
    )


@app.get(
    "/api/subscriptions/unsubscribe",
    summary="Ask to unsubscribe (changes nothing)",
    responses={**api.ERROR_RESPONSES, 200: HTML_PAGE, 400: HTML_PAGE},
)
def ask_to_unsubscribe(token: Token = None) -> Response[str]:
    return ask("unsubscribe", token)


@app.post(
    "/api/subscriptions/unsubscribe",
    summary="Unsubscribe (RFC 8058 one-click)",
    responses={**api.ERROR_RESPONSES, 200: HTML_PAGE, 400: HTML_PAGE},
)
def unsubscribe(token: Token = None) -> Response[str]:
    """A mail client's one-click POST unsubscribes; the page's form may keep replies or everything."""
    keep = parse_qs(app.current_event.decoded_body or "").get("keep", ["none"])[0]
    try:
        slug = subscriptions.unsubscribe(token or "", repository, KEEP.get(keep))
    except InvalidToken as error:
        return refused(error)
    title, text = OUTCOMES[keep if keep in KEEP else "none"]
    return html_page(HTTPStatus.OK, title, [text], link=settings.article_url(slug))


KEEP: dict[str, SubscriptionScope] = {"replies": "replies", "all": "all"}
OUTCOMES = {
    "none": ("You are unsubscribed", "No more follow-up emails will be sent to you about this article."),
    "replies": (
        "Only replies from now on",
        "You will get an email only when someone replies to your comments.",
    ),
    "all": ("You are subscribed", "You will get an email when a new comment appears on this article."),
}


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # RFC 8058: mail clients post "List-Unsubscribe=One-Click" url-encoded or as multipart/form-data.
    return api.resolve(app, event, context, accepted_types=(request_guard.FORM, request_guard.MULTIPART))
