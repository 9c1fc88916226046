"""The article page in a real browser (Debian's Chromium through Playwright), as a reader meets it."""

import itertools
import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import Browser, Dialog, Page, Route, expect, sync_playwright

from parley_cli.browser import CHROMIUM, MISSING_CHROMIUM, launch_chromium
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
reader_addresses = (f"203.0.113.{n % 250 + 1}" for n in itertools.count())


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM)
    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    yield context.new_page()
    context.close()


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


def approve(stack: RunningStack, comment_id: str) -> None:
    answer = invoke_function(
        stack, "ModerateFunction", {"action": "approve", "comment_id": comment_id, "moderator": "test"}
    )
    assert answer["comment"]["status"] == "approved", answer


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
    expect(message).to_have_attribute("aria-describedby", "message-help comment-message-error")
    expect(page.get_by_role("status")).to_contain_text("not saved")
    expect(message).to_have_value("Too short")
    expect(page.locator("#comment-name")).to_have_value("Ada Lovelace")
    page.fill("#comment-message", "Long enough now.")
    expect(page.locator("#comment-message-error")).to_have_count(0)
    expect(message).to_have_attribute("aria-describedby", "message-help")


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
