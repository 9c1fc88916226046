"""Markdown and feeds on the local stack: the widget's preview in Chromium shows exactly what is then
listed, `**bold**` is bold, and both feeds are valid Atom over HTTP."""

import uuid

import feedparser
import pytest
import requests
from playwright.sync_api import Page, expect

from parley_cli.devprocess import RunningStack
from tests.e2e.test_import_export import parley
from tests.e2e.test_widget import approve, fill_comment, open_article, post_comment, submit_with_widget

pytestmark = pytest.mark.e2e


MARKDOWN = "**bold** and *italic* with `code`\n\n> a quote\n\n- one\n- two"


def test_the_preview_shows_the_servers_html_and_the_approved_comment_shows_the_same(
    page: Page, local_stack: RunningStack
) -> None:
    slug = f"markdown-{uuid.uuid4().hex[:10]}"
    open_article(page, local_stack, slug)
    fill_comment(page, "Ada Lovelace", MARKDOWN)
    expect(page.locator(".parley-format-help")).to_contain_text("**bold**")

    with page.expect_response(lambda r: r.url.endswith("/api/comments/preview")) as previewed:
        page.get_by_role("button", name="Preview").click()
    preview = page.locator(".parley-preview")
    expect(preview.locator("strong")).to_have_text("bold")
    server_html = previewed.value.json()["message_html"]
    shown_in_preview = preview.locator(".parley-comment-body").inner_html()
    comment_id = submit_with_widget(page)
    expect(preview).to_be_hidden()
    approve(local_stack, comment_id)
    page.reload()

    body = page.locator(f"#comment-{comment_id} .parley-comment-body")
    expect(body.locator("strong")).to_have_text("bold")
    expect(body.locator("em")).to_have_text("italic")
    expect(body.locator("code")).to_have_text("code")
    expect(body.locator("blockquote")).to_contain_text("a quote")
    expect(body.locator("li")).to_have_count(2)
    assert body.inner_html() == shown_in_preview
    assert "<strong>bold</strong>" in server_html


def test_a_preview_with_a_short_message_marks_the_field(page: Page, local_stack: RunningStack) -> None:
    open_article(page, local_stack, f"markdown-{uuid.uuid4().hex[:10]}")
    fill_comment(page, "Ada Lovelace", "short")

    page.get_by_role("button", name="Preview").click()

    expect(page.locator("#comment-message")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".parley-preview")).to_be_hidden()


def test_both_feeds_are_valid_atom_with_the_approved_comment(local_stack: RunningStack) -> None:
    slug = f"feed-{uuid.uuid4().hex[:10]}"
    comment_id = post_comment(local_stack, slug, "Grace", "A **feed** worthy comment, at last.")
    approve(local_stack, comment_id)

    for url in (f"{local_stack.api}/api/comments/feed?article_slug={slug}", f"{local_stack.api}/api/feed"):
        response = requests.get(url, timeout=10)
        feed = feedparser.parse(response.content)

        assert response.headers["Content-Type"].startswith("application/atom+xml"), url
        assert not feed.bozo, (url, feed.bozo_exception)
        entry = next(e for e in feed.entries if e.link.endswith(f"#comment-{comment_id}"))
        assert "<strong>feed</strong>" in entry.content[0].value
        again = requests.get(url, headers={"If-None-Match": response.headers["ETag"]}, timeout=10)
        assert again.status_code == 304, url


def test_parley_rerender_goes_through_the_stored_comments(local_stack: RunningStack) -> None:
    slug = f"rerender-{uuid.uuid4().hex[:10]}"
    approve(local_stack, post_comment(local_stack, slug, "Ada", "Already **rendered** when written."))

    ran = parley(local_stack, "rerender", "--article", slug)

    assert ran.returncode == 0, ran.stderr
    assert "Rendered 0 of 1 comments again" in ran.stderr


def test_editing_the_message_takes_the_preview_away(page: Page, local_stack: RunningStack) -> None:
    open_article(page, local_stack, f"markdown-{uuid.uuid4().hex[:10]}")
    fill_comment(page, "Ada Lovelace", "A first **draft** of it")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".parley-preview strong")).to_have_text("draft")

    page.locator("#comment-message").press_sequentially(" and more")

    expect(page.locator(".parley-preview")).to_be_hidden()
