"""The article page in a real browser (Debian's Chromium through Playwright), as a reader meets it."""

import itertools
import re
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import Browser, Dialog, Locator, Page, Route, expect

from parley.listing import THREAD_PAGE_SIZE
from parley_cli.devprocess import RunningStack, invoke_function

pytestmark = pytest.mark.e2e
GERMAN_MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
AWAITING_MODERATION = "Thank you! Your comment is awaiting moderation."
REPLY_AWAITING_MODERATION = "Thank you! Your reply is awaiting moderation."
reader_addresses = (f"203.0.113.{n % 250 + 1}" for n in itertools.count())


def fresh_slug() -> str:
    return f"widget-{uuid.uuid4().hex[:12]}"


def open_article(page: Page, stack: RunningStack, slug: str) -> None:
    page.goto(f"{stack.api}/articles/{slug}")


def fill_comment(page: Page, name: str, message: str, email: str = "reader@example.com") -> None:
    page.fill("#comment-name", name)
    page.fill("#comment-email", email)
    page.fill("#comment-message", message)


def post_comment(stack: RunningStack, slug: str, name: str, message: str, **fields: str) -> str:
    """A comment posted as another reader would, straight to the API; its id."""
    response = requests.post(
        f"{stack.api}/api/comments",
        json={"article_slug": slug, "name": name, "email": "other@example.com", "message": message, **fields},
        headers={"X-Forwarded-For": next(reader_addresses)},
        timeout=10,
    )
    assert response.status_code == 202, response.text
    comment_id: str = response.json()["id"]
    return comment_id


def moderate(stack: RunningStack, action: str, comment_id: str) -> dict[str, Any]:
    answer: dict[str, Any] = invoke_function(
        stack, "ModerateFunction", {"action": action, "comment_id": comment_id, "moderator": "test"}
    )
    return answer


def approve(stack: RunningStack, comment_id: str) -> None:
    answer = moderate(stack, "approve", comment_id)
    assert answer["comment"]["status"] == "approved", answer


def published(stack: RunningStack, slug: str, name: str, message: str, parent_id: str | None = None) -> str:
    """A comment (a reply when `parent_id` is given) posted by another reader and approved; its id."""
    fields = {"parent_id": parent_id} if parent_id else {}
    comment_id = post_comment(stack, slug, name, message, **fields)
    approve(stack, comment_id)
    return comment_id


def reply_button(page: Page, comment_id: str) -> Locator:
    """The comment's own Reply button (not those of its replies)."""
    return page.locator(f"#comment-{comment_id} > .parley-reply")


def left_edge(page: Page, comment_id: str) -> float:
    box = page.locator(f"#comment-{comment_id}").bounding_box()
    assert box is not None
    return box["x"]


def stored_comment(stack: RunningStack, comment_id: str) -> dict[str, Any]:
    """The comment as a moderator sees it, every field included."""
    comment: dict[str, Any] = invoke_function(
        stack, "ModerateFunction", {"action": "get", "comment_id": comment_id}
    )["comment"]
    return comment


def submit_with_widget(page: Page) -> str:
    """Clicks "Post Comment" and answers the id of the comment the widget sent."""
    with page.expect_response(
        lambda r: r.url.endswith("/api/comments") and r.request.method == "POST"
    ) as sent:
        page.click("button.submit-comment-btn")
    return str(sent.value.json()["id"])


def test_a_new_article_shows_that_it_has_no_comments_and_logs_no_errors(
    page: Page, local_stack: RunningStack
) -> None:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    response = page.goto(f"{local_stack.api}/articles/{fresh_slug()}")

    expect(page.locator("#no-comments")).to_be_visible()
    expect(page.locator("#comments-loading")).to_be_hidden()
    expect(page.locator("#load-more-comments")).to_be_hidden()
    expect(page.locator("#comment-count")).to_have_text("0")
    expect(page.get_by_role("heading", name="About the Author")).to_be_visible()
    expect(page.get_by_role("heading", name="Comment Guidelines")).to_be_visible()
    assert response is not None
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert problems == []


