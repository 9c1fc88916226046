"""Replies: who may be replied to, threads in the listing, and moderation that keeps threads whole."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from freezegun import freeze_time

from parley import listing
from parley.models import Comment, CommentStatus
from parley.storage.comment_items import stats_key
from parley.storage.comments import CommentRepository
from parley.storage.dynamo import dynamodb, to_attributes
from tests.conftest import Invoke
from tests.helpers import body, form_post, json_post, list_request, location_query, valid_comment

SLUG = "professional-networking-strategies-2024"


class Article:
    """One article's comments, posted, moderated and read through the stack's functions."""

    def __init__(self, function: Callable[[str], Invoke], slug: str = SLUG) -> None:
        self.submit = function("SubmitCommentFunction")
        self.moderate = function("ModerateFunction")
        self.list = function("ListCommentsFunction")
        self.slug = slug
        self.clock = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def post(
        self, name: str, parent_id: str | None = None, approve: bool = True, slug: str | None = None
    ) -> str:
        """A comment (a minute after the last one), approved unless asked otherwise."""
        self.clock += timedelta(minutes=1)
        fields = valid_comment(article_slug=slug or self.slug, name=name, email=f"{name.lower()}@example.com")
        if parent_id:
            fields["parent_id"] = parent_id
        with freeze_time(self.clock):
            answer = self.submit(json_post(fields))
        assert answer["statusCode"] == 202, body(answer)
        comment_id: str = body(answer)["id"]
        if approve:
            self.act("approve", comment_id)
        return comment_id

    def act(self, action: str, comment_id: str) -> dict[str, Any]:
        answer = self.moderate({"action": action, "comment_id": comment_id, "moderator": "tests"})
        assert "error" not in answer, answer
        return answer

    def page(self, query: str = "") -> dict[str, Any]:
        response = self.list(list_request(f"article_slug={self.slug}{query}"))
        assert response["statusCode"] == 200, response
        page: dict[str, Any] = body(response)
        return page


def outline(comments: list[dict[str, Any]]) -> list[Any]:
    """A thread as names (or "removed"), each followed by its replies' outline when it has any."""
    shape: list[Any] = []
    for comment in comments:
        shape.append("removed" if comment.get("removed") else comment["name"])
        if comment["replies"]:
            shape.append(outline(comment["replies"]))
    return shape


@pytest.fixture
def article(function: Callable[[str], Invoke]) -> Article:
    return Article(function)


def test_replies_nest_under_their_parents_oldest_first_at_any_depth(article: Article) -> None:
    ada = article.post("Ada")
    grace = article.post("Grace")
    bob = article.post("Bob", parent_id=ada)
    article.post("Cy", parent_id=bob)
    article.post("Dee", parent_id=ada)
    article.post("Eve", parent_id=grace)

    page = article.page()

    assert outline(page["comments"]) == ["Ada", ["Bob", ["Cy"], "Dee"], "Grace", ["Eve"]]
    assert page["count"] == 6
    cy = page["comments"][0]["replies"][0]["replies"][0]
    assert cy["parent_id"] == bob
    assert cy["message_html"].startswith("<p>")
    assert "email" not in str(page)


def test_limit_counts_threads_and_newest_orders_threads_but_not_replies(article: Article) -> None:
    first, second, third = article.post("Ada"), article.post("Bob"), article.post("Cy")
    article.post("Dee", parent_id=first)
    article.post("Eve", parent_id=first)
    article.post("Fay", parent_id=third)

    oldest = article.page("&limit=2")
    newest = article.page("&limit=2&order=newest")
    rest = article.page(f"&limit=2&order=newest&cursor={newest['next_cursor']}")

    assert outline(oldest["comments"]) == ["Ada", ["Dee", "Eve"], "Bob"]
    assert outline(newest["comments"]) == ["Cy", ["Fay"], "Bob"]
    assert outline(rest["comments"]) == ["Ada", ["Dee", "Eve"]]
    assert rest["next_cursor"] is None
    assert {oldest["count"], newest["count"]} == {6}
    assert second


def test_a_reply_is_listed_only_once_approved(article: Article) -> None:
    ada = article.post("Ada")
    reply = article.post("Bob", parent_id=ada, approve=False)
    assert outline(article.page()["comments"]) == ["Ada"]

    article.act("approve", reply)

    assert outline(article.page()["comments"]) == ["Ada", ["Bob"]]


@pytest.mark.parametrize("parent", ["unknown", "pending", "rejected", "other article"])
def test_a_reply_must_answer_a_published_comment_of_the_same_article(article: Article, parent: str) -> None:
    parents = {
        "unknown": lambda: "0" * 32,
        "pending": lambda: article.post("Ada", approve=False),
        "rejected": lambda: article.act("reject", article.post("Ada"))["comment"]["id"],
        "other article": lambda: article.post("Ada", slug="another-article"),
    }
    parent_id = parents[parent]()

    answer = article.submit(json_post(valid_comment(parent_id=parent_id)))

    assert answer["statusCode"] == 422
    assert body(answer)["error"]["field"] == "parent_id"
    assert body(answer)["error"]["code"] == "validation_failed"
    assert article.moderate({"action": "list_pending", "limit": 50})["comments"] == (
        []
        if parent != "pending"
        else [article.moderate({"action": "get", "comment_id": parent_id})["comment"]]
    )


