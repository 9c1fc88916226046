"""Permalinks and identicons in the widget, in Debian's Chromium against the local stack."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, Route, expect

from parley.listing import THREAD_PAGE_SIZE
from parley.transfer import IMPORT_BATCH_LIMIT
from parley_cli.devprocess import RunningStack, invoke_function
from tests.e2e.test_widget import approve, fresh_slug, post_comment, published

pytestmark = pytest.mark.e2e


def with_page_size(page: Page, size: int) -> None:
    """The article's script tag as a site owner would write it for `size` comments a page."""

    def rewrite(route: Route) -> None:
        response = route.fetch()
        route.fulfill(
            response=response,
            body=response.text().replace('data-api=""', f'data-api="" data-page-size="{size}"'),
        )

    page.route("**/articles/*", rewrite)


def test_a_permalink_opens_the_page_holding_a_reply_scrolled_to_it_and_highlighted(
    page: Page, local_stack: RunningStack
) -> None:
    slug = fresh_slug()
    tops = [published(local_stack, slug, f"Reader {n}", f"Top-level comment number {n}.") for n in range(6)]
    reply = published(local_stack, slug, "Babbage", "The reply the email links to.", tops[4])
    with_page_size(page, 2)

    page.goto(f"{local_stack.api}/articles/{slug}#comment-{reply}")

    target = page.locator(f"#comment-{reply}")
    expect(target).to_be_in_viewport()
    expect(target).to_have_class("parley-comment parley-highlighted")
    expect(target).to_be_focused()
    threads = page.locator("#comments-container > .parley-comment")
    expect(threads).to_have_count(2)
    expect(threads.first).to_have_id(f"comment-{tops[4]}")
    expect(page.locator(".parley-highlighted")).to_have_count(1)

    earlier = page.get_by_role("button", name="Show earlier comments")
    earlier.click()
    expect(threads).to_have_count(4)
    earlier.click()
    expect(threads).to_have_count(6)
    expect(earlier).to_have_count(0)
    assert [thread.get_attribute("id") for thread in threads.all()] == [f"comment-{top}" for top in tops]
    expect(page.locator("#load-more-comments")).to_be_hidden()


def test_following_a_link_to_a_comment_not_shown_opens_its_page(
    page: Page, local_stack: RunningStack
) -> None:
    slug = fresh_slug()
    tops = [published(local_stack, slug, f"Reader {n}", f"Top-level comment number {n}.") for n in range(5)]
    with_page_size(page, 2)
    page.goto(f"{local_stack.api}/articles/{slug}")
    expect(page.locator(f"#comment-{tops[1]}")).to_be_visible()

    page.evaluate(f"location.hash = 'comment-{tops[4]}'")

    expect(page.locator(f"#comment-{tops[4]}")).to_be_in_viewport()
    expect(page.locator(f"#comment-{tops[4]}")).to_have_class("parley-comment parley-highlighted")
    expect(page.locator(f"#comment-{tops[0]}")).to_have_count(0)


def test_a_commenter_has_the_same_identicon_on_every_article_drawn_without_another_site(
    page: Page, local_stack: RunningStack
) -> None:
    here, there = fresh_slug(), fresh_slug()
    ada_here = post_comment(local_stack, here, "Ada", "Ada's comment here.", email="ada@example.com")
    grace = post_comment(local_stack, here, "Grace", "Grace's comment here.", email="grace@example.com")
    ada_there = post_comment(local_stack, there, "Ada", "Ada's comment there.", email="Ada@Example.com")
    for comment_id in (ada_here, grace, ada_there):
        approve(local_stack, comment_id)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    def identicon(slug: str, comment_id: str) -> str:
        page.goto(f"{local_stack.api}/articles/{slug}")
        avatar = page.locator(f"#comment-{comment_id} .parley-avatar")
        expect(avatar).to_be_visible()
        assert avatar.get_attribute("aria-hidden") == "true"
        assert avatar.locator("rect").count() > 0
        return str(avatar.evaluate("svg => svg.outerHTML"))

    ada, other = identicon(here, ada_here), identicon(here, grace)

    assert identicon(there, ada_there) == ada
    assert other != ada
    assert all(url.startswith(local_stack.api) for url in requested), requested


def test_a_permalink_to_a_reply_beyond_the_threads_first_replies_brings_them_in(
    page: Page, local_stack: RunningStack
) -> None:
    """The listing brings 200 replies of a thread; a link to the 201st loads the rest to show it."""
    slug = fresh_slug()
    top = published(local_stack, slug, "Ada", "A thread longer than the listing brings along.")
    start = datetime.now(UTC) + timedelta(minutes=1)
    replies = [
        {
            "id": uuid.uuid4().hex,
            "article_slug": slug,
            "name": f"Reader {n}",
            "email": f"reader{n}@example.com",
            "message": f"Reply number {n}.",
            "parent_id": top,
            "root_id": top,
            "status": "approved",
            "was_approved": True,
            "created_at": (start + timedelta(seconds=n)).isoformat(),
        }
        for n in range(THREAD_PAGE_SIZE + 1)
    ]
    for batch in range(0, len(replies), IMPORT_BATCH_LIMIT):
        answer = invoke_function(
            local_stack,
            "ModerateFunction",
            {"action": "import", "comments": replies[batch : batch + IMPORT_BATCH_LIMIT]},
        )
        assert "error" not in answer, answer
    last = replies[-1]["id"]

    page.goto(f"{local_stack.api}/articles/{slug}#comment-{last}")

    expect(page.locator(f"#comment-{last}")).to_be_in_viewport()
    expect(page.locator(f"#comment-{last}")).to_have_class("parley-comment parley-highlighted")
    expect(page.locator(f"#comment-{top} .parley-more-replies")).to_have_count(0)
