"""GET /api/subscriptions/confirm, GET|POST /api/subscriptions/unsubscribe: the links in our email_content."""

from parley import cold_start  # first: no garbage collection while the function loads

# isort: split
from http import HTTPStatus
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from parley import api, request_guard, subscriptions
from parley.catalogs import Language, Texts
from parley.models import SubscriptionScope
from parley.observability import logger
from parley.pages import PageForm, html_page, readers_language, vary_by_language
from parley.settings import get_settings
from parley.storage.subscriptions import SubscriptionRepository
from parley.tokens import Action, ExpiredToken, InvalidToken

app = api.create_resolver()
app.use([vary_by_language])
repository = SubscriptionRepository()
settings = get_settings()
Token = Annotated[str | None, Query(max_length=2048, description="The signed token from the email's link.")]
HTML_PAGE: OpenAPIResponse = {
    "description": "An HTML page.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def refused(error: InvalidToken, lang: Language) -> Response[str]:
    say = Texts(lang, "pages")
    status = HTTPStatus.GONE if isinstance(error, ExpiredToken) else HTTPStatus.BAD_REQUEST
    if isinstance(error, ExpiredToken):
        reason = say("linkExpired")
    elif isinstance(error, subscriptions.ConfirmationGone):
        reason = say("confirmationGone")
    else:
        reason = say("linkInvalid")
    return html_page(status, say("linkBroken"), [reason], lang=lang)


def confirmation_page(token: str, lang: Language) -> Response[str]:
    say = Texts(lang, "pages")
    return html_page(
        HTTPStatus.OK,
        say("confirmTitle"),
        [say("confirmText")],
        form=PageForm(action=link_to("/api/subscriptions/confirm", token), button=say("confirmButton")),
        lang=lang,
    )


def unsubscribe_page(token: str, lang: Language) -> Response[str]:
    say = Texts(lang, "pages")
    return html_page(
        HTTPStatus.OK,
        say("unsubscribeTitle"),
        [say("unsubscribeText")],
        form=PageForm(
            action=link_to("/api/subscriptions/unsubscribe", token),
            button=say("save"),
            hidden={"List-Unsubscribe": "One-Click"},
            choice=(
                "keep",
                [("none", say("keepNone")), ("replies", say("keepReplies")), ("all", say("keepAll"))],
            ),
            legend=say("unsubscribeChoice"),
        ),
        lang=lang,
    )


PAGES = {"confirm": confirmation_page, "unsubscribe": unsubscribe_page}


def link_to(path: str, token: str) -> str:
    return f"{path}?token={quote(token, safe='')}"


def language(action: Action, token: str | None) -> Language:
    """The subscriber's own language (chosen with their comment), for every page their links open;
    without one (a forged, expired or cut link), the browser's."""
    stored = subscriptions.language_of_link(action, token or "", repository)
    return readers_language(app.current_event, stored)


def ask(action: Action, token: str | None) -> Response[str]:
    """A link opened (perhaps by a mail scanner): check it and show a button; change nothing."""
    lang = language(action, token)
    try:
        subscriptions.check_token(action, token or "")
    except InvalidToken as error:
        return refused(error, lang)
    return PAGES[action](token or "", lang)


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
    lang = language("confirm", token)
    try:
        subscription = subscriptions.confirm(token or "", repository)
    except InvalidToken as error:
        return refused(error, lang)
    say = Texts(lang, "pages")
    return html_page(
        HTTPStatus.OK,
        say("confirmedTitle"),
        [say("confirmedText")],
        link=settings.article_url(subscription.article_slug),
        lang=lang,
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
    lang = language("unsubscribe", token)
    keep = parse_qs(app.current_event.decoded_body or "").get("keep", ["none"])[0]
    try:
        slug = subscriptions.unsubscribe(token or "", repository, KEEP.get(keep))
    except InvalidToken as error:
        return refused(error, lang)
    say = Texts(lang, "pages")
    title, text = OUTCOMES[keep if keep in KEEP else "none"]
    return html_page(HTTPStatus.OK, say(title), [say(text)], link=settings.article_url(slug), lang=lang)


KEEP: dict[str, SubscriptionScope] = {"replies": "replies", "all": "all"}
OUTCOMES = {  # the catalog's keys of each outcome's title and text
    "none": ("unsubscribedTitle", "unsubscribedText"),
    "replies": ("repliesOnlyTitle", "repliesOnlyText"),
    "all": ("confirmedTitle", "subscribedText"),
}


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # RFC 8058: mail clients post "List-Unsubscribe=One-Click" url-encoded or as multipart/form-data.
    return api.resolve(app, event, context, accepted_types=(request_guard.FORM, request_guard.MULTIPART))


cold_start.ready()
