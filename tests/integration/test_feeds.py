"""Atom feeds through ListCommentsFunction against moto: an article's and the site's latest approved
comments, parsed as a feed reader parses them (feedparser, no bozo)."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import pytest

from parley.models import Comment, CommentStatus
from parley.storage.comments import CommentRepository
from tests import aws_calls
from tests.conftest import SITE_URL, Invoke, load_event
from tests.helpers import body, json_post, valid_comment

SLUG = "professional-networking-strategies-2024"


@pytest.fixture
def list_comments(function: Callable[[str], Invoke]) -> Invoke:
    return function("ListCommentsFunction")


def feed_request(slug: str | None = SLUG) -> dict[str, Any]:
    if slug is None:
        return load_event("site_feed")
    event = load_event("article_feed")
    event["rawQueryString"] = f"article_slug={slug}"
    event["queryStringParameters"] = {"article_slug": slug}
    return event


def parsed(response: dict[str, Any]) -> Any:
    assert response["statusCode"] == 200, response
    assert response["headers"]["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response["body"])
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def add(
    repository: CommentRepository,
    created_at: datetime,
    slug: str = SLUG,
    approved: bool = True,
    **fields: Any,
) -> Comment:
    comment = Comment(
        **{
            "id": uuid.uuid4().hex,
            "article_slug": slug,
            "name": "Reader",
            "email": "reader@example.com",
            "message": f"Said at {created_at:%Y-%m-%d %H:%M}.",
            "created_at": created_at,
            **fields,
        }
    )
    repository.add(comment)
    if approved:
        repository.change_status(comment, CommentStatus.APPROVED, "tests", datetime.now(UTC))
    return comment


def test_an_articles_feed_holds_its_approved_comments_and_replies_newest_first(
    list_comments: Invoke, repository: CommentRepository
) -> None:
    now = datetime.now(UTC)
    top = add(repository, now - timedelta(hours=3), name="Ada", website="https://ada.example.org")
    reply = add(repository, now - timedelta(hours=1), parent_id=top.id, root_id=top.id, name="Grace")
    add(repository, now - timedelta(minutes=5), approved=False)
    add(repository, now - timedelta(minutes=1), slug="another-article")

    feed = parsed(list_comments(feed_request()))

    assert [entry.link for entry in feed.entries] == [
        f"{SITE_URL}/articles/{SLUG}#comment-{reply.id}",
        f"{SITE_URL}/articles/{SLUG}#comment-{top.id}",
    ]
    assert [entry.author for entry in feed.entries] == ["Grace", "Ada"]
    assert feed.entries[1].author_detail.href == "https://ada.example.org"
    assert feed.entries[0].id == f"urn:uuid:{uuid.UUID(reply.id)}"
    assert feed.feed.link == f"{SITE_URL}/articles/{SLUG}"
    assert feed.feed.updated_parsed[:5] == reply.created_at.utctimetuple()[:5]


def test_content_is_the_comments_html_escaped_and_no_email_is_published(
    function: Callable[[str], Invoke], list_comments: Invoke
) -> None:
    submit, moderate = function("SubmitCommentFunction"), function("ModerateFunction")
    message = "**bold** claim <script>alert(1)</script> & more"
    comment_id = body(submit(json_post(valid_comment(message=message, email="secret@example.org"))))["id"]
    moderate({"action": "approve", "comment_id": comment_id, "moderator": "tests"})

    response = list_comments(feed_request())
    [entry] = parsed(response).entries

    assert "secret@example.org" not in response["body"]
    assert "<script>" not in response["body"]
    assert "<strong>" not in response["body"]  # markup travels escaped, as type="html"
    assert entry.content[0].type == "text/html"
    assert "<strong>bold</strong>" in entry.content[0].value
    assert "&lt;script&gt;" in entry.content[0].value


def test_a_feed_holds_the_latest_fifty(list_comments: Invoke, repository: CommentRepository) -> None:
    start = datetime.now(UTC) - timedelta(days=1)
    added = [add(repository, start + timedelta(minutes=index)) for index in range(53)]

    feed = parsed(list_comments(feed_request()))

    assert [entry.link.rsplit("-", 1)[1] for entry in feed.entries] == [c.id for c in reversed(added)][:50]


def test_the_site_feed_merges_articles_and_months_newest_first_without_a_scan(
    list_comments: Invoke, repository: CommentRepository
) -> None:
    now = datetime.now(UTC)
    # 60 comments over three articles and about four months (this one and three before it).
    added = [
        add(repository, now - timedelta(days=2 * index, minutes=1), slug=f"article-{index % 3}")
        for index in range(60)
    ]
    start = len(aws_calls.recorded)

    feed = parsed(list_comments(feed_request(None)))

    newest = sorted(added, key=lambda c: c.created_at, reverse=True)[:50]
    assert [entry.link for entry in feed.entries] == [
        f"{SITE_URL}/articles/{c.article_slug}#comment-{c.id}" for c in newest
    ]
    assert feed.feed.link == f"{SITE_URL}/"
    operations = {(call.operation, call.params.get("IndexName")) for call in aws_calls.recorded[start:]}
    assert operations == {("Query", "GSI6")}


def test_the_site_feed_reaches_back_past_quiet_months(
    list_comments: Invoke, repository: CommentRepository
) -> None:
    old = add(repository, datetime.now(UTC) - timedelta(days=200))

    feed = parsed(list_comments(feed_request(None)))

    assert [entry.link for entry in feed.entries] == [f"{SITE_URL}/articles/{SLUG}#comment-{old.id}"]


def test_one_months_comments_are_spread_over_several_partitions(
    repository: CommentRepository, aws: dict[str, str]
) -> None:
    """The site feed's index has no hot partition: a month's approvals land in RECENT_SHARDS of them."""
    import boto3

    for _ in range(40):
        add(repository, datetime(2026, 5, 10, tzinfo=UTC))
    items = boto3.client("dynamodb").scan(TableName=aws["CommentsTable"])["Items"]

    partitions = {item["GSI6PK"]["S"] for item in items if "GSI6PK" in item}
    assert partitions == {f"RECENT#2026-05#{shard}" for shard in range(4)}


def test_feeds_revalidate_with_their_etag(list_comments: Invoke, repository: CommentRepository) -> None:
    add(repository, datetime.now(UTC))
    for slug in (SLUG, None):
        first = list_comments(feed_request(slug))
        again = feed_request(slug)
        again["headers"]["if-none-match"] = first["headers"]["ETag"]

        answer = list_comments(again)

        assert first["headers"]["Cache-Control"].startswith("public, max-age=")
        assert (answer["statusCode"], answer["body"]) == (304, "")


def test_an_empty_feed_is_still_valid_atom(list_comments: Invoke) -> None:
    assert parsed(list_comments(feed_request("nothing-here"))).entries == []
    assert parsed(list_comments(feed_request(None))).entries == []


@pytest.mark.parametrize("query", ["", "article_slug=Not%20A%20Slug"])
def test_an_article_feed_needs_a_valid_slug(list_comments: Invoke, query: str) -> None:
    event = feed_request()
    event["rawQueryString"] = query
    event["queryStringParameters"] = {"article_slug": "Not A Slug"} if query else {}

    answer = list_comments(event)

    assert answer["statusCode"] == 422
    assert body(answer)["error"]["field"] == "article_slug"
