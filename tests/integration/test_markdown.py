"""Markdown in comments: rendered once when it becomes public (approval, import, `rerender`), listed as stored,
and previewed through POST /api/comments/preview exactly as it will be shown. Against moto."""

import subprocess
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from freezegun import freeze_time

from parley import settings
from parley.models import Comment, CommentStatus
from parley.storage.comment_items import comment_key
from parley.storage.comments import CommentRepository
from tests.conftest import ALLOWED_ORIGINS, Invoke, load_event
from tests.helpers import body, form_post, json_post, list_request, valid_comment

SLUG = "professional-networking-strategies-2024"
ROOT = Path(__file__).resolve().parents[2]
MARKDOWN = "**follow-up** with `make dev`:\n\n> quoted\n\n- one\n- two\n\n# not a heading"


def preview_post(payload: dict[str, Any], form: bool = False) -> dict[str, Any]:
    event = form_post(payload) if form else json_post(payload)
    event["routeKey"] = event["requestContext"]["routeKey"] = "POST /api/comments/preview"
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/api/comments/preview"
    return event


@pytest.fixture
def submit(function: Callable[[str], Invoke]) -> Invoke:
    return function("SubmitCommentFunction")


@pytest.fixture
def moderate(function: Callable[[str], Invoke]) -> Invoke:
    return function("ModerateFunction")


@pytest.fixture
def listed(function: Callable[[str], Invoke]) -> Callable[[], list[dict[str, Any]]]:
    invoke = function("ListCommentsFunction")
    return lambda: body(invoke(list_request(f"article_slug={SLUG}&limit=100")))["comments"]


def stored_item(aws: dict[str, str], comment_id: str) -> dict[str, Any]:
    item: dict[str, Any] = boto3.client("dynamodb").get_item(
        TableName=aws["CommentsTable"], Key=comment_key(comment_id)
    )["Item"]
    return item


def comment_items(aws: dict[str, str]) -> list[dict[str, Any]]:
    items = boto3.client("dynamodb").scan(TableName=aws["CommentsTable"])["Items"]
    return [item for item in items if item.get("type", {}).get("S") == "comment"]


def test_the_preview_is_exactly_the_html_stored_and_listed(
    submit: Invoke, moderate: Invoke, listed: Callable[[], list[dict[str, Any]]], aws: dict[str, str]
) -> None:
    fields = valid_comment(message=MARKDOWN)

    preview = submit(preview_post(fields))
    comment_id = body(submit(json_post(fields)))["id"]
    moderate({"action": "approve", "comment_id": comment_id, "moderator": "tests"})

    assert preview["statusCode"] == 200
    html = body(preview)["message_html"]
    assert "<strong>follow-up</strong>" in html
    assert "<code>make dev</code>" in html
    assert "<blockquote>" in html
    assert "<li>two</li>" in html
    assert "<p># not a heading</p>" in html
    assert stored_item(aws, comment_id)["message_html"]["S"] == html
    [shown] = listed()
    assert (shown["message"], shown["message_html"]) == (MARKDOWN, html)


def test_a_preview_stores_nothing(submit: Invoke, moderate: Invoke, aws: dict[str, str]) -> None:
    answer = submit(preview_post(valid_comment(notifications=True)))

    assert answer["statusCode"] == 200
    assert comment_items(aws) == []
    assert moderate({"action": "list_pending"})["comments"] == []


def test_a_form_preview_answers_json_not_a_redirect(submit: Invoke) -> None:
    answer = submit(preview_post(valid_comment(message="*form* preview here"), form=True))

    assert answer["statusCode"] == 200
    assert body(answer) == {"message_html": "<p><em>form</em> preview here</p>"}


