"""A reader edits and deletes their own comment in the widget, with the token it kept (Chromium)."""

import pytest
import requests
from playwright.sync_api import Dialog, Page, expect

from parley_cli.devprocess import RunningStack, invoke_function
from tests.e2e.test_widget import (
    AWAITING_MODERATION,
    approve,
    fill_comment,
    fresh_slug,
    open_article,
    stored_comment,
    submit_with_widget,
)

pytestmark = pytest.mark.e2e


def count(stack: RunningStack, slug: str) -> int:
    answer = requests.get(f"{stack.api}/api/comments/count", params={"article_slug": slug}, timeout=10)
    return int(answer.json()["counts"][slug])


def test_a_reader_edits_their_pending_comment_and_sees_the_new_text_as_pending(
    page: Page, local_stack: RunningStack
) -> None:
    slug = fresh_slug()
    open_article(page, local_stack, slug)
    fill_comment(page, "Ada Lovelace", "A comment with a tpyo in it.")
    comment_id = submit_with_widget(page)
    expect(page.get_by_role("status")).to_have_text(AWAITING_MODERATION)
    page.reload()  # the token is kept in the browser: Edit and Delete are still there
    mine = page.locator(f"#comment-{comment_id}")
    expect(mine).to_contain_text("Awaiting moderation: only you can see this for now.")

    mine.get_by_role("button", name="Edit").click()
    page.get_by_label("Edit").fill("A comment without a typo in it.")
    page.get_by_role("button", name="Save").click()

    expect(mine.locator(".parley-comment-body")).to_have_text("A comment without a typo in it.")
    expect(mine).to_contain_text("Your edit is awaiting moderation.")
    stored = stored_comment(local_stack, comment_id)
    assert (stored["message"], stored["status"]) == ("A comment without a typo in it.", "pending")


def test_an_edited_approved_comment_leaves_the_count_until_approved_again(
    page: Page, local_stack: RunningStack
) -> None:
    slug = fresh_slug()
    open_article(page, local_stack, slug)
    fill_comment(page, "Ada Lovelace", "Approved first, edited later.")
    comment_id = submit_with_widget(page)
    approve(local_stack, comment_id)
    page.reload()
    mine = page.locator(f"#comment-{comment_id}")
    expect(page.locator("#comment-count")).to_have_text("1")

    mine.get_by_role("button", name="Edit").click()
    page.get_by_label("Edit").fill("Approved first, then changed by its author.")
    page.get_by_role("button", name="Save").click()

    expect(mine).to_contain_text("Your edit is awaiting moderation.")
    expect(page.locator("#comment-count")).to_have_text("0")
    assert count(local_stack, slug) == 0
    assert stored_comment(local_stack, comment_id)["status"] == "pending"


def test_a_reader_deletes_their_comment_after_confirming(page: Page, local_stack: RunningStack) -> None:
    slug = fresh_slug()
    open_article(page, local_stack, slug)
    fill_comment(page, "Ada Lovelace", "A comment I will take back.")
    comment_id = submit_with_widget(page)
    approve(local_stack, comment_id)
    page.reload()
    mine = page.locator(f"#comment-{comment_id}")
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    mine.get_by_role("button", name="Delete").click()

    expect(mine).to_have_text("Your comment was deleted.")
    expect(page.locator("#comment-count")).to_have_text("0")
    assert asked == ["Delete your comment? This cannot be undone."]
    gone = invoke_function(local_stack, "ModerateFunction", {"action": "get", "comment_id": comment_id})
    assert gone["error"]["code"] == "not_found"
    assert count(local_stack, slug) == 0


def test_once_the_window_has_closed_no_buttons_show(page: Page, local_stack: RunningStack) -> None:
    slug = fresh_slug()
    open_article(page, local_stack, slug)
    fill_comment(page, "Ada Lovelace", "A comment whose window will close.")
    comment_id = submit_with_widget(page)
    mine = page.locator(f"#comment-{comment_id}")
    expect(mine.get_by_role("button", name="Edit")).to_be_visible()

    page.evaluate(
        """() => {
            const all = JSON.parse(localStorage.getItem("parley-own-comments"));
            for (const id in all) all[id].until = Date.now() - 1;
            localStorage.setItem("parley-own-comments", JSON.stringify(all));
        }"""
    )

    expect(mine.get_by_role("button", name="Edit")).to_have_count(0)
    page.reload()
    expect(page.locator(f"#comment-{comment_id}")).to_have_count(0)