def test_posting_shows_the_awaiting_moderation_message(page: Page, local_stack: RunningStack) -> None:
    slug = fresh_slug()
    open_article(page, local_stack, slug)
    fill_comment(page, "Ada Lovelace", "Posted from the widget, please approve.")
    page.check("#comment-notifications")

    comment_id = submit_with_widget(page)

    expect(page.get_by_role("status")).to_have_text(AWAITING_MODERATION)
    expect(page.locator("#comment-message")).to_have_value("")
    expect(page.locator("button.submit-comment-btn")).to_be_enabled()
    stored = stored_comment(local_stack, comment_id)
    assert (stored["article_slug"], stored["name"], stored["status"]) == (slug, "Ada Lovelace", "pending")
    assert stored["notifications"] is True


def test_an_approved_comment_shows_after_a_reload_dated_in_the_readers_locale(
    browser: Browser, local_stack: RunningStack
) -> None:
    slug = fresh_slug()
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    page = context.new_page()
    open_article(page, local_stack, slug)
    fill_comment(page, "Grace Hopper", "Networking is a team sport.")
    page.fill("#comment-website", "https://grace.example.org/")
    comment_id = submit_with_widget(page)
    expect(page.get_by_role("status")).to_have_text(AWAITING_MODERATION)

    approve(local_stack, comment_id)
    page.reload()

    comment = page.locator(f"#comment-{comment_id}")
    expect(comment).to_contain_text("Networking is a team sport.")
    expect(page.locator("#comment-count")).to_have_text("1")
    expect(page.locator("#no-comments")).to_be_hidden()
    author = comment.get_by_role("link", name="Grace Hopper")
    expect(author).to_have_attribute("href", "https://grace.example.org/")
    expect(author).to_have_attribute("rel", "nofollow ugc noopener")
    created = datetime.fromisoformat(stored_comment(local_stack, comment_id)["created_at"])
    in_berlin = created.astimezone(ZoneInfo("Europe/Berlin"))
    expect(comment.locator("time")).to_contain_text(
        f"{in_berlin.day}. {GERMAN_MONTHS[in_berlin.month - 1]} {in_berlin.year}"
    )
    context.close()


def test_load_more_shows_the_next_page_of_comments(page: Page, local_stack: RunningStack) -> None:
    slug = fresh_slug()
    for number in range(1, 26):
        approve(local_stack, post_comment(local_stack, slug, f"Reader {number}", f"Comment number {number}."))

    open_article(page, local_stack, slug)
    comments = page.locator("#comments-container .parley-comment")
    expect(comments).to_have_count(20)
    expect(page.locator("#comment-count")).to_have_text("25")
    page.get_by_role("button", name="Load More Comments").click()

    expect(comments).to_have_count(25)
    expect(comments.last).to_contain_text("Comment number 25.")
    expect(page.locator("#load-more-comments")).to_be_hidden()


def test_a_validation_error_shows_at_its_field_and_keeps_what_was_typed(
    page: Page, local_stack: RunningStack
) -> None:
    open_article(page, local_stack, fresh_slug())
    fill_comment(page, "Ada Lovelace", "Too short")

    page.click("button.submit-comment-btn")

    message = page.locator("#comment-message")
    expect(page.locator("#comment-message-error")).to_contain_text("at least 10 characters")
    expect(message).to_have_attribute("aria-invalid", "true")
    expect(message).to_have_attribute(
        "aria-describedby", "message-help parley-format-help comment-message-error"
    )
    expect(page.get_by_role("status")).to_contain_text("not saved")
    expect(message).to_have_value("Too short")
    expect(page.locator("#comment-name")).to_have_value("Ada Lovelace")
    page.fill("#comment-message", "Long enough now.")
    expect(page.locator("#comment-message-error")).to_have_count(0)
    expect(message).to_have_attribute("aria-describedby", "message-help parley-format-help")


