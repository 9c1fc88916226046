"""The demo page under axe-core (axe-playwright-python) in Debian's Chromium: no serious or critical
violation, in light and dark (the system's preference, emulated), at desktop and phone widths, before and
after posting (errors shown too), and at a permalink (a comment highlighted)."""

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, ViewportSize, expect

from parley_cli.devprocess import RunningStack
from tests.e2e.test_widget import fresh_slug, published

pytestmark = pytest.mark.e2e
VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}
BLOCKING = ("serious", "critical")
axe = Axe()


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


@pytest.fixture(params=list(VIEWPORTS))
def themed_page(browser: Browser, scheme: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(
        locale="en-GB",
        timezone_id="Europe/London",
        color_scheme=scheme,  # type: ignore[arg-type]
        viewport=VIEWPORTS[request.param],
    )
    yield context.new_page()
    context.close()


def blocking_violations(page: Page) -> list[str]:
    """Each serious or critical axe violation as "rule: the elements at fault"."""
    results: dict[str, Any] = axe.run(page).response
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}: "
        + "; ".join(
            " ".join(node["target"]) + " " + node.get("failureSummary", "") for node in violation["nodes"]
        )
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
    ]


def test_the_comment_section_passes_axe_before_and_after_posting(
    themed_page: Page, local_stack: RunningStack
) -> None:
    page = themed_page
    slug = fresh_slug()
    top = published(local_stack, slug, "Grace Hopper", "The first comment, with a link: https://example.org")
    reply = published(local_stack, slug, "Alan Turing", "A reply to the first comment, nested under it.", top)
    page.goto(f"{local_stack.api}/articles/{slug}#comment-{reply}")  # a permalink: highlighted
    expect(page.locator(f"#comment-{reply}.parley-highlighted")).to_be_visible()
    assert blocking_violations(page) == []

    page.fill("#comment-name", "Ada")
    page.fill("#comment-email", "ada@example.com")
    page.fill("#comment-message", "Too short")
    page.click("button.submit-comment-btn")
    expect(page.locator("#comment-message-error")).to_be_visible()
    assert blocking_violations(page) == []

    page.fill("#comment-message", "Long enough to be a comment this time.")
    page.click("button.submit-comment-btn")
    expect(page.locator("#comment-status")).to_contain_text("awaiting moderation")
    assert blocking_violations(page) == []

    page.locator(f"#comment-{top} > .parley-reply").click()
    expect(page.locator(".parley-reply-form")).to_be_visible()
    assert blocking_violations(page) == []


def test_a_refused_form_post_shown_without_javascript_passes_axe(
    themed_page: Page, local_stack: RunningStack
) -> None:
    page = themed_page
    page.route("**/parley.js", lambda route: route.abort())

    page.goto(f"{local_stack.api}/articles/{fresh_slug()}?comment=invalid&fields=email,message")

    expect(page.locator("#comment-status")).to_contain_text("Email, Comment")
    assert blocking_violations(page) == []
