"""`make screenshots`: the demo article with a few approved comments and a thread, at desktop and phone widths.

Starts the local stack, posts and approves comments and replies as readers and a moderator would,
answers one more through the widget's Reply button (so its confirmation shows under the comment it
answers), and saves full-page screenshots taken with Debian's Chromium into docs/screenshots/; then
the comment section in dark mode (the system's preference) and on a German page.
"""

import sys
from pathlib import Path
from typing import Literal

import requests
from playwright.sync_api import Browser, FloatRect, Page, sync_playwright

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
# Each sample comment, and which earlier one (by position) it answers.
COMMENTS: list[tuple[int | None, dict[str, str]]] = [
    (
        None,
        {
            "name": "Priya Raman",
            "website": "https://priya.example.org/",
            "message": "The point about following up within 48 hours changed how I handle conferences.\n\n"
            "I now keep a short note per person and send it the same evening.",
        },
    ),
    (
        0,
        {
            "name": "Tomás Ortega",
            "message": "Do you write the note during the event or afterwards? I always forget the details.",
        },
    ),
    (
        1,
        {
            "name": "Priya Raman",
            "website": "https://priya.example.org/",
            "message": "Right after each conversation: one line on the back of their card is enough.",
        },
    ),
    (
        2,
        {"name": "Tomás Ortega", "message": "Trying that at next week's meetup, thank you!"},
    ),
    (
        None,
        {
            "name": "Grace Hopper",
            "message": "Quarterly check-ins sound like a lot, but a two-line message is enough. "
            "More on this at https://example.org/networking-notes",
        },
    ),
]


def seed_comments(stack: RunningStack) -> None:
    """Posts the sample comments as separate readers and approves them as a moderator."""
    posted: list[str] = []
    for number, (answers, comment) in enumerate(COMMENTS, start=1):
        parent = {} if answers is None else {"parent_id": posted[answers]}
        response = requests.post(
            f"{stack.api}/api/comments",
            json={"article_slug": SEED_SLUG, "email": f"reader{number}@example.com", **comment, **parent},
            headers={"X-Forwarded-For": f"203.0.113.{number}"},
            timeout=10,
        )
        response.raise_for_status()
        posted.append(response.json()["id"])
        invoke_function(
            stack,
            "ModerateFunction",
            {"action": "approve", "comment_id": posted[-1], "moderator": "screenshots"},
        )


# The comment section again, as other readers see it: (file label, page query, colour scheme, browser locale).
VARIANTS: list[tuple[str, str, Literal["light", "dark"], str]] = [
    ("dark", "", "dark", "en-US"),
    ("de", "?lang=de", "light", "de-DE"),
]


def section_clip(page: Page, width: int) -> FloatRect:
    """The comment section and a margin around it, in page coordinates."""
    box = page.locator("#comments").evaluate(PAGE_BOX)
    return {
        "x": max(box["x"] - MARGIN, 0),
        "y": box["y"] - MARGIN,
        "width": min(box["width"] + 2 * MARGIN, width),
        "height": box["height"] + 2 * MARGIN,
    }


def capture_variant(
    browser: Browser,
    stack: RunningStack,
    label: str,
    query: str,
    scheme: Literal["light", "dark"],
    locale: str,
) -> Path:
    """The comment section (its comments loaded) at desktop width, in a colour scheme and language."""
    width = WIDTHS["desktop"]
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale=locale,
        timezone_id="Europe/Berlin",
        color_scheme=scheme,
    )
    page = context.new_page()
    page.goto(f"{stack.api}/{query}")
    page.locator(".parley-comment").first.wait_for()
    saved = OUTPUT / f"comments-{label}.png"
    page.screenshot(path=saved, full_page=True, clip=section_clip(page, width))
    context.close()
    return saved


def capture(browser: Browser, stack: RunningStack, label: str, width: int) -> list[Path]:
    """The article after a reader has replied through the widget: the whole page and its comment section."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="en-US", timezone_id="America/New_York"
    )
    page = context.new_page()
    page.goto(f"{stack.api}/")
    grace = page.locator(".parley-comment", has_text="Grace Hopper").last
    grace.get_by_role("button", name="Reply", exact=True).click()
    page.fill("#comment-name", "Ada Lovelace")
    page.fill("#comment-email", "ada@example.com")
    page.fill("#comment-message", "Thank you for the checklist; sharing it with my team.")
    page.click("button.submit-comment-btn")
    grace.get_by_text("awaiting moderation").wait_for()
    whole_page = OUTPUT / f"page-{label}.png"
    comments = OUTPUT / f"comments-{label}.png"
    page.screenshot(path=whole_page, full_page=True)
    page.screenshot(path=comments, full_page=True, clip=section_clip(page, width))
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
        for variant in VARIANTS:
            print(capture_variant(browser, stack, *variant).relative_to(PROJECT_ROOT))
        browser.close()


if __name__ == "__main__":
    main()