def test_the_button_is_disabled_while_the_comment_is_being_sent(
    page: Page, local_stack: RunningStack
) -> None:
    open_article(page, local_stack, fresh_slug())
    fill_comment(page, "Ada Lovelace", "Checking the button while sending.")
    button_while_sending: list[bool] = []

    def hold_the_post(route: Route) -> None:
        button_while_sending.append(page.locator("button.submit-comment-btn").is_disabled())
        route.continue_()

    page.route("**/api/comments", hold_the_post)
    submit_with_widget(page)

    expect(page.get_by_role("status")).to_have_text(AWAITING_MODERATION)
    assert button_while_sending == [True]
    expect(page.locator("button.submit-comment-btn")).to_be_enabled()


def test_an_unreachable_api_is_reported_and_the_comment_stays_in_the_form(
    page: Page, local_stack: RunningStack
) -> None:
    page.route("**/api/comments**", lambda route: route.abort("connectionrefused"))
    open_article(page, local_stack, fresh_slug())
    expect(page.get_by_role("alert")).to_contain_text("cannot be reached")

    fill_comment(page, "Ada Lovelace", "Nobody is listening on the other end.")
    page.click("button.submit-comment-btn")

    expect(page.get_by_role("status")).to_contain_text("cannot be reached")
    expect(page.locator("#comment-message")).to_have_value("Nobody is listening on the other end.")
    expect(page.locator("button.submit-comment-btn")).to_be_enabled()


def test_with_javascript_off_the_form_posts_and_lands_back_on_the_article(
    browser: Browser, local_stack: RunningStack
) -> None:
    slug = fresh_slug()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    open_article(page, local_stack, slug)
    fill_comment(page, "Grace Hopper", "Posted with JavaScript off.")

    page.click("button.submit-comment-btn")
    page.wait_for_url(re.compile(r"comment=pending"))

    landed = page.url
    assert landed.startswith(f"{local_stack.api}/articles/{slug}?comment=pending&id=")
    assert landed.endswith("#comments")
    expect(page.locator("#comment-form")).to_be_visible()
    comment_id = re.search(r"id=([0-9a-f]+)", landed)
    assert comment_id is not None
    stored = stored_comment(local_stack, comment_id[1])
    assert (stored["article_slug"], stored["status"], stored["message"]) == (
        slug,
        "pending",
        "Posted with JavaScript off.",
    )
    context.close()


def test_when_the_widget_cannot_load_the_page_still_shows_the_form_posts_outcome(
    page: Page, local_stack: RunningStack
) -> None:
    page.route("**/parley.js", lambda route: route.abort())
    slug = fresh_slug()
    open_article(page, local_stack, slug)
    fill_comment(page, "Grace Hopper", "Posted by the browser itself.")

    page.click("button.submit-comment-btn")
    page.wait_for_url(re.compile(r"comment=pending"))

    expect(page.get_by_role("status")).to_have_text(AWAITING_MODERATION)


