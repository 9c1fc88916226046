"""A browser's own languages (its Accept-Language) pick the language of pages reached with none on
record, through the local stack's HTTP server as through API Gateway."""

import pytest
from playwright.sync_api import Browser, expect

from parley_cli.devprocess import RunningStack

pytestmark = pytest.mark.e2e


def test_a_german_browser_gets_a_forged_link_refused_and_the_my_data_form_in_german(
    browser: Browser, local_stack: RunningStack
) -> None:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()

    refused = page.goto(f"{local_stack.api}/api/subscriptions/confirm?token=not-ours")
    assert refused is not None
    assert refused.status == 400
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading")).to_have_text("Dieser Link funktioniert nicht")

    page.goto(f"{local_stack.api}/api/me")
    expect(page.get_by_role("heading")).to_have_text("Ihre Kommentare und Abonnements")
    expect(page.get_by_role("button", name="Link per E-Mail senden")).to_be_visible()
    context.close()
