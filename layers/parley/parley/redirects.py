"""Form posts (the page with JavaScript off) are answered with a 303 back to their article, the
outcome in the query string, and only ever to a page on an allowed site origin."""

import re
from http import HTTPStatus
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from parley.models import SLUG_PATTERN
from parley.request_guard import FORM, media_type
from parley.settings import Settings, get_settings, origin_of


def is_form_post(event: APIGatewayProxyEventV2) -> bool:
    return event.request_context.http.method == "POST" and media_type(event) == FORM


def redirect_to_article(event: APIGatewayProxyEventV2, slug: str | None, **outcome: str) -> Response[str]:
    """303 back to the page the form was on (when it is on an allowed origin) or to the article's URL."""
    location = return_url(get_settings(), event.headers.get("referer"), slug)
    query = urlencode(outcome)
    return Response(
        status_code=HTTPStatus.SEE_OTHER,
        headers={"Location": f"{location}?{query}#comments"},
        content_type=content_types.TEXT_PLAIN,
        body="See Other",
    )


def return_url(settings: Settings, referer: str | None, slug: str | None) -> str:
    """The page the form was on when the Referer names one on an allowed origin; else the article's URL.

    A bare origin (what browsers send across origins by default) names no page, so it is not used."""
    if referer and origin_of(referer) in settings.origins:
        path = urlsplit(referer).path
        if path not in ("", "/"):
            return origin_of(referer) + quote(path, safe="/%-._~!$&'()*+,;=:@")
    return settings.site_url + "/" if slug is None else settings.article_url(slug)


def form_slug(event: APIGatewayProxyEventV2) -> str | None:
    slugs = parse_qs(event.decoded_body or "").get("article_slug", [])
    return slugs[0] if slugs and re.fullmatch(SLUG_PATTERN, slugs[0]) else None
