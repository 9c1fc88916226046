"""GET /api/comments and /api/comments/count through ListCommentsFunction's handler, against moto."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from parley.models import Comment, CommentStatus
from parley.pagination import encode_cursor
from parley.storage import dynamo
from parley.storage.comments import CommentRepository
from tests.conftest import Invoke, load_event
from tests.helpers import body, count_request, json_post, list_request, valid_comment

SLUG = "professional-networking-strategies-2024"
START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def list_comments(function: Callable[[str], Invoke]) -> Invoke:
    return function("ListCommentsFunction")


@pytest.fixture
def submit(function: Callable[[str], Invoke]) -> Invoke:
    return function("SubmitCommentFunction")


def approve(repository: CommentRepository, comment_id: str) -> None:
    comment = repository.get(comment_id)
    repository.change_status(comment, CommentStatus.APPROVED, "tests", datetime.now(UTC))


def add_approved(repository: CommentRepository, count: int, slug: str = SLUG) -> list[Comment]:
    comments = []
    for index in range(count):
        comment = Comment(
            id=uuid.uuid4().hex,
            article_slug=slug,
            name=f"Reader {index}",
            email=f"reader{index}@example.com",
            message=f"Comment number {index} on this article.",
            created_at=START + timedelta(minutes=index),
        )
        repository.add(comment)
        approve(repository, comment.id)
        comments.append(comment)
    return comments


def test_the_sample_event_lists_an_empty_article(list_comments: Invoke) -> None:
    response = list_comments(load_event("list_comments"))

    assert response["statusCode"] == 200
    assert body(response) == {"article_slug": SLUG, "count": 0, "comments": [], "next_cursor": None}


def test_a_comment_appears_only_once_approved(
    submit: Invoke, list_comments: Invoke, repository: CommentRepository
) -> None:
    comment_id = body(submit(json_post(valid_comment(website="https://ada.example.org"))))["id"]

    before = body(list_comments(list_request(f"article_slug={SLUG}")))
    approve(repository, comment_id)
    after = body(list_comments(list_request(f"article_slug={SLUG}")))

    assert before["comments"] == []
    assert before["count"] == 0
    assert after["count"] == 1
    [listed] = after["comments"]
    assert listed["id"] == comment_id
    assert listed["name"] == "Ada Lovelace"
    assert listed["website"] == "https://ada.example.org"
    assert listed["parent_id"] is None
    assert listed["created_at"].endswith("Z")
    assert "email" not in listed
    assert "ada@example.com" not in str(after)


def test_rejected_and_spam_comments_are_never_listed(
    list_comments: Invoke, repository: CommentRepository
) -> None:
    [kept, rejected, spam] = add_approved(repository, 3)
    for comment, status in ((rejected, CommentStatus.REJECTED), (spam, CommentStatus.SPAM)):
        repository.change_status(repository.get(comment.id), status, "tests", datetime.now(UTC))

    page = body(list_comments(list_request(f"article_slug={SLUG}")))

    assert [c["id"] for c in page["comments"]] == [kept.id]
    assert page["count"] == 1


def test_message_html_is_escaped_with_paragraphs_and_safe_links(
    submit: Invoke, list_comments: Invoke, repository: CommentRepository
) -> None:
    message = (
        "<script>alert('x')</script> <img src=x onerror=alert(1)>\nsee https://example.com/a?b=1&c=2\n\nbye"
    )
    approve(repository, body(submit(json_post(valid_comment(message=message))))["id"])

    [listed] = body(list_comments(list_request(f"article_slug={SLUG}")))["comments"]

    assert listed["message"] == message
    html = listed["message_html"]
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert html.count("<p>") == 2
    assert "<br>" in html
    assert '<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">' in html


def test_pages_follow_the_cursor_oldest_first(list_comments: Invoke, repository: CommentRepository) -> None:
    added = add_approved(repository, 45)
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        query = f"article_slug={SLUG}&limit=20" + (f"&cursor={cursor}" if cursor else "")
        page = body(list_comments(list_request(query)))
        assert page["count"] == 45
        seen += [comment["id"] for comment in page["comments"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seen == [comment.id for comment in added]
    assert pages == 3


def test_newest_first(list_comments: Invoke, repository: CommentRepository) -> None:
    added = add_approved(repository, 5)

    first = body(list_comments(list_request(f"article_slug={SLUG}&limit=3&order=newest")))
    second = body(
        list_comments(list_request(f"article_slug={SLUG}&limit=3&order=newest&cursor={first['next_cursor']}"))
    )

    newest_first = [comment.id for comment in reversed(added)]
    assert [c["id"] for c in first["comments"] + second["comments"]] == newest_first
    assert second["next_cursor"] is None


def test_articles_do_not_share_comments(list_comments: Invoke, repository: CommentRepository) -> None:
    add_approved(repository, 2, slug="one-article")
    add_approved(repository, 1, slug="another-article")

    page = body(list_comments(list_request("article_slug=another-article")))

    assert page["count"] == 1
    assert len(page["comments"]) == 1


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "%00%01",
        encode_cursor("article:other-article:oldest", f"2026-01-01T00:00:00.000000Z#{0:032x}"),
        encode_cursor(f"article:{SLUG}:newest", f"2026-01-01T00:00:00.000000Z#{0:032x}"),
        encode_cursor(f"article:{SLUG}:oldest", "not-a-sort-key"),
        encode_cursor(f"article:{SLUG}:oldest", "2026-01-01T00:00:00.000000Z#../../x"),
    ],
)
def test_a_tampered_cursor_is_a_400(
    list_comments: Invoke, repository: CommentRepository, cursor: str
) -> None:
    add_approved(repository, 3)

    response = list_comments(list_request(f"article_slug={SLUG}&limit=1&cursor={cursor}"))

    assert response["statusCode"] == 400
    error = body(response)["error"]
    assert (error["code"], error["field"]) == ("invalid_cursor", "cursor")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "article_slug"),
        ("article_slug=Bad%20Slug", "article_slug"),
        (f"article_slug={SLUG}&limit=0", "limit"),
        (f"article_slug={SLUG}&limit=101", "limit"),
        (f"article_slug={SLUG}&limit=ten", "limit"),
        (f"article_slug={SLUG}&order=random", "order"),
    ],
)
def test_invalid_query_gets_422_naming_the_parameter(list_comments: Invoke, query: str, field: str) -> None:
    response = list_comments(list_request(query))

    assert response["statusCode"] == 422
    assert body(response)["error"]["field"] == field


def test_counts_of_many_articles_in_one_round_trip(
    list_comments: Invoke, repository: CommentRepository
) -> None:
    add_approved(repository, 3, slug="first")
    add_approved(repository, 1, slug="second")
    calls: list[str] = []
    dynamo.dynamodb().meta.events.register(
        "provide-client-params.dynamodb.*", lambda params, model, **_: calls.append(model.name)
    )
    slugs = ["first", "second", "never-commented"] + [f"article-{i}" for i in range(47)]

    response = list_comments(count_request(slugs))

    assert response["statusCode"] == 200
    counts = body(response)["counts"]
    assert counts["first"] == 3
    assert counts["second"] == 1
    assert counts["never-commented"] == 0
    assert len(counts) == 50
    assert calls == ["BatchGetItem"]


def test_the_count_sample_event_works(list_comments: Invoke) -> None:
    response = list_comments(load_event("count_comments"))

    assert body(response) == {"counts": {SLUG: 0, "another-article": 0}}


@pytest.mark.parametrize("slugs", [[], [f"a-{i}" for i in range(51)], ["ok", "NOT OK"]])
def test_count_rejects_bad_slug_lists(list_comments: Invoke, slugs: list[str]) -> None:
    response = list_comments(count_request(slugs))

    assert response["statusCode"] == 422
    assert body(response)["error"]["field"] == "article_slug"
