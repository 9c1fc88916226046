"""Languages and colour schemes in a real browser (Debian's Chromium), on the local stack.

The demo page is in German with `?lang=de` (its `<html lang>`); a page whose markup sets `data-lang`
or `data-theme` on the script tag is the demo page rewritten on its way to the browser.
"""

import html
import re
import uuid
from collections.abc import Callable

import pytest
import requests
from playwright.sync_api import Browser, Page, Route, expect

from parley_cli.devprocess import RunningStack, invoke_function
from tests.e2e.test_emails import wait_for_mail

pytestmark = pytest.mark.e2e
SCRIPT_TAG = '<script src="/parley.js" data-api=""'
LIGHT_BACKGROUND = "rgba(0, 0, 0, 0)"  # the site's own shows through
DARK_BACKGROUND = "rgb(22, 25, 31)"


def fresh_slug() -> str:
    return f"lang-{uuid.uuid4().hex[:12]}"


def rewritten(page: Page, change: Callable[[str], str]) -> None:
    """Every article page reaches the browser through `change` (headers, its CSP included, kept)."""

    def handle(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=change(response.text()))

    page.route(re.compile(r".*/articles/[^/?]+(\?.*)?$"), handle)


def approved_comment(stack: RunningStack, slug: str, name: str) -> str:
    answer = requests.post(
        f"{stack.api}/api/comments",
        json={
            "article_slug": slug,
            "name": name,
            "email": "other@example.com",
            "message": "Ein guter Punkt, danke.",
        },
        headers={"X-Forwarded-For": "203.0.113.77"},
        timeout=10,
    )
    assert answer.status_code == 202, answer.text
    comment_id: str = answer.json()["id"]
    invoke_function(
        stack, "ModerateFunction", {"action": "approve", "comment_id": comment_id, "moderator": "t"}
    )
    return comment_id


def test_a_german_page_shows_the_german_widget_and_posts_in_german(
    browser: Browser, local_stack: RunningStack
) -> None:
    slug = fresh_slug()
    approved_comment(local_stack, slug, "Grete")
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{local_stack.api}/articles/{slug}?lang=de")

    expect(page.get_by_role("button", name="Antworten")).to_be_visible()
    expect(page.get_by_label("Kommentare sortieren")).to_be_visible()
    expect(page.get_by_role("button", name="Kommentar senden")).to_be_visible()
    expect(
        page.get_by_text("Ihre E-Mail-Adresse wird weder veröffentlicht noch weitergegeben")
    ).to_be_visible()
    expect(page.locator("#comments")).to_have_attribute("lang", "de")
    expect(page.locator("#comment-name")).to_have_attribute("placeholder", "Ihr vollständiger Name")

    page.fill("#comment-name", "Hans")
    page.fill("#comment-email", "hans@example.com")
    page.fill("#comment-message", "Zu kurz")
    page.get_by_role("button", name="Kommentar senden").click()
    expect(page.locator("#comment-message-error")).to_have_text(
        "Bitte schreiben Sie mindestens 10 Zeichen (höchstens 5.000)."
    )

    page.fill("#comment-message", "Das ist mein erster Kommentar hier.")
    page.get_by_role("button", name="Kommentar senden").click()
    expect(page.get_by_role("status").first).to_have_text("Danke! Ihr Kommentar wartet auf Freigabe.")
    context.close()


def test_a_german_submission_gets_a_german_confirmation_and_german_pages(
    browser: Browser, local_stack: RunningStack
) -> None:
    address = f"leser-{uuid.uuid4().hex[:8]}@example.com"
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(f"{local_stack.api}/articles/{fresh_slug()}?lang=de")
    page.fill("#comment-name", "Lena")
    page.fill("#comment-email", address)
    page.fill("#comment-message", "Bitte halten Sie mich auf dem Laufenden.")
    page.check("#comment-notifications")
    page.get_by_role("button", name="Kommentar senden").click()
    expect(page.get_by_role("status").first).to_have_text("Danke! Ihr Kommentar wartet auf Freigabe.")

    mail = wait_for_mail(local_stack, address, "Bitte bestätigen")
    assert "Zum Bestätigen öffnen Sie innerhalb von 7 Tagen diesen Link" in mail["text"]
    assert '<html lang="de">' in mail["html"]
    found = re.search(r'href="([^"]+/api/subscriptions/confirm\?token=[^"]+)"', mail["html"])
    assert found, mail["html"]
    link = html.unescape(found[1])

    page.goto(link)
    expect(page.get_by_role("heading")).to_have_text("Benachrichtigungen bestätigen?")
    page.get_by_role("button", name="Benachrichtigungen bestätigen").click()
    expect(page.get_by_role("heading")).to_have_text("Sie sind angemeldet")
    expect(page.get_by_role("link", name="Zurück zum Artikel")).to_be_visible()
    context.close()


