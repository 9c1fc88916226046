"""Pages a reader reaches with no language of theirs on record (a forged, expired or cut link; the
/api/me form) speak the browser's language (`Accept-Language`); a stored or linked language wins."""

from collections.abc import Callable
from html import unescape
from typing import Any

import itsdangerous
import pytest

from parley import reader_tokens, tokens
from tests.conftest import Invoke, load_event
from tests.helpers import body, json_post, valid_comment
from tests.integration.stack_driver import Parley, mail_to, token_in

GERMAN_BROWSER = "de-DE,de;q=0.9,en;q=0.8"


def in_language(event: dict[str, Any], accept_language: str | None) -> dict[str, Any]:
    if accept_language is not None:
        event["headers"]["accept-language"] = accept_language
    return event


def forged_link(app: Parley, accept_language: str | None, page: str = "subscriptions_confirm_page") -> Any:
    """The event's token is signed by no one: `...signature-from-the-email`."""
    return app.subscriptions(in_language(load_event(page), accept_language))


def link(app: Parley, token: str, accept_language: str, page: str = "subscriptions_confirm_page") -> Any:
    event = in_language(load_event(page), accept_language)
    event["rawQueryString"], event["queryStringParameters"] = f"token={token}", {"token": token}
    return app.subscriptions(event)


@pytest.mark.parametrize(
    ("accept_language", "lang", "broken", "invalid"),
    [
        (GERMAN_BROWSER, "de", "Dieser Link funktioniert nicht", "Dieser Link ist ungültig"),
        ("fr;q=0.1, ja", "ja", "このリンクは使えません", "このリンクは無効です"),
        (None, "en", "This link does not work", "This link is not valid"),
        ("xx", "en", "This link does not work", "This link is not valid"),
        ("pt-PT, en;q=0.5", "pt-BR", "Este link não funciona", "Este link não é válido"),
    ],
)
def test_a_forged_link_is_refused_in_the_browsers_language(
    app: Parley, accept_language: str | None, lang: str, broken: str, invalid: str
) -> None:
    for page in ("subscriptions_confirm_page", "subscriptions_confirm", "subscriptions_unsubscribe_page"):
        answer = forged_link(app, accept_language, page)

        assert answer["statusCode"] == 400
        assert f'<html lang="{lang}">' in answer["body"]
        assert broken in unescape(answer["body"])
        assert invalid in unescape(answer["body"])


def test_browser_chosen_pages_say_so_to_caches(app: Parley) -> None:
    """A shared cache (or the browser's) must not show one reader's language to another: the page
    varies by Accept-Language and is not stored at all (CloudFront does not key on Vary)."""
    answer = forged_link(app, GERMAN_BROWSER)

    assert answer["headers"]["Vary"] == "Accept-Language"
    assert answer["headers"]["Cache-Control"] == "no-store"


def test_the_subscribers_own_language_wins_over_the_browsers(app: Parley) -> None:
    app.submit(json_post(valid_comment(email="ada@example.com", lang="fr", notifications=True)))
    app.send()
    [confirmation] = mail_to("ada@example.com")
    token = token_in(confirmation, "confirm")

    page = link(app, token, "de")
    confirmed = link(app, token, "de", "subscriptions_confirm")

    assert page["statusCode"] == 200
    assert '<html lang="fr">' in page["body"]
    assert "Confirmer les e-mails de suivi ?" in unescape(page["body"])
    assert '<html lang="fr">' in confirmed["body"]


def test_an_expired_link_is_refused_in_the_browsers_language(
    app: Parley, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.post("late@example.com", notify=True)
    app.send()
    token = token_in(mail_to("late@example.com")[0], "confirm")
    now = itsdangerous.timed.time.time()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 7 * 24 * 3600 + 60)

    page = link(app, token, "es-MX,es;q=0.9")

    assert page["statusCode"] == 410
    assert '<html lang="es">' in page["body"]


class MyData:
    """ReaderDataFunction: the /api/me form, its answer and the emailed link's page."""

    def __init__(self, function: Callable[[str], Invoke]) -> None:
        self.routes = function("ReaderDataFunction")

    def form(self, accept_language: str | None, query: dict[str, str] | None = None) -> Any:
        event = in_language(load_event("my_data_form"), accept_language)
        if query:
            event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in query.items())
            event["queryStringParameters"] = query
        return self.routes(event)

    def ask(self, accept_language: str, form_body: str) -> Any:
        event = in_language(load_event("my_data_request"), accept_language)
        event["body"] = form_body
        return self.routes(event)

    def forged_data_page(self, accept_language: str, query: dict[str, str]) -> Any:
        event = in_language(load_event("my_data_page"), accept_language)
        event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in query.items())
        event["queryStringParameters"] = query
        return self.routes(event)


@pytest.fixture
def me(function: Callable[[str], Invoke]) -> MyData:
    return MyData(function)


def test_the_my_data_form_follows_the_browser(me: MyData) -> None:
    german = me.form(GERMAN_BROWSER)
    english = me.form(None)

    assert german["statusCode"] == 200
    assert '<html lang="de">' in german["body"]
    assert "Link per E-Mail senden" in unescape(german["body"])
    assert 'name="lang" value="de"' in german["body"]  # so the email and its link are German too
    assert german["headers"]["Vary"] == "Accept-Language"
    assert '<html lang="en">' in english["body"]
    assert "Email me a link" in english["body"]


def test_the_forms_lang_wins_over_the_browser(me: MyData) -> None:
    page = me.form(GERMAN_BROWSER, {"lang": "ja"})

    assert '<html lang="ja">' in page["body"]
    assert "リンクをメールで送る" in page["body"]


def test_a_form_post_without_lang_answers_in_the_browsers_language(app: Parley, me: MyData) -> None:
    answer = me.ask(GERMAN_BROWSER, "email=nobody%40example.org")

    assert answer["statusCode"] == 200
    assert '<html lang="de">' in answer["body"]
    assert "Sehen Sie in Ihrem Posteingang nach" in unescape(answer["body"])


def test_a_forged_data_link_without_lang_is_refused_in_the_browsers_language(me: MyData) -> None:
    refused = me.forged_data_page("ja", {"token": "forged"})
    linked = me.forged_data_page("ja", {"token": "forged", "lang": "fr"})

    assert refused["statusCode"] == 403
    assert '<html lang="ja">' in refused["body"]
    assert "このリンクは使えません" in refused["body"]
    assert '<html lang="fr">' in linked["body"]


def test_the_json_download_does_not_vary_by_language(me: MyData) -> None:
    """Only pages are in the browser's language; the download is the same document whatever it asks."""
    token = reader_tokens.sign_my_data(tokens.signing_secret(), reader_tokens.reader_key("dl@example.org"))
    event = in_language(load_event("my_data_download"), GERMAN_BROWSER)
    event["rawQueryString"], event["queryStringParameters"] = f"token={token}", {"token": token}
    event["body"] = "action=download"

    answer = me.routes(event)

    assert answer["statusCode"] == 200
    assert (body(answer)["comments"], body(answer)["subscriptions"]) == ([], [])
    assert "Vary" not in answer["headers"]
