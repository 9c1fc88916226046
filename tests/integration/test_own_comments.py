"""A reader edits or deletes their own comment with the edit token of its 202, within the window."""

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from freezegun import freeze_time

from parley import reader_tokens, settings, tokens
from tests.conftest import Invoke, load_event
from tests.helpers import body, form_post, json_post, list_request, location_query, valid_comment
from tests.integration.stack_driver import Parley

SLUG = "professional-networking-strategies-2024"


class Author:
    """A reader who posted: their comment's id and edit token, and the routes to change it."""

    def __init__(self, function: Callable[[str], Invoke]) -> None:
        self.submit = function("SubmitCommentFunction")
        self.routes = function("ReaderDataFunction")
        self.list = function("ListCommentsFunction")

    def listing(self) -> dict[str, Any]:
        page: dict[str, Any] = body(self.list(list_request(f"article_slug={SLUG}")))
        return page

    def post(self, **fields: Any) -> tuple[str, str]:
        answer = self.submit(json_post(valid_comment(**fields)))
        assert answer["statusCode"] == 202, answer
        accepted = body(answer)
        return accepted["id"], accepted["edit_token"]

    def edit(self, comment_id: str, token: str | None, message: str) -> dict[str, Any]:
        event = load_event("edit_comment")
        return self.routes(_aimed(event, comment_id, token, json.dumps({"message": message})))

    def delete(self, comment_id: str, token: str | None) -> dict[str, Any]:
        return self.routes(_aimed(load_event("delete_comment"), comment_id, token, None))


def _aimed(event: dict[str, Any], comment_id: str, token: str | None, payload: str | None) -> dict[str, Any]:
    event["rawPath"] = event["requestContext"]["http"]["path"] = f"/api/comments/{comment_id}"
    event["pathParameters"] = {"comment_id": comment_id}
    event["headers"].pop("authorization", None)
    if token is not None:
        event["headers"]["authorization"] = f"Bearer {token}"
    if payload is not None:
        event["body"] = payload
    return event


@pytest.fixture
def author(function: Callable[[str], Invoke]) -> Author:
    return Author(function)


def stored(app: Parley, comment_id: str) -> dict[str, Any]:
    answer: dict[str, Any] = app.moderate({"action": "get", "comment_id": comment_id})
    return answer.get("comment") or answer


def test_a_json_submission_answers_an_edit_token_and_a_form_post_carries_none(author: Author) -> None:
    comment_id, token = author.post()

    assert reader_tokens.verify_edit(tokens.signing_secret(), token, 15) == comment_id
    redirected = author.submit(form_post(valid_comment(), referer=None))
    _, query = location_query(redirected)
    assert redirected["statusCode"] == 303
    assert all(len(value) < 40 for values in query.values() for value in values)  # ids and outcomes only


def test_an_edit_of_a_pending_comment_changes_its_text_and_keeps_it_pending(
    app: Parley, author: Author
) -> None:
    comment_id, token = author.post()

    answer = author.edit(comment_id, token, "Fixed: a thoughtful comment about networking.")

    assert answer["statusCode"] == 200, answer
    assert body(answer) == {
        "id": comment_id,
        "status": "pending",
        "message": "Your edit is awaiting moderation.",
    }
    assert stored(app, comment_id)["message"] == "Fixed: a thoughtful comment about networking."
    assert stored(app, comment_id)["status"] == "pending"


def test_an_edited_approved_comment_waits_for_approval_again_and_the_count_follows(
    app: Parley, author: Author
) -> None:
    comment_id, token = author.post()
    app.approve(comment_id)
    assert author.listing()["count"] == 1

    assert (
        author.edit(comment_id, token, "Now with a **link** to my shop, approved already?")["statusCode"]
        == 200
    )

    assert author.listing()["count"] == 0
    assert author.listing()["comments"] == []
    app.approve(comment_id)
    page = author.listing()
    assert page["count"] == 1
    assert page["comments"][0]["message"] == "Now with a **link** to my shop, approved already?"
    assert "<strong>link</strong>" in page["comments"][0]["message_html"]  # the edit's own rendering


