"""The comment section with the keyboard alone (Tab, Enter, Space, typing), in Debian's Chromium: a
comment with a mistake, corrected and sent, then a reply; focus always visible, errors announced."""

import re

import pytest
from playwright.sync_api import Page, expect

from parley_cli.devprocess import RunningStack
from tests.e2e.test_permalinks_widget import with_page_size
from tests.e2e.test_widget import (
    AWAITING_MODERATION,
    REPLY_AWAITING_MODERATION,
    fresh_slug,
    open_article,
    published,
    reply_button,
    stored_comment,
)

pytestmark = pytest.mark.e2e
MOST_TABS = 80  # more Tab presses than the demo page has stops before its comment section ends


def focused(page: Page) -> str:
    """The focused element as "tag#id.class" (ids and classes as they are)."""
    return str(
        page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''); }"
        )
    )


def assert_focus_visible(page: Page) -> None:
    """The focused element shows a ring at least 2 CSS pixels thick (WCAG 2.2's focus appearance)."""
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.matches(':focus-visible'), s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    visible, style, width = ring
    assert visible, focused(page)
    assert style != "none", focused(page)
    assert width >= 2, (focused(page), width)


def tab_to(page: Page, selector: str) -> None:
    """Presses Tab until `selector` has focus, checking the focus ring of every stop in the comments."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("() => Boolean(document.activeElement.closest('.comments-section'))"):
            assert_focus_visible(page)
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    pytest.fail(f"Tab never reached {selector}; focus ended on {focused(page)}")


def test_a_reader_comments_corrects_a_mistake_and_replies_with_the_keyboard_alone(
    page: Page, local_stack: RunningStack
) -> None:
    slug = fresh_slug()
    ada = published(local_stack, slug, "Ada Lovelace", "Who keeps notes after a conference?")
    open_article(page, local_stack, slug)
    expect(reply_button(page, ada)).to_be_visible()

    tab_to(page, "#comment-name")
    page.keyboard.type("Grace Hopper")
    tab_to(page, "#comment-email")
    page.keyboard.type("grace@example.com")
    tab_to(page, "#comment-message")
    page.keyboard.type("Too short")
    tab_to(page, "#comment-notifications")
    page.keyboard.press("Space")
    expect(page.locator("#comment-notifications")).to_be_checked()
    tab_to(page, "button.submit-comment-btn")
    page.keyboard.press("Enter")

    message = page.locator("#comment-message")
    expect(message).to_be_focused()  # the field at fault takes focus, its error read with it
    expect(message).to_have_attribute("aria-invalid", "true")
    expect(message).to_have_accessible_description(re.compile(r"Be respectful.*at least 10 characters"))
    status = page.get_by_role("status").filter(has_text="not saved")
    expect(status).to_have_text(
        "Your comment was not saved. Please correct the marked fields and send it again."
    )

    page.keyboard.press("Control+End")
    page.keyboard.type(", but now long enough.")
    tab_to(page, "button.submit-comment-btn")
    with page.expect_response(
        lambda r: r.url.endswith("/api/comments") and r.request.method == "POST"
    ) as sent:
        page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text=AWAITING_MODERATION)).to_be_visible()
    comment = stored_comment(local_stack, sent.value.json()["id"])
    assert (comment["message"], comment["notifications"]) == ("Too short, but now long enough.", True)

    tab_to(page, f"#comment-{ada} > .parley-reply")
    page.keyboard.press("Space")
    expect(page.locator("#comment-name")).to_be_focused()
    page.keyboard.type("Grace Hopper")
    tab_to(page, "#comment-email")
    page.keyboard.type("grace@example.com")
    tab_to(page, "#comment-message")
    page.keyboard.type("Answered without a mouse.")
    tab_to(page, "button.submit-comment-btn")
    with page.expect_response(
        lambda r: r.url.endswith("/api/comments") and r.request.method == "POST"
    ) as sent:
        page.keyboard.press("Enter")

    expect(page.locator(f"#comment-{ada}").get_by_role("status")).to_have_text(REPLY_AWAITING_MODERATION)
    expect(reply_button(page, ada)).to_be_focused()
    reply = stored_comment(local_stack, sent.value.json()["id"])
    assert (reply["parent_id"], reply["message"]) == (ada, "Answered without a mouse.")


def test_more_comments_earlier_or_later_take_focus_with_the_keyboard(
    page: Page, local_stack: RunningStack
) -> None:
    """A button that brings comments hands focus to the first one it brought (it may itself go)."""
    slug = fresh_slug()
    tops = [published(local_stack, slug, f"Reader {n}", f"Top-level comment number {n}.") for n in range(5)]
    with_page_size(page, 2)
    page.goto(f"{local_stack.api}/articles/{slug}#comment-{tops[2]}")
    expect(page.locator(f"#comment-{tops[2]}")).to_be_focused()

    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Show earlier comments")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator(f"#comment-{tops[0]}")).to_be_focused()
    assert_focus_visible(page)
    expect(page.get_by_role("button", name="Show earlier comments")).to_have_count(0)

    tab_to(page, ".load-more-btn")
    page.keyboard.press("Enter")
    expect(page.locator(f"#comment-{tops[4]}")).to_be_focused()
    expect(page.locator("#load-more-comments")).to_be_hidden()
