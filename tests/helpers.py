"""Small helpers the tests share."""

import itertools
import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.conftest import load_event


def json_post(payload: Any, **overrides: Any) -> dict[str, Any]:
    event = load_event("submit_comment_json")
    event["body"] = payload if isinstance(payload, str) else json.dumps(payload)
    event.update(overrides)
    return event


def form_post(fields: dict[str, str], referer: str | None = None) -> dict[str, Any]:
    event = load_event("submit_comment_form")
    event["body"] = urlencode(fields)
    if referer is None:
        event["headers"].pop("referer", None)
    else:
        event["headers"]["referer"] = referer
    return event


def list_request(query: str) -> dict[str, Any]:
    event = load_event("list_comments")
    event["rawQueryString"] = query
    parameters: dict[str, str] = {}
    for name, values in parse_qs(query, keep_blank_values=True).items():
        parameters[name] = ",".join(values)
    event["queryStringParameters"] = parameters
    return event


def count_request(slugs: list[str]) -> dict[str, Any]:
    event = load_event("count_comments")
    event["rawQueryString"] = urlencode([("article_slug", slug) for slug in slugs])
    event["queryStringParameters"] = {"article_slug": ",".join(slugs)}
    return event


def body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


def location_query(response: dict[str, Any]) -> tuple[str, dict[str, list[str]]]:
    location = response["headers"]["Location"]
    parts = urlsplit(location)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", parse_qs(parts.query)


_numbers = itertools.count(1)


def valid_comment(**overrides: Any) -> dict[str, Any]:
    """A comment that passes validation; each call's message differs, so none is a duplicate of another."""
    comment: dict[str, Any] = {
        "article_slug": "professional-networking-strategies-2024",
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "message": f"A thoughtful comment about networking. (#{next(_numbers)})",
    }
    comment.update(overrides)
    return comment


def queued_messages(queue_url: str) -> list[Any]:
    """Everything on an SQS queue (moto), parsed as notification messages; the queue is left as it was."""
    import boto3

    from parley.queue_messages import notification_message

    client = boto3.client("sqs")
    messages = []
    while True:
        received = client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=30)
        batch = received.get("Messages", [])
        if not batch:
            break
        messages += [notification_message.validate_json(message["Body"]) for message in batch]
    return messages