@pytest.mark.parametrize("form", [False, True])
def test_an_invalid_preview_is_refused_naming_its_fields_as_a_submission(submit: Invoke, form: bool) -> None:
    fields = valid_comment(message="short", email="not-an-address")

    answer = submit(preview_post(fields, form=form))

    assert answer["statusCode"] == 422
    error = body(answer)["error"]
    assert error["code"] == "validation_failed"
    assert {e["field"] for e in error["errors"]} == {"message", "email"}


@freeze_time("2026-11-26 10:15:30")  # mid-minute: the burst stays in one minute's window
def test_previews_are_limited_per_address_apart_from_comments(
    function: Callable[[str], Invoke], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREVIEWS_PER_MINUTE", "3")  # before the function loads, as the environment is
    settings.get_settings.cache_clear()
    submit = function("SubmitCommentFunction")

    answers = [submit(preview_post(valid_comment()))["statusCode"] for _ in range(3)]
    refused = submit(preview_post(valid_comment()))
    other = preview_post(valid_comment())
    other["requestContext"]["http"]["sourceIp"] = "198.51.100.7"

    assert answers == [200, 200, 200]
    assert refused["statusCode"] == 429
    assert refused["headers"]["Retry-After"] == "30"
    assert submit(other)["statusCode"] == 200
    assert submit(json_post(valid_comment()))["statusCode"] == 202


def test_an_import_renders_the_messages_and_ignores_html_in_the_file(
    moderate: Invoke, listed: Callable[[], list[dict[str, Any]]]
) -> None:
    imported = {
        "id": uuid.uuid4().hex,
        "article_slug": SLUG,
        "name": "Old reader",
        "email": "",
        "message": "**kept** from the old site",
        "message_html": "<script>alert(1)</script>",
        "status": "approved",
        "created_at": "2019-01-01T10:00:00Z",
    }

    answer = moderate({"action": "import", "comments": [imported]})

    assert answer["written"] == 1
    [shown] = listed()
    assert shown["message_html"] == "<p><strong>kept</strong> from the old site</p>"


def test_a_comment_stored_before_markdown_lists_rendered_and_rerender_stores_its_html(
    moderate: Invoke, listed: Callable[[], list[dict[str, Any]]], aws: dict[str, str]
) -> None:
    """An item written by the previous version: no message_html, no feed keys."""
    repository = CommentRepository()
    old = Comment(
        id=uuid.uuid4().hex,
        article_slug=SLUG,
        name="Early reader",
        email="early@example.com",
        message="an **early** comment",
        created_at=datetime.now(UTC),
    )
    repository.add(old)
    repository.change_status(old, CommentStatus.APPROVED, "tests", datetime.now(UTC))
    client = boto3.client("dynamodb")
    client.update_item(
        TableName=aws["CommentsTable"],
        Key=comment_key(old.id),
        UpdateExpression="REMOVE message_html, GSI5PK, GSI5SK, GSI6PK, GSI6SK",
    )

    [before] = listed()
    pages = [moderate({"action": "rerender", "limit": 1, "cursor": None})]
    while pages[-1]["next_cursor"] is not None:
        pages.append(moderate({"action": "rerender", "limit": 1, "cursor": pages[-1]["next_cursor"]}))
    again = moderate({"action": "rerender"})

    assert before["message_html"] == "<p>an <strong>early</strong> comment</p>"
    assert sum(page["rerendered"] for page in pages) == 1
    item = stored_item(aws, old.id)
    assert item["message_html"]["S"] == before["message_html"]
    assert item["GSI5PK"]["S"] == f"FEED#{SLUG}"
    assert again["rerendered"] == 0


def test_rerender_replaces_html_from_an_older_renderer(
    submit: Invoke, moderate: Invoke, aws: dict[str, str]
) -> None:
    comment_id = body(submit(json_post(valid_comment(message="now **bold** at last"))))["id"]
    boto3.client("dynamodb").update_item(
        TableName=aws["CommentsTable"],
        Key=comment_key(comment_id),
        UpdateExpression="SET message_html = :old",
        ExpressionAttributeValues={":old": {"S": "<p>now **bold** at last</p>"}},
    )

    answer = moderate({"action": "rerender", "article_slug": SLUG})

    assert answer["rerendered"] == 1
    assert stored_item(aws, comment_id)["message_html"]["S"] == "<p>now <strong>bold</strong> at last</p>"


def test_a_rerender_never_overwrites_a_message_changed_meanwhile(submit: Invoke, aws: dict[str, str]) -> None:
    repository = CommentRepository()
    comment_id = body(submit(json_post(valid_comment(message="the first version of it"))))["id"]
    read = repository.get(comment_id)
    boto3.client("dynamodb").update_item(
        TableName=aws["CommentsTable"],
        Key=comment_key(comment_id),
        UpdateExpression="SET message = :new, message_html = :html",
        ExpressionAttributeValues={
            ":new": {"S": "an edited version"},
            ":html": {"S": "<p>an edited version</p>"},
        },
    )

    assert repository.store_rendering(read, "<p>the first version of it</p>") is False
    assert stored_item(aws, comment_id)["message_html"]["S"] == "<p>an edited version</p>"


def test_a_comment_is_rendered_when_approved_and_never_when_only_posted(
    submit: Invoke, moderate: Invoke, aws: dict[str, str]
) -> None:
    """The reader waiting on a post loads no renderer (the submit function's cold start), and what
    is rejected is never rendered: the HTML appears with the approval that makes it public."""
    approved = body(submit(json_post(valid_comment(message="this one is **approved**"))))["id"]
    rejected = body(submit(json_post(valid_comment(message="this one is **rejected**"))))["id"]

    pending = stored_item(aws, approved)
    moderate({"action": "approve", "comment_id": approved, "moderator": "tests"})
    moderate({"action": "reject", "comment_id": rejected, "moderator": "tests"})

    assert "message_html" not in pending
    assert stored_item(aws, approved)["message_html"]["S"] == "<p>this one is <strong>approved</strong></p>"
    assert "message_html" not in stored_item(aws, rejected)


def test_the_list_function_loads_no_markdown_renderer() -> None:
    """Its cold start: loading the handler (as Lambda does) does not import markdown-it."""
    probe = (
        "import sys; sys.path[:0] = ['functions/list_comments']; import app; "
        "print(sorted(m for m in ('markdown_it', 'linkify_it') if m in sys.modules))"
    )
    environment = {
        "TABLE_NAME": "t",
        "SITE_URL": "https://blog.example.com",
        "AWS_DEFAULT_REGION": "us-east-1",
    }

    loaded = subprocess.run(  # noqa: S603 (this interpreter, a fixed probe)
        [sys.executable, "-c", probe], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )

    assert loaded.stdout.strip() == "[]"


def test_the_sample_preview_event_renders_its_markdown(submit: Invoke) -> None:
    answer = submit(load_event("preview_comment_json"))

    assert answer["statusCode"] == 200
    assert "<strong>Thank you</strong>" in body(answer)["message_html"]


def test_a_widget_on_another_allowed_origin_may_preview(submit: Invoke) -> None:
    """API Gateway answers CORS itself on AWS (the HttpApi's CorsConfiguration covers every route);
    the local stack leaves the preflight and the headers to the resolver."""
    origin = ALLOWED_ORIGINS.split(",")[1]
    preflight = preview_post(valid_comment())
    preflight["requestContext"]["http"]["method"] = "OPTIONS"
    preflight["headers"].update({"origin": origin, "access-control-request-method": "POST"})
    preflight["body"] = ""
    previewed = preview_post(valid_comment())
    previewed["headers"]["origin"] = origin

    allowed = submit(preflight)
    answer = submit(previewed)

    assert allowed["statusCode"] == 204
    assert "POST" in allowed["headers"]["Access-Control-Allow-Methods"]
    assert answer["headers"]["Access-Control-Allow-Origin"] == origin
