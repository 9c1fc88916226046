"""GET /api/comments/{comment_id}/page: the page of the listing that holds a comment, for permalinks."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from parley.settings import get_settings
from tests.conftest import Invoke, load_event
from tests.helpers import body
from tests.integration.stack_driver import SUBSCRIBER, Parley, confirmed_subscribers, mail_to
from tests.integration.test_reply_emails import ADA, subscribed_author
from tests.integration.test_threads import SLUG, Article


@pytest.fixture
def article(function: Callable[[str], Invoke]) -> Article:
    return Article(function)


def place_request(comment_id: str, query: str = "") -> dict[str, Any]:
    event = load_event("comment_page")
    event["rawPath"] = event["requestContext"]["http"]["path"] = f"/api/comments/{comment_id}/page"
    event["pathParameters"] = {"comment_id": comment_id}
    event["rawQueryString"] = query
    event["queryStringParameters"] = dict(part.split("=", 1) for part in query.split("&") if part) or None
    return event


def place(article: Article, comment_id: str, query: str = "") -> dict[str, Any]:
    response = article.list(place_request(comment_id, query))
    assert response["statusCode"] == 200, response
    answer: dict[str, Any] = body(response)
    return answer


def ids(comments: list[dict[str, Any]]) -> Iterator[str]:
    for comment in comments:
        yield comment["id"]
        yield from ids(comment["replies"])


@pytest.mark.parametrize("order", ["oldest", "newest"])
def test_every_comment_is_found_on_the_page_that_walking_the_listing_shows_it(
    article: Article, order: str
) -> None:
    tops = [article.post(f"Reader{n}") for n in range(8)]
    reply = article.post("Replier", parent_id=tops[1])
    article.post("Nested", parent_id=reply)
    article.post("Late", parent_id=tops[6])
    article.post("Pending", approve=False)

    walked: dict[str, tuple[int, str | None]] = {}
    cursor: str | None = None
    for number in range(1, 10):
        shown = article.page(f"&limit=3&order={order}" + (f"&cursor={cursor}" if cursor else ""))
        walked.update(dict.fromkeys(ids(shown["comments"]), (number, cursor)))
        cursor = shown["next_cursor"]
        if cursor is None:
            break

    assert len(walked) == 11
    for comment_id, (number, page_cursor) in walked.items():
        found = place(article, comment_id, f"limit=3&order={order}")
        assert (found["page"], found["cursor"]) == (number, page_cursor), comment_id
        assert found["article_slug"] == article.slug
        assert found["comment_id"] == comment_id
    assert place(article, reply, f"limit=3&order={order}")["thread_id"] == tops[1]


def test_the_page_answered_is_the_listing_page_that_holds_the_thread(article: Article) -> None:
    tops = [article.post(f"Reader{n}") for n in range(5)]
    reply = article.post("Replier", parent_id=tops[3])

    found = place(article, reply, "limit=2")
    shown = article.page(f"&limit=2&cursor={found['cursor']}")

    assert found["page"] == 2
    assert [comment["id"] for comment in shown["comments"]] == tops[2:4]
    assert reply in ids(shown["comments"])


def test_a_reply_whose_thread_top_was_removed_is_found_under_its_placeholder(article: Article) -> None:
    tops = [article.post(f"Reader{n}") for n in range(3)]
    reply = article.post("Replier", parent_id=tops[2])
    article.act("reject", tops[2])

    found = place(article, reply, "limit=2")

    assert (found["page"], found["thread_id"]) == (2, tops[2])
    shown = article.page(f"&limit=2&cursor={found['cursor']}")
    assert shown["comments"][0]["removed"] is True
    assert reply in ids(shown["comments"])


@pytest.mark.parametrize("status", ["pending", "reject", "spam", "delete", "unknown"])
def test_a_comment_the_listing_does_not_show_has_no_page(article: Article, status: str) -> None:
    comment_id = "0" * 32 if status == "unknown" else article.post("Hidden", approve=status != "pending")
    if status not in ("pending", "unknown"):
        article.act(status, comment_id)

    response = article.list(place_request(comment_id))

    assert response["statusCode"] == 404
    assert body(response)["error"]["code"] == "not_found"
    assert body(response)["error"]["field"] == "comment_id"


@pytest.mark.parametrize(
    ("comment_id", "query", "field"),
    [("not-an-id", "", "comment_id"), ("a" * 32, "limit=0", "limit"), ("a" * 32, "order=best", "order")],
)
def test_bad_parameters_are_named(article: Article, comment_id: str, query: str, field: str) -> None:
    response = article.list(place_request(comment_id, query))

    assert response["statusCode"] == 422
    assert field in str(body(response)["error"])


def test_follow_up_and_reply_emails_link_to_the_new_comments_anchor(app: Parley) -> None:
    author = subscribed_author(app)
    confirmed_subscribers(app, SUBSCRIBER)

    reply = app.post("bob@example.com", name="Bob", parent_id=author)
    app.approve(reply)
    app.send()

    permalink = f"{get_settings().article_url(SLUG)}#comment-{reply}"
    [replied] = [m for m in mail_to(ADA) if "replied" in m["subject"]]
    [follow_up] = [m for m in mail_to(SUBSCRIBER) if m["subject"] == "New comment by Bob"]
    for email in (replied, follow_up):
        assert f"Read it and reply: {permalink}\n" in email["text"]
        assert f'href="{permalink}"' in email["html"]


def test_a_place_is_revalidated_like_the_listing(article: Article) -> None:
    comment_id = article.post("Reader")
    first = article.list(place_request(comment_id))
    again = place_request(comment_id)
    again["headers"]["if-none-match"] = first["headers"]["ETag"]

    answer = article.list(again)

    assert first["headers"]["Cache-Control"].startswith("public, max-age=")
    assert (answer["statusCode"], answer["body"]) == (304, "")