def test_an_edited_comment_with_public_replies_keeps_their_place_while_pending(
    app: Parley, author: Author
) -> None:
    comment_id, token = author.post()
    app.approve(comment_id)
    reply = app.post("replier@example.org", parent_id=comment_id)
    app.approve(reply)

    author.edit(comment_id, token, "Changed my mind about the whole thing, really.")

    page = author.listing()
    [placeholder] = page["comments"]
    assert placeholder["id"] == comment_id
    assert placeholder["removed"] is True
    assert "message" not in placeholder
    assert "name" not in placeholder
    assert [r["id"] for r in placeholder["replies"]] == [reply]
    assert page["count"] == 1


def test_a_deleted_comment_with_public_replies_leaves_the_placeholder_and_counts_stay_exact(
    app: Parley, author: Author
) -> None:
    comment_id, token = author.post()
    app.approve(comment_id)
    reply = app.post("replier@example.org", parent_id=comment_id)
    app.approve(reply)
    assert author.listing()["count"] == 2

    answer = author.delete(comment_id, token)

    assert answer["statusCode"] == 204
    page = author.listing()
    assert page["count"] == 1
    assert page["comments"] == [
        {"id": comment_id, "removed": True, "replies": [page["comments"][0]["replies"][0]]}
    ]
    assert page["comments"][0]["replies"][0]["id"] == reply
    assert author.delete(comment_id, token)["statusCode"] == 404


def test_a_deleted_comment_without_replies_is_gone(app: Parley, author: Author) -> None:
    pending_id, pending_token = author.post()
    approved_id, approved_token = author.post()
    app.approve(approved_id)

    assert author.delete(pending_id, pending_token)["statusCode"] == 204
    assert author.delete(approved_id, approved_token)["statusCode"] == 204

    assert stored(app, pending_id)["error"]["code"] == "not_found"
    assert stored(app, approved_id)["error"]["code"] == "not_found"
    assert author.listing() == {"article_slug": SLUG, "count": 0, "comments": [], "next_cursor": None}


def test_forged_foreign_and_other_purpose_tokens_are_refused_and_change_nothing(
    app: Parley, author: Author
) -> None:
    mine, token = author.post()
    theirs, _ = author.post(email="someone@example.org")
    secret = tokens.signing_secret()
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    my_data = reader_tokens.sign_my_data(secret, reader_tokens.reader_key("ada@example.com"))
    confirm = tokens.sign(secret, tokens.SubscriberToken("confirm", SLUG, mine))
    text = "This text must never be stored anywhere."

    for bad in (forged, my_data, confirm, "", "not-a-token"):
        assert author.edit(mine, bad, text)["statusCode"] == 403, bad
        assert author.delete(mine, bad)["statusCode"] == 403, bad
    assert author.edit(theirs, token, text)["statusCode"] == 403
    assert author.delete(theirs, token)["statusCode"] == 403
    missing = author.delete(mine, None)
    assert missing["statusCode"] == 401
    assert body(missing)["error"]["field"] == "Authorization"
    assert stored(app, mine)["message"] != text
    assert stored(app, theirs)["message"] != text


def test_after_the_window_the_token_is_gone_and_nothing_changes(app: Parley, author: Author) -> None:
    window = settings.get_settings().edit_window_minutes
    with freeze_time(datetime.now(UTC) - timedelta(minutes=window, seconds=30)):
        comment_id, token = author.post()

    edited = author.edit(comment_id, token, "Too late to change this comment now.")
    deleted = author.delete(comment_id, token)

    assert edited["statusCode"] == deleted["statusCode"] == 410
    assert body(edited)["error"]["code"] == "window_closed"
    assert stored(app, comment_id)["status"] == "pending"
    assert stored(app, comment_id)["message"] != "Too late to change this comment now."


def test_an_unknown_comment_is_not_found_and_a_bad_edit_names_its_field(author: Author) -> None:
    comment_id, token = author.post()

    assert author.delete("0" * 32, token)["statusCode"] == 404
    short = author.edit(comment_id, token, "short")
    assert short["statusCode"] == 422
    assert body(short)["error"]["field"] == "message"
    assert author.edit("not-an-id", token, "A long enough message here.")["statusCode"] == 422