def test_data_lang_wins_over_the_page_and_the_browser_then_the_browser_over_english(
    browser: Browser, local_stack: RunningStack
) -> None:
    context = browser.new_context(locale="ja-JP")
    page = context.new_page()
    rewritten(page, lambda text: text.replace(SCRIPT_TAG, SCRIPT_TAG + ' data-lang="es"'))
    page.goto(f"{local_stack.api}/articles/{fresh_slug()}?lang=de")
    expect(page.get_by_role("button", name="Publicar comentario")).to_be_visible()

    page.unroute_all()
    rewritten(page, lambda text: text.replace('<html lang="en">', "<html>"))
    page.goto(f"{local_stack.api}/articles/{fresh_slug()}")
    expect(page.get_by_role("button", name="コメントを投稿")).to_be_visible()
    context.close()


def background_of_the_section(page: Page) -> str:
    expect(page.locator("#comment-form")).to_be_visible()
    expect(page.locator("#comments")).to_have_attribute("lang", "en")  # the widget has started
    colour: str = page.locator("#comments").evaluate("section => getComputedStyle(section).backgroundColor")
    return colour


@pytest.mark.parametrize(("scheme", "expected"), [("light", LIGHT_BACKGROUND), ("dark", DARK_BACKGROUND)])
def test_the_comment_section_follows_the_systems_colour_scheme(
    browser: Browser, local_stack: RunningStack, scheme: str, expected: str
) -> None:
    context = browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(f"{local_stack.api}/articles/{fresh_slug()}")
    assert background_of_the_section(page) == expected
    context.close()


@pytest.mark.parametrize(
    ("system", "forced", "expected"),
    [
        ("dark", "light", LIGHT_BACKGROUND),
        ("light", "dark", DARK_BACKGROUND),
        ("dark", "auto", DARK_BACKGROUND),
    ],
)
def test_data_theme_on_the_script_tag_forces_a_scheme(
    browser: Browser, local_stack: RunningStack, system: str, forced: str, expected: str
) -> None:
    context = browser.new_context(color_scheme=system)  # type: ignore[arg-type]
    page = context.new_page()
    rewritten(page, lambda text: text.replace(SCRIPT_TAG, SCRIPT_TAG + f' data-theme="{forced}"'))
    page.goto(f"{local_stack.api}/articles/{fresh_slug()}")
    assert background_of_the_section(page) == expected
    context.close()


@pytest.mark.parametrize(
    ("status", "answer", "headers", "shown"),
    [
        (429, {"code": "rate_limited"}, {"Retry-After": "1"}, "Bitte versuchen Sie es in 1 Sekunde erneut."),
        (
            429,
            {"code": "rate_limited"},
            {"Retry-After": "30"},
            "Bitte versuchen Sie es in 30 Sekunden erneut.",
        ),
        (503, {"code": "busy"}, {"Retry-After": "2"}, "Der Kommentardienst ist gerade ausgelastet."),
    ],
)
def test_an_error_code_is_shown_in_the_readers_language_with_its_plural(
    browser: Browser,
    local_stack: RunningStack,
    status: int,
    answer: dict[str, str],
    headers: dict[str, str],
    shown: str,
) -> None:
    """The API's answer is stubbed in the browser (the real flood limit needs many posts first)."""
    context = browser.new_context()
    page = context.new_page()
    error: dict[str, object] = {"error": {**answer, "message": "in English", "field": None, "errors": []}}
    page.route(
        "**/api/comments",
        lambda route: (
            route.fulfill(status=status, json=error, headers=headers)
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    page.goto(f"{local_stack.api}/articles/{fresh_slug()}?lang=de")
    page.fill("#comment-name", "Hans")
    page.fill("#comment-email", "hans@example.com")
    page.fill("#comment-message", "Noch ein Kommentar von mir.")
    page.get_by_role("button", name="Kommentar senden").click()
    expect(page.locator("#comment-status")).to_contain_text(shown)
    context.close()


def test_a_german_reader_edits_their_own_comment_in_german(
    browser: Browser, local_stack: RunningStack
) -> None:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(f"{local_stack.api}/articles/{fresh_slug()}?lang=de")
    page.fill("#comment-name", "Lena")
    page.fill("#comment-email", f"leser-{uuid.uuid4().hex[:8]}@example.com")
    page.fill("#comment-message", "Ein Kommentar mit einem Tippfehlr.")
    page.get_by_role("button", name="Kommentar senden").click()
    expect(page.get_by_role("status").first).to_have_text("Danke! Ihr Kommentar wartet auf Freigabe.")
    page.reload()
    mine = page.locator("article.parley-own-pending")
    expect(mine).to_contain_text("Wartet auf Freigabe: Vorerst sehen nur Sie diesen Kommentar.")
    expect(mine.get_by_role("button", name="Löschen")).to_be_visible()

    mine.get_by_role("button", name="Bearbeiten").click()
    page.get_by_label("Bearbeiten").fill("Ein Kommentar ohne Tippfehler.")
    page.get_by_role("button", name="Speichern").click()

    expect(mine).to_contain_text("Ihre Änderung wartet auf Freigabe.")
    context.close()