def test_a_form_reply_to_nothing_goes_back_to_the_page_naming_the_field(article: Article) -> None:
    fields = valid_comment(parent_id="0" * 32)
    answer = article.submit(form_post({k: str(v) for k, v in fields.items()}))

    assert answer["statusCode"] == 303
    _, query = location_query(answer)
    assert query["comment"] == ["invalid"]
    assert query["fields"] == ["parent_id"]


@pytest.mark.parametrize("removal", ["reject", "spam", "delete"])
def test_removing_a_comment_with_public_replies_leaves_a_placeholder(article: Article, removal: str) -> None:
    ada = article.post("Ada")
    bob = article.post("Bob", parent_id=ada)
    article.post("Cy", parent_id=bob)
    article.post("Grace")

    article.act(removal, ada)
    article.act(removal, bob)
    page = article.page()

    assert outline(page["comments"]) == ["removed", ["removed", ["Cy"]], "Grace"]
    assert page["comments"][0] == {
        "id": ada,
        "removed": True,
        "replies": page["comments"][0]["replies"],
    }
    assert page["count"] == 2


def test_a_placeholder_goes_when_its_last_public_reply_goes(article: Article) -> None:
    ada = article.post("Ada")
    bob = article.post("Bob", parent_id=ada)
    article.act("reject", ada)
    assert outline(article.page()["comments"]) == ["removed", ["Bob"]]

    article.act("reject", bob)
    page = article.page()

    assert page["comments"] == []
    assert page["count"] == 0


def test_a_removed_comment_without_public_replies_is_simply_gone(article: Article) -> None:
    ada = article.post("Ada")
    article.post("Bob", parent_id=ada, approve=False)

    article.act("reject", ada)

    assert article.page()["comments"] == []


def test_moderators_see_what_a_reply_answers(article: Article) -> None:
    ada = article.post("Ada")
    reply = article.post("Bob", parent_id=ada, approve=False)

    shown = article.moderate({"action": "get", "comment_id": reply})["comment"]
    [pending] = article.moderate({"action": "list_pending", "limit": 10})["comments"]

    for comment in (shown, pending):
        assert comment["parent"]["id"] == ada
        assert comment["parent"]["name"] == "Ada"
        assert comment["parent"]["message"].startswith("A thoughtful comment")


def test_a_long_thread_gives_the_rest_through_its_own_cursor(
    article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "THREAD_PAGE_SIZE", 4)
    ada = article.post("Ada")
    names = [f"Reader{index}" for index in range(7)]
    for name in names:
        article.post(name, parent_id=ada)

    [thread] = article.page()["comments"]
    rest = []
    cursor = thread["replies_cursor"]
    while cursor:
        response = article.list(
            list_request(f"comment_id={ada}&cursor={cursor}") | {"rawPath": "/api/comments/replies"}
        )
        more = body(response)
        rest += more["replies"]
        cursor = more["next_cursor"]

    assert [r["name"] for r in thread["replies"]] == names[:3]
    assert [r["name"] for r in rest] == names[3:]
    assert all(r["parent_id"] == ada for r in rest)


def test_comments_listed_before_threads_existed_are_threads_of_one(
    article: Article, repository: CommentRepository
) -> None:
    """Items written by the flat version carry GSI1 keys only (no thread keys, no root_id)."""
    legacy = Comment(
        id="a" * 32,
        article_slug=SLUG,
        name="Old Timer",
        email="old@example.com",
        message="Written before replies were threads.",
        parent_id="b" * 32,
        status=CommentStatus.APPROVED,
        created_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    item = to_attributes(
        {
            **legacy.model_dump(mode="json", exclude_none=True),
            "GSI1PK": f"ARTICLE#{SLUG}",
            "GSI1SK": "2025-01-01T00:00:00.000000Z#" + legacy.id,
        }
    )
    dynamodb().put_item(
        TableName=repository.table_name,
        Item={**item, "PK": {"S": f"COMMENT#{legacy.id}"}, "SK": {"S": "COMMENT"}},
    )
    dynamodb().put_item(
        TableName=repository.table_name, Item={**stats_key(SLUG), "approved_count": {"N": "1"}}
    )
    reply = article.post("Ada", parent_id=legacy.id)

    page = article.page()

    assert outline(page["comments"]) == ["Old Timer", ["Ada"]]
    assert page["count"] == 2
    article.act("reject", legacy.id)
    assert outline(article.page()["comments"]) == ["removed", ["Ada"]]
    assert reply


def test_a_removed_top_stays_while_the_rest_of_its_long_thread_is_to_come(
    article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "THREAD_PAGE_SIZE", 2)
    ada = article.post("Ada")
    bob = article.post("Bob", parent_id=ada)
    article.post("Cy", parent_id=ada)
    article.act("reject", bob)
    article.act("reject", ada)

    [thread] = article.page()["comments"]
    more = body(
        article.list(
            list_request(f"comment_id={ada}&cursor={thread['replies_cursor']}")
            | {"rawPath": "/api/comments/replies"}
        )
    )

    assert thread == {"id": ada, "removed": True, "replies": [], "replies_cursor": thread["replies_cursor"]}
    assert [(r["name"], r["parent_id"]) for r in more["replies"]] == [("Cy", ada)]
