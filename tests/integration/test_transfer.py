"""The import and export actions of ModerateFunction against moto, read back through ListCommentsFunction."""

import uuid
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from tests.conftest import Invoke
from tests.helpers import body, json_post, list_request, valid_comment

SLUG = "hello-world"
NO_SUBSCRIPTIONS = {"subscriptions_written": 0, "subscriptions_existing": 0}


def cid(name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, name).hex


def stored(key: str, **fields: Any) -> dict[str, Any]:
    comment = {
        "id": cid(key),
        "article_slug": SLUG,
        "name": f"Reader {key}",
        "email": f"{key}@example.com",
        "message": f"What {key} wrote, long ago.",
        "status": "approved",
        "created_at": f"2019-01-0{len(key)}T10:00:00Z",
        "was_approved": True,
    }
    return {**comment, **fields}


# A thread three deep (the deepest reply stored before its parent), a short message with no email,
# a pending reply and a spam comment.
COMMENTS = [
    stored("a", message="ok", email=""),
    stored("ccc", parent_id=cid("bb"), root_id=cid("a"), name="Ярослав 山田"),
    stored("bb", parent_id=cid("a"), root_id=cid("a")),
    stored("dddd", parent_id=cid("a"), root_id=cid("a"), status="pending", was_approved=False),
    stored("eeeee", status="spam", was_approved=False),
]


@pytest.fixture
def moderate(function: Callable[[str], Invoke]) -> Invoke:
    return function("ModerateFunction")


@pytest.fixture
def listed(function: Callable[[str], Invoke]) -> Callable[[], dict[str, Any]]:
    invoke = function("ListCommentsFunction")
    return lambda: body(invoke(list_request(f"article_slug={SLUG}")))


def export_all(moderate: Invoke, **request: Any) -> list[dict[str, Any]]:
    comments: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = moderate({"action": "export", "limit": 2, "cursor": cursor, **request})
        assert page["format"] == "parley-export"
        comments += page["comments"]
        cursor = page["next_cursor"]
        if cursor is None:
            return comments


def test_import_keeps_threads_history_and_exact_counts(moderate: Invoke, listed: Callable[[], Any]) -> None:
    answer = moderate({"action": "import", "comments": COMMENTS})

    assert answer == {"written": 5, "existing": 0, "approved_written": 3, **NO_SUBSCRIPTIONS}
    page = listed()
    assert page["count"] == 3
    [thread] = page["comments"]
    assert (thread["name"], thread["message"]) == ("Reader a", "ok")
    [reply] = thread["replies"]
    assert reply["id"] == cid("bb")
    assert [(r["id"], r["name"]) for r in reply["replies"]] == [(cid("ccc"), "Ярослав 山田")]
    assert "email" not in str(page)


def test_importing_the_same_comments_again_adds_nothing(moderate: Invoke, listed: Callable[[], Any]) -> None:
    moderate({"action": "import", "comments": COMMENTS[:3]})
    before = listed()

    again = moderate({"action": "import", "comments": COMMENTS})

    assert again == {"written": 2, "existing": 3, "approved_written": 0, **NO_SUBSCRIPTIONS}
    assert listed() == before
    assert listed()["count"] == 3


def test_a_bad_comment_is_refused_naming_its_field_and_nothing_is_written(
    moderate: Invoke, listed: Callable[[], Any]
) -> None:
    answer = moderate({"action": "import", "comments": [COMMENTS[0], {**COMMENTS[1], "id": "x"}]})

    assert answer["error"]["code"] == "validation_failed"
    assert "comments.1.id" in answer["error"]["message"]
    assert listed()["comments"] == []


def test_export_pages_out_every_comment_of_an_article_with_every_field(moderate: Invoke) -> None:
    moderate({"action": "import", "comments": [*COMMENTS, stored("other", article_slug="elsewhere")]})

    exported = export_all(moderate, article_slug=SLUG)

    assert sorted(c["id"] for c in exported) == sorted(c["id"] for c in COMMENTS)
    spam = next(c for c in exported if c["id"] == cid("eeeee"))
    assert (spam["status"], spam["email"]) == ("spam", "eeeee@example.com")
    assert len(export_all(moderate)) == 6


def test_export_then_import_into_an_empty_table_gives_the_same_listing(
    moderate: Invoke, listed: Callable[[], Any], aws: dict[str, str]
) -> None:
    moderate({"action": "import", "comments": COMMENTS})
    moderate({"action": "delete", "comment_id": cid("a"), "moderator": "ada"})
    before = listed()
    exported = export_all(moderate)
    table = boto3.resource("dynamodb").Table(aws["CommentsTable"])
    for item in table.scan()["Items"]:
        table.delete_item(Key={"PK": item["PK"], "SK": item["SK"]})
    assert listed()["comments"] == []

    answer = moderate({"action": "import", "comments": exported})

    assert answer["written"] == len(exported)
    assert listed() == before
    assert before["comments"][0]["removed"] is True


def test_a_forged_export_cursor_is_refused(moderate: Invoke) -> None:
    answer = moderate({"action": "export", "cursor": "not-a-cursor"})

    assert answer["error"]["code"] == "validation_failed"
    assert "cursor" in answer["error"]["message"]


def test_replies_imported_under_a_comment_posted_here_are_listed(
    function: Callable[[str], Invoke], moderate: Invoke
) -> None:
    """A comment posted here is stored knowing it has no replies (the listing then skips reading its
    thread); an import that brings replies to it must change that."""
    submit, listing = function("SubmitCommentFunction"), function("ListCommentsFunction")
    top = body(submit(json_post(valid_comment(article_slug=SLUG))))["id"]
    moderate({"action": "approve", "comment_id": top, "moderator": "tests"})

    reply = stored("reply", parent_id=top, root_id=top, created_at="2030-01-01T10:00:00Z")
    assert moderate({"action": "import", "comments": [reply]})["written"] == 1

    [thread] = body(listing(list_request(f"article_slug={SLUG}")))["comments"]
    assert [r["id"] for r in thread["replies"]] == [reply["id"]]
