"""GET|POST /api/moderation/{approve,reject,spam}, GET|POST /api/moderation/queue: moderators' email links.

GET shows a page and changes nothing (mail scanners open links); the page's button POSTs to the
same URL. The token says who acts and on what; the moves themselves are ModerateFunction's, invoked.
"""

from parley import cold_start  # first: no garbage collection while the function loads

# isort: split
from collections.abc import Callable
from http import HTTPStatus
from typing import Annotated, Any
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from parley import api, moderation_pages, moderator_tokens, request_guard, tokens
from parley.catalogs import Texts
from parley.client_address import client_address
from parley.models import utc_now
from parley.moderated import ModeratedComment
from parley.moderation_function import ModerationFunction
from parley.moderator_tokens import LINK_ACTIONS, ActionGrant, LinkAction, QueueGrant
from parley.observability import logger
from parley.settings import get_settings
from parley.storage.limits import RateLimits

app = api.create_resolver()
moderation = ModerationFunction()
limits = RateLimits()
settings = get_settings()
say = Texts(settings.moderator_language, "moderation")
QUEUE_PAGE_SIZE = 20
Token = Annotated[str | None, Query(max_length=2048, description="The signed token from the alert's link.")]
Cursor = Annotated[str | None, Query(max_length=2048, description="`Next page` of the queue page.")]
HTML_PAGE: OpenAPIResponse = {
    "description": "An HTML page.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}
RESPONSES: dict[int, OpenAPIResponse] = {
    **api.ERROR_RESPONSES,
    **{status: HTML_PAGE for status in (200, 403, 404, 409, 410, 429, 502)},
}


class Refused(Exception):
    def __init__(self, page: Response[str]) -> None:
        self.page = page


def within_rate() -> None:
    """Per client address: a page of buttons is a few requests, a guessing bot is many."""
    address = tokens.keyed_hash("client-address", client_address(app.current_event))
    wait = limits.hit([(f"links:{address}", settings.link_requests_per_minute, 60)], utc_now())
    if wait is not None:
        page = moderation_pages.refusal_page(
            HTTPStatus.TOO_MANY_REQUESTS, "tooMany", say("waitMinute"), settings
        )
        page.headers["Retry-After"] = str(wait)
        raise Refused(page)


def verified(check: Callable[[str], Any], token: str | None) -> Any:
    within_rate()
    try:
        return check(token or "")
    except tokens.ExpiredToken as error:
        raise Refused(
            moderation_pages.refusal_page(HTTPStatus.GONE, "expiredTitle", say("expiredText"), settings)
        ) from error
    except tokens.InvalidToken as error:
        raise Refused(
            moderation_pages.refusal_page(HTTPStatus.FORBIDDEN, "brokenTitle", say("invalidText"), settings)
        ) from error


def action_grant(action: LinkAction, token: str | None) -> ActionGrant:
    grant: ActionGrant = verified(
        lambda signed: moderator_tokens.verify_action(tokens.signing_secret(), action, signed, settings),
        token,
    )
    logger.info(
        "moderation link",
        extra={
            "action": action,
            "comment_id": grant.comment_id,
            "token": moderator_tokens.shown(token or ""),
        },
    )
    return grant


def queue_grant(token: str | None) -> QueueGrant:
    grant: QueueGrant = verified(
        lambda signed: moderator_tokens.verify_queue(tokens.signing_secret(), signed, settings), token
    )
    logger.info("moderation queue link", extra={"token": moderator_tokens.shown(token or "")})
    return grant


def comment_from(answer: dict[str, Any]) -> ModeratedComment:
    if "error" in answer:
        error = answer["error"]
        status = {"not_found": HTTPStatus.NOT_FOUND, "invalid_transition": HTTPStatus.CONFLICT}.get(
            error.get("code"), HTTPStatus.BAD_GATEWAY
        )
        raise Refused(
            moderation_pages.refusal_page(status, "unchangedTitle", str(error.get("message")), settings)
        )
    return ModeratedComment.model_validate(answer["comment"])


def show(action: LinkAction, token: str | None) -> Response[str]:
    try:
        grant = action_grant(action, token)
        comment = comment_from(moderation.call({"action": "get", "comment_id": grant.comment_id}))
    except Refused as refused:
        return refused.page
    return moderation_pages.action_page(comment, action, settings)


def act(action: LinkAction, token: str | None) -> Response[str]:
    try:
        grant = action_grant(action, token)
        request = {"action": action, "comment_id": grant.comment_id, "moderator": grant.moderator}
        answer = moderation.call(request)
        if answer.get("error", {}).get("code") == "invalid_transition":  # moved on since: say where it is
            comment = comment_from(moderation.call({"action": "get", "comment_id": grant.comment_id}))
            return moderation_pages.action_page(comment, action, settings)
        return moderation_pages.done_page(comment_from(answer), settings)
    except Refused as refused:
        return refused.page


def register(action: LinkAction) -> None:
    def page(token: Token = None) -> Response[str]:
        return show(action, token)

    def button(token: Token = None) -> Response[str]:
        return act(action, token)

    path = f"/api/moderation/{action}"
    label = moderation_pages.LABELS[action].lower()
    page.__name__, button.__name__ = f"{action}_page", action
    app.get(path, summary=f"Ask to {label} a comment (changes nothing)", responses=RESPONSES)(page)
    app.post(path, summary=f"{moderation_pages.LABELS[action]} a comment", responses=RESPONSES)(button)


for link_action in LINK_ACTIONS:
    register(link_action)


def pending_page(cursor: str | None, notice: str | None = None) -> Response[str]:
    answer = moderation.call({"action": "list_pending", "limit": QUEUE_PAGE_SIZE, "cursor": cursor})
    if "error" in answer:
        return moderation_pages.refusal_page(
            HTTPStatus.BAD_REQUEST, "noPageTitle", say("noPageText"), settings
        )
    comments = [ModeratedComment.model_validate(item) for item in answer["comments"]]
    return moderation_pages.queue_page(comments, answer.get("next_cursor"), settings, notice)


@app.get("/api/moderation/queue", summary="Comments awaiting review (changes nothing)", responses=RESPONSES)
def queue(token: Token = None, cursor: Cursor = None) -> Response[str]:
    try:
        queue_grant(token)
    except Refused as refused:
        return refused.page
    return pending_page(cursor)


@app.post("/api/moderation/queue", summary="Act on comments of the queue page", responses=RESPONSES)
def act_on_queue(token: Token = None) -> Response[str]:
    try:
        grant = queue_grant(token)
    except Refused as refused:
        return refused.page
    form = parse_qs(app.current_event.decoded_body or "")
    action = form.get("action", [""])[0]
    if action == "page":  # "Next page": changes nothing
        return pending_page(form.get("cursor", [""])[0][:2048] or None)
    if action == "approve_all":
        action, ids = "approve", form.get("ids", [""])[0].split(",")[:QUEUE_PAGE_SIZE]
    else:
        ids = form.get("comment_id", [])[:1]
    if action not in LINK_ACTIONS or not ids:
        return pending_page(None, say("noAction"))
    done = 0
    for comment_id in ids:
        answer = moderation.call({"action": action, "comment_id": comment_id, "moderator": grant.moderator})
        done += "comment" in answer
    left = len(ids) - done
    notice = say.plural("done", done, action=say(action)) + (
        ", " + say.plural("notDone", left) if left else ""
    )
    return pending_page(None, notice + ".")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return api.resolve(app, event, context, accepted_types=(request_guard.FORM,))


cold_start.ready()