def test_a_refused_form_post_names_the_fields_to_check(page: Page, local_stack: RunningStack) -> None:
    page.goto(f"{local_stack.api}/articles/{fresh_slug()}?comment=invalid&fields=name,email#comments")

    expect(page.get_by_role("status")).to_have_text(
        "Your comment was not saved. Please check Name, Email and send it again."
    )
    expect(page.locator("#comment-name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#comment-email")).to_have_attribute("aria-invalid", "true")
    page.fill("#comment-name", "Ada Lovelace")
    expect(page.locator("#comment-name")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#comment-name")).to_have_attribute("aria-describedby", "name-help")


def test_a_hostile_comment_is_shown_as_text_and_runs_nothing(page: Page, local_stack: RunningStack) -> None:
    slug = fresh_slug()
    hostile_name = '<img src=x onerror="window.parleyAttacked=true">'
    hostile_message = (
        "<script>window.parleyAttacked = true; alert(1)</script> "
        '<img src=x onerror="window.parleyAttacked=true;alert(2)"> see https://example.org/ok'
    )
    approve(local_stack, post_comment(local_stack, slug, hostile_name, hostile_message))
    dialogs: list[str] = []

    def note_and_dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", note_and_dismiss)

    open_article(page, local_stack, slug)

    comment = page.locator("#comments-container .parley-comment")
    expect(comment).to_have_count(1)
    expect(comment.locator(".parley-comment-author")).to_have_text(hostile_name)
    expect(comment.locator(".parley-comment-body")).to_contain_text("<script>window.parleyAttacked = true;")
    expect(comment.locator(".parley-comment-body")).to_contain_text(
        '<img src=x onerror="window.parleyAttacked'
    )
    expect(comment.get_by_role("link", name="https://example.org/ok")).to_have_attribute(
        "rel", "nofollow ugc noopener"
    )
    expect(page.locator("#comments-container img, #comments-container script")).to_have_count(0)
    assert page.evaluate("window.parleyAttacked") is None
    assert dialogs == []


def test_the_honeypot_is_out_of_sight_and_a_bot_that_fills_it_is_held_as_spam(
    page: Page, local_stack: RunningStack
) -> None:
    slug = fresh_slug()
    open_article(page, local_stack, slug)
    honeypot = page.locator('input[name="homepage"]')
    expect(honeypot).to_have_attribute("tabindex", "-1")
    box = honeypot.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] < 0  # off the page, out of sight
    fill_comment(page, "Spam Bot", "Cheap watches at a great price today")
    honeypot.evaluate("input => { input.value = 'https://watches.example' }")

    comment_id = submit_with_widget(page)

    expect(page.get_by_role("status")).to_have_text(AWAITING_MODERATION)
    assert stored_comment(local_stack, comment_id)["status"] == "spam"


def test_reply_moves_the_form_under_the_comment_and_the_approved_reply_shows_beneath_it(
    page: Page, local_stack: RunningStack
) -> None:
    slug = fresh_slug()
    ada = published(local_stack, slug, "Ada Lovelace", "Who keeps notes after a conference?")
    open_article(page, local_stack, slug)
    thread = page.locator(f"#comment-{ada}")

    thread.get_by_role("button", name="Reply", exact=True).click()

    expect(thread.locator("#comment-form")).to_be_visible()
    expect(thread.locator(".parley-replying")).to_contain_text("Replying to Ada Lovelace")
    expect(page.locator("#comment-name")).to_be_focused()
    expect(page.locator(".parley-announcer")).to_have_text("Replying to Ada Lovelace")
    fill_comment(page, "Grace Hopper", "I do, the same evening.")
    reply = submit_with_widget(page)

    expect(thread.get_by_role("status")).to_have_text(REPLY_AWAITING_MODERATION)
    expect(page.locator(".comment-form > #comment-form")).to_be_visible()
    expect(thread.locator("#comment-form")).to_have_count(0)
    expect(reply_button(page, ada)).to_be_focused()
    assert stored_comment(local_stack, reply)["parent_id"] == ada

    approve(local_stack, reply)
    page.reload()

    nested = page.locator(f"#comment-{ada} .parley-replies #comment-{reply}")
    expect(nested).to_contain_text("I do, the same evening.")
    expect(nested.locator(".parley-comment-author")).to_have_text("Grace Hopper")
    expect(page.locator("#comments-container > .parley-comment")).to_have_count(1)
    expect(page.locator("#comment-count")).to_have_text("2")
    assert left_edge(page, reply) > left_edge(page, ada)


def test_cancel_puts_the_form_back_and_the_next_comment_is_not_a_reply(
    page: Page, local_stack: RunningStack
) -> None:
    slug = fresh_slug()
    ada = published(local_stack, slug, "Ada Lovelace", "Who keeps notes after a conference?")
    open_article(page, local_stack, slug)
    reply_button(page, ada).click()
    expect(page.locator(f"#comment-{ada} #comment-form")).to_be_visible()

    page.get_by_role("button", name="Cancel").click()

    expect(page.locator(".comment-form > #comment-form")).to_be_visible()
    expect(page.locator(".parley-replying")).to_have_count(0)
    expect(reply_button(page, ada)).to_be_focused()
    fill_comment(page, "Grace Hopper", "A comment of its own, not a reply.")
    comment_id = submit_with_widget(page)
    expect(page.get_by_role("status")).to_have_text(AWAITING_MODERATION)
    assert stored_comment(local_stack, comment_id).get("parent_id") is None


