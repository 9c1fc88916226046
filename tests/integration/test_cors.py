"""Which browsers may call the API is decided once: the HTTP API's CorsConfiguration (what AWS
enforces; API Gateway answers CORS itself there, which moto does not emulate) and the resolver (what
the local stack answers) take it from the same parameter and say the same."""

from collections.abc import Callable
from typing import Any

from freezegun import freeze_time

from parley import api, settings
from parley_cli import template
from tests.conftest import ALLOWED_ORIGINS, SITE_URL, Invoke, load_event
from tests.helpers import json_post, list_request, valid_comment


def from_origin(event: dict[str, Any], origin: str) -> dict[str, Any]:
    event["headers"]["origin"] = origin
    return event


def test_the_http_api_and_the_resolver_allow_the_same_origins_and_headers(
    aws: dict[str, str], function: Callable[[str], Invoke], monkeypatch: Any
) -> None:
    """The site's own origin is left out of AllowedOrigins here: AWS would refuse it, so must we."""
    cors = template.load_template()["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"]
    separator, parameter = cors["AllowOrigins"]["Fn::Split"]
    assert parameter == {"Ref": "AllowedOrigins"}
    allowed_origins = "https://www.example.com,https://comments.example.com"
    monkeypatch.setenv("ALLOWED_ORIGINS", allowed_origins)  # as the parameter would set it
    settings.get_settings.cache_clear()
    allowed_on_aws = allowed_origins.split(separator)
    listing = function("ListCommentsFunction")

    for origin in [
        *allowed_on_aws,
        SITE_URL,
        "https://elsewhere.example.org",
        "https://www.example.com.evil.test",
    ]:
        headers = listing(from_origin(list_request("article_slug=a"), origin))["headers"]
        if origin in allowed_on_aws:
            assert headers["Access-Control-Allow-Origin"] == origin
            assert headers["Access-Control-Expose-Headers"].split(",") == cors["ExposeHeaders"]
        else:
            assert "Access-Control-Allow-Origin" not in headers, origin
    assert list(api.CORS_ALLOW_HEADERS) == cors["AllowHeaders"]
    assert cors["MaxAge"] == api.CORS_MAX_AGE_SECONDS


@freeze_time("2026-11-26 10:15:30")
def test_a_widget_on_another_allowed_origin_can_read_how_long_to_wait(
    function: Callable[[str], Invoke], monkeypatch: Any
) -> None:
    """The widget runs on the blog's origin and the API on its own: without Access-Control-Expose-Headers
    a browser hides Retry-After from it."""
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "1")
    settings.get_settings.cache_clear()
    submit = function("SubmitCommentFunction")
    origin = ALLOWED_ORIGINS.split(",")[1]

    submit(from_origin(json_post(valid_comment()), origin))
    refused = submit(from_origin(json_post(valid_comment(message="Another thought, a bit later.")), origin))

    assert refused["statusCode"] == 429
    assert refused["headers"]["Access-Control-Allow-Origin"] == origin
    assert "Retry-After" in refused["headers"]["Access-Control-Expose-Headers"].split(",")
    assert refused["headers"]["Retry-After"] == "30"


def test_a_widget_on_an_allowed_origin_may_edit_and_delete_with_its_token(
    function: Callable[[str], Invoke],
) -> None:
    """The preflight of PUT and DELETE /api/comments/{id} with an Authorization header: the local
    stack's resolver allows what the HTTP API's CorsConfiguration allows on AWS."""
    cors = template.load_template()["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"]
    routes = function("ReaderDataFunction")
    preflight = load_event("edit_comment")
    preflight["requestContext"]["http"]["method"] = "OPTIONS"
    preflight.pop("body", None)
    preflight["headers"] = {
        "origin": ALLOWED_ORIGINS.split(",")[1],
        "access-control-request-method": "PUT",
        "access-control-request-headers": "authorization,content-type",
    }

    headers = routes(preflight)["headers"]

    assert headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGINS.split(",")[1]
    allowed_methods = set(headers["Access-Control-Allow-Methods"].split(","))
    assert {"PUT", "DELETE"} <= allowed_methods <= set(cors["AllowMethods"])
    assert "Authorization" in cors["AllowHeaders"]
    assert set(cors["AllowHeaders"]) <= set(headers["Access-Control-Allow-Headers"].split(","))
