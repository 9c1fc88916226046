"""`make screenshots`: the demo article with a few approved comments, at desktop and phone widths.

Starts the local stack, posts and approves comments as readers and a moderator would, posts one more
through the widget (so its confirmation shows), and saves full-page screenshots taken with Debian's
Chromium into docs/screenshots/.
"""

import sys
from pathlib import Path

import requests
from playwright.sync_api import Browser, sync_playwright

from parley_cli.browser import MISSING_CHROMIUM, launch_chromium
from parley_cli.devprocess import RunningStack, invoke_function, running_stack
from parley_cli.template import PROJECT_ROOT

OUTPUT = PROJECT_ROOT / "docs" / "screenshots"
SEED_SLUG = "professional-networking-strategies-2024"
WIDTHS = {"desktop": 1280, "phone": 390}
MARGIN = 20  # pixels around the comment section in its own screenshot
PAGE_BOX = """element => {
  const box = element.getBoundingClientRect();
  return {x: box.left + window.scrollX, y: box.top + window.scrollY, width: box.width, height: box.height};
}"""
COMMENTS = [
    {
        "name": "Priya Raman",
        "website": "https://priya.example.org/",
        "message": "The point about following up within 48 hours changed how I handle conferences.\n\n"
        "I now keep a short note per person and send it the same evening.",
    },
    {
        "name": "Tomás Ortega",
        "message": "As an introvert, the advice to arrive early when crowds are smaller is spot on. "
        "Smaller meetups have worked far better for me than big expos.",
    },
    {
        "name": "Grace Hopper",
        "message": "Quarterly check-ins sound like a lot, but a two-line message is enough. "
        "More on this at https://example.org/networking-notes",
    },
]


def seed_comments(stack: RunningStack) -> None:
    """Posts the sample comments as separate readers and approves them as a moderator."""
    for number, comment in enumerate(COMMENTS, start=1):
        response = requests.post(
            f"{stack.api}/api/comments",
            json={"article_slug": SEED_SLUG, "email": f"reader{number}@example.com", **comment},
            headers={"X-Forwarded-For": f"203.0.113.{number}"},
            timeout=10,
        )
        response.raise_for_status()
        invoke_function(
            stack,
            "ModerateFunction",
            {"action": "approve", "comment_id": response.json()["id"], "moderator": "screenshots"},
        )


def capture(browser: Browser, stack: RunningStack, label: str, width: int) -> list[Path]:
    """The article after a reader has posted through the widget: the whole page and its comment section."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="en-US", timezone_id="America/New_York"
    )
    page = context.new_page()
    page.goto(f"{stack.api}/")
    page.locator(".parley-comment").first.wait_for()
    page.fill("#comment-name", "Ada Lovelace")
    page.fill("#comment-email", "ada@example.com")
    page.fill("#comment-message", "Thank you for the checklist; sharing it with my team.")
    page.click("button.submit-comment-btn")
    page.locator("#comment-status").get_by_text("awaiting moderation").wait_for()
    whole_page = OUTPUT / f"page-{label}.png"
    comments = OUTPUT / f"comments-{label}.png"
    page.screenshot(path=whole_page, full_page=True)
    box = page.locator("#comments").evaluate(PAGE_BOX)
    page.screenshot(
        path=comments,
        full_page=True,
        clip={
            "x": max(box["x"] - MARGIN, 0),
            "y": box["y"] - MARGIN,
            "width": min(box["width"] + 2 * MARGIN, width),
            "height": box["height"] + 2 * MARGIN,
        },
    )
    context.close()
    return [whole_page, comments]


def main() -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with running_stack() as stack, sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright)
        except RuntimeError:
            sys.exit(MISSING_CHROMIUM)
        seed_comments(stack)
        for label, width in WIDTHS.items():
            for saved in capture(browser, stack, label, width):
                print(saved.relative_to(PROJECT_ROOT))
        browser.close()


if __name__ == "__main__":
    main()