def test_a_deep_thread_is_indented_a_few_levels_and_a_removed_comment_keeps_its_replies(
    page: Page, local_stack: RunningStack
) -> None:
    slug = fresh_slug()
    names = ["Ada", "Babbage", "Curie", "Dijkstra", "Euler", "Fermat"]
    thread: list[str] = []
    for name in names:
        thread.append(
            published(local_stack, slug, name, f"{name} joins the thread.", thread[-1] if thread else None)
        )
    removed = published(local_stack, slug, "Mallory", "Buy cheap watches here please.")
    kept = published(local_stack, slug, "Grace", "Answering the comment that is gone.", removed)
    moderate(local_stack, "reject", removed)

    open_article(page, local_stack, slug)

    for parent, reply in itertools.pairwise(thread):
        expect(page.locator(f"#comment-{parent} > .parley-replies > #comment-{reply}")).to_be_visible()
    edges = [left_edge(page, comment_id) for comment_id in thread]
    assert edges[0] < edges[1] < edges[2] < edges[3] == edges[4] == edges[5]  # three levels, no deeper
    for shallow in thread[:4]:
        expect(page.locator(f"#comment-{shallow} > header .parley-in-reply-to")).to_have_count(0)
    deep = page.locator(f"#comment-{thread[4]} > header .parley-in-reply-to")
    expect(deep).to_have_text("in reply to Dijkstra")
    expect(deep).to_have_attribute("href", f"#comment-{thread[3]}")
    expect(page.locator(f"#comment-{thread[5]} > header")).to_contain_text("in reply to Euler")
    placeholder = page.locator(f"#comment-{removed}")
    expect(placeholder.locator(".parley-removed")).to_have_text("This comment was removed.")
    expect(placeholder).not_to_contain_text("Mallory")
    expect(placeholder).not_to_contain_text("watches")
    expect(reply_button(page, removed)).to_have_count(0)
    expect(placeholder.locator(f".parley-replies #comment-{kept}")).to_contain_text("Answering the comment")
    expect(reply_button(page, kept)).to_be_visible()
    expect(page.locator("#comment-count")).to_have_text("7")


def test_the_sort_control_shows_the_newest_threads_first_with_replies_still_oldest_first(
    page: Page, local_stack: RunningStack
) -> None:
    slug = fresh_slug()
    first = published(local_stack, slug, "Ada", "The first comment of all.")
    early = published(local_stack, slug, "Babbage", "An early reply.", first)
    late = published(local_stack, slug, "Curie", "A later reply.", first)
    last = published(local_stack, slug, "Dijkstra", "The latest comment of all.")
    open_article(page, local_stack, slug)
    threads = page.locator("#comments-container > .parley-comment")
    expect(threads).to_have_count(2)
    expect(threads.first).to_have_id(f"comment-{first}")

    page.get_by_label("Sort comments").select_option(label="Newest first")

    expect(threads.first).to_have_id(f"comment-{last}")
    expect(threads.last).to_have_id(f"comment-{first}")
    expect(page.locator(f"#comment-{first} .parley-replies > .parley-comment")).to_have_count(2)
    replies = page.locator(f"#comment-{first} .parley-replies > .parley-comment")
    expect(replies.first).to_have_id(f"comment-{early}")
    expect(replies.last).to_have_id(f"comment-{late}")
    page.get_by_label("Sort comments").select_option(label="Oldest first")
    expect(threads.first).to_have_id(f"comment-{first}")


