"""Behind the optional edge cache (EdgeCache=true): per-address limits still tell readers apart, and
only requests that carry the distribution's secret may say who the reader is. Against moto, through
the real handlers, with the environment template.yaml gives the functions when the edge cache is on.

CloudFront itself is not emulated: its requests are API Gateway events as CloudFront would cause
them - the source IP an edge server's, `CloudFront-Viewer-Address` the reader's, and the origin
header the distribution adds (template.yaml's EdgeDistribution)."""

import secrets
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from freezegun import freeze_time

from parley import settings
from parley.api import EDGE_URL_STAGE_VARIABLE
from parley.client_address import EDGE_SECRET_HEADER, VIEWER_ADDRESS_HEADER
from parley_cli import template
from tests.conftest import Invoke, load_event
from tests.helpers import json_post, queued_messages, valid_comment

EDGE_SERVER = "130.176.12.34"  # one CloudFront edge server, in front of every reader near it
EDGE_URL = "https://d111111abcdef8.cloudfront.net"
MID_MINUTE = "2026-11-26 10:15:30"  # a burst never straddles two rate windows


@pytest.fixture
def edge_secret(aws: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> str:
    """The stack as deployed with EdgeCache=true: its origin secret, and every function's environment
    (and role, for the IAM check) as the template then gives them."""
    value = secrets.token_urlsafe(36)
    arn = boto3.client("secretsmanager").create_secret(Name="EdgeOriginSecret", SecretString=value)["ARN"]
    aws.update({"EdgeCache": "true", "EdgeOriginSecret": arn})
    loaded = template.load_template()
    for spec in template.functions(loaded).values():
        for name, setting in template.function_environment(loaded, spec, aws).items():
            monkeypatch.setenv(name, setting)
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "2")
    settings.get_settings.cache_clear()
    return value


def through_edge(event: dict[str, Any], viewer: str, secret: str | None) -> dict[str, Any]:
    """`event` as it reaches API Gateway from the distribution (`secret`: what the origin header says)."""
    event["requestContext"]["http"]["sourceIp"] = EDGE_SERVER
    event["headers"][VIEWER_ADDRESS_HEADER] = f"{viewer}:51234"
    if secret is not None:
        event["headers"][EDGE_SECRET_HEADER] = secret
    event["stageVariables"] = {EDGE_URL_STAGE_VARIABLE: EDGE_URL}
    return event


def post(submit: Invoke, viewer: str, secret: str | None) -> int:
    comment = valid_comment(email=f"{secrets.token_hex(4)}@example.com")
    return int(submit(through_edge(json_post(comment), viewer, secret))["statusCode"])


def test_behind_the_edge_each_reader_has_a_limit_of_their_own(
    edge_secret: str, function: Callable[[str], Invoke]
) -> None:
    submit = function("SubmitCommentFunction")

    with freeze_time(MID_MINUTE):
        first_reader = [post(submit, "198.51.100.7", edge_secret) for _ in range(3)]
        ipv6_reader = [post(submit, "2001:db8::42", edge_secret) for _ in range(3)]

    assert first_reader == [202, 202, 429]
    assert ipv6_reader == [202, 202, 429]


def test_a_viewer_address_without_the_right_secret_counts_against_the_address_that_sent_it(
    edge_secret: str, function: Callable[[str], Invoke]
) -> None:
    """Calling the API directly, anyone can write CloudFront-Viewer-Address; it changes nothing."""
    submit = function("SubmitCommentFunction")

    with freeze_time(MID_MINUTE):
        answers = [
            post(submit, "198.51.100.1", None),
            post(submit, "198.51.100.2", "a guess at the secret, long enough to compare"),
            post(submit, "198.51.100.3", edge_secret[:-1]),
        ]

    assert answers == [202, 202, 429]


def test_without_the_edge_cache_no_header_is_trusted(
    aws: dict[str, str], monkeypatch: pytest.MonkeyPatch, function: Callable[[str], Invoke]
) -> None:
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "2")
    settings.get_settings.cache_clear()
    submit = function("SubmitCommentFunction")

    with freeze_time(MID_MINUTE):
        answers = [
            post(submit, f"198.51.100.{n}", "anything at all, of any length whatever") for n in range(3)
        ]

    assert answers == [202, 202, 429]


def test_email_links_use_the_edge_address(
    edge_secret: str, function: Callable[[str], Invoke], aws: dict[str, str]
) -> None:
    submit = function("SubmitCommentFunction")
    comment = valid_comment(email="subscriber@example.org", notifications=True)

    answer = submit(through_edge(json_post(comment), "198.51.100.7", edge_secret))

    assert answer["statusCode"] == 202
    queued = queued_messages(aws["NotificationQueue"])
    assert queued
    assert {message.api_url for message in queued} == {EDGE_URL}


def test_moderator_link_pages_limit_each_reader_behind_the_edge(
    edge_secret: str, monkeypatch: pytest.MonkeyPatch, function: Callable[[str], Invoke]
) -> None:
    monkeypatch.setenv("LINK_REQUESTS_PER_MINUTE", "1")
    settings.get_settings.cache_clear()
    links = function("ModerationLinksFunction")

    def open_queue(viewer: str, secret: str | None) -> int:
        event = load_event("moderation_queue_page")
        event["queryStringParameters"] = {"token": "not-a-real-token"}
        return int(links(through_edge(event, viewer, secret))["statusCode"])

    with freeze_time(MID_MINUTE):
        trusted = [open_queue("198.51.100.7", edge_secret), open_queue("198.51.100.8", edge_secret)]
        untrusted = [open_queue("198.51.100.9", None), open_queue("198.51.100.10", None)]

    assert trusted == [403, 403]  # refused for the token, each within their own budget
    assert untrusted == [403, 429]  # both the edge server's address