def test_a_reader_replies_with_the_keyboard_alone(page: Page, local_stack: RunningStack) -> None:
    slug = fresh_slug()
    ada = published(local_stack, slug, "Ada Lovelace", "Who keeps notes after a conference?", None)
    open_article(page, local_stack, slug)
    page.locator(f"#comment-{ada} .parley-comment-author").wait_for()
    page.get_by_label("Sort comments").focus()  # the control just before the comments

    page.keyboard.press("Tab")
    expect(reply_button(page, ada)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#comment-name")).to_be_focused()
    page.keyboard.press("Escape")
    expect(reply_button(page, ada)).to_be_focused()
    expect(page.locator(".comment-form > #comment-form")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator(f"#comment-{ada} #comment-form")).to_be_visible()
    page.keyboard.type("Grace Hopper")
    page.keyboard.press("Tab")
    page.keyboard.type("grace@example.com")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Preview")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Post Comment")).to_be_focused()
    with page.expect_response(
        lambda r: r.url.endswith("/api/comments") and r.request.method == "POST"
    ) as sent:
        page.keyboard.press("Enter")

    expect(page.locator(f"#comment-{ada}").get_by_role("status")).to_have_text(REPLY_AWAITING_MODERATION)
    expect(reply_button(page, ada)).to_be_focused()
    stored = stored_comment(local_stack, sent.value.json()["id"])
    assert (stored["parent_id"], stored["name"], stored["message"]) == (
        ada,
        "Grace Hopper",
        "Typed without a mouse.",
    )


def test_a_link_to_a_comment_scrolls_to_it_once_the_comments_have_loaded(
    page: Page, local_stack: RunningStack
) -> None:
    slug = fresh_slug()
    top = published(local_stack, slug, "Ada", "A thread that someone answered.")
    reply = published(local_stack, slug, "Babbage", "The answer the email links to.", top)

    page.goto(f"{local_stack.api}/articles/{slug}#comment-{reply}")

    expect(page.locator(f"#comment-{reply}")).to_be_in_viewport()


def test_load_more_replies_places_the_rest_of_a_long_thread_under_their_parents(
    page: Page, local_stack: RunningStack
) -> None:
    """A thread one reply longer than the listing brings along (slow: some 200 comments to approve)."""
    slug = fresh_slug()
    top = published(local_stack, slug, "Ada", "A thread longer than one page.")
    replies = [
        published(local_stack, slug, f"Reader {n}", f"Reply number {n}.", top)
        for n in range(1, THREAD_PAGE_SIZE + 1)
    ]
    to_first = published(local_stack, slug, "Babbage", "A late answer to the first reply.", replies[0])
    open_article(page, local_stack, slug)
    thread_replies = page.locator(f"#comment-{top} > .parley-replies > .parley-comment")
    expect(thread_replies.first).to_have_id(f"comment-{replies[0]}")
    assert thread_replies.count() < len(replies)
    more = page.get_by_role("button", name="Load more replies")
    page.route("**/api/comments/replies**", lambda route: route.abort("connectionrefused"))
    more.click()
    expect(page.get_by_role("alert")).to_contain_text("cannot be reached")
    page.unroute("**/api/comments/replies**")

    more.click()

    expect(thread_replies).to_have_count(len(replies))
    expect(thread_replies.last).to_contain_text(f"Reply number {THREAD_PAGE_SIZE}.")
    expect(page.locator(f"#comment-{replies[0]} > .parley-replies > #comment-{to_first}")).to_be_visible()
    expect(more).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator(f"#comment-{top} .parley-comment")).to_have_count(len(replies) + 1)


def test_a_reply_to_a_comment_removed_meanwhile_is_refused_with_a_reason_and_kept_in_the_form(
    page: Page, local_stack: RunningStack
) -> None:
    slug = fresh_slug()
    ada = published(local_stack, slug, "Ada Lovelace", "Soon to be taken down by a moderator.")
    open_article(page, local_stack, slug)
    reply_button(page, ada).click()
    fill_comment(page, "Grace Hopper", "Answering something that is gone.")
    moderate(local_stack, "reject", ada)

    page.click("button.submit-comment-btn")

    expect(page.get_by_role("status")).to_have_text("The comment you are replying to is no longer available.")
    expect(page.locator("#comment-message")).to_have_value("Answering something that is gone.")
