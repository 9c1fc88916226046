"""Each reader hears from us in the language they posted in; moderators in ModeratorLanguage."""

from collections.abc import Callable

import pytest

from parley import settings
from parley_cli import template
from parley_cli.outbox import sent_messages
from tests.conftest import MODERATOR_EMAIL, Invoke
from tests.helpers import body, json_post, valid_comment
from tests.integration.stack_driver import Parley, mail_to, token_in
from tests.integration.test_moderation_links import Moderator, links_in


def post(app: Parley, email: str, lang: str, notify: bool = True, **fields: str) -> str:
    response = app.submit(json_post(valid_comment(email=email, lang=lang, notifications=notify, **fields)))
    assert response["statusCode"] == 202, response
    comment_id: str = body(response)["id"]
    return comment_id


def confirm(app: Parley, address: str, subject_start: str) -> None:
    [confirmation] = [m for m in mail_to(address) if m["subject"].startswith(subject_start)]
    assert app.link("confirm", token_in(confirmation, "confirm"), method="POST")["statusCode"] == 200


def test_a_language_other_than_the_six_is_refused_naming_lang(app: Parley) -> None:
    response = app.submit(json_post(valid_comment(lang="klingon")))
    assert response["statusCode"] == 422
    assert body(response)["error"]["field"] == "lang"


def test_confirmation_follow_ups_replies_and_pages_are_in_each_readers_language(app: Parley) -> None:
    ada = post(app, "ada@example.com", "fr", name="Ada")
    app.approve(ada)
    post(app, "bea@example.com", "ja", name="Bea")
    app.send()
    confirm(app, "ada@example.com", "Merci de confirmer")
    confirm(app, "bea@example.com", "確認のお願い")

    app.approve(post(app, "bob@example.com", "de", notify=False, name="Bob", parent_id=ada))
    app.send()

    [replied] = [m for m in mail_to("ada@example.com") if not m["subject"].startswith("Merci")]
    assert replied["subject"] == "Bob a répondu à votre commentaire"
    assert "Vous avez écrit :" in replied["text"]
    [follow_up] = [m for m in mail_to("bea@example.com") if not m["subject"].startswith("確認")]
    assert follow_up["subject"] == "Bob さんの新しいコメント"
    assert '<html lang="ja">' in follow_up["html"]

    page = app.link("unsubscribe", token_in(replied, "unsubscribe"))
    assert '<html lang="fr">' in page["body"]
    assert "Se désabonner des e-mails de suivi ?" in page["body"]
    done = app.link("unsubscribe", token_in(replied, "unsubscribe"), method="POST", body="keep=none")
    assert "Vous êtes désabonné" in done["body"]


def test_without_lang_everything_stays_english(app: Parley) -> None:
    app.post("plain@example.com", notify=True)
    app.send()
    [confirmation] = mail_to("plain@example.com")
    assert confirmation["subject"] == "Please confirm: follow-up comments by email"


def test_moderator_mail_and_pages_use_the_moderator_language(
    function: Callable[[str], Invoke], aws: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ModeratorLanguage parameter, as template.yaml hands it to the functions."""
    loaded = template.load_template()
    for spec in template.functions(loaded).values():
        for name, value in template.function_environment(
            loaded, spec, {**aws, "ModeratorLanguage": "de"}
        ).items():
            monkeypatch.setenv(name, value)
    settings.get_settings.cache_clear()
    app = Parley(function, aws)
    post(app, "reader@example.org", "ja", notify=False, name="Kenji")
    app.send()

    [alert] = [m for m in sent_messages() if m["to"] == MODERATOR_EMAIL]
    assert alert["subject"].startswith("Kommentar wartet auf Freigabe: Kenji")
    assert "Alle Kommentare, die auf Freigabe warten" in alert["text"]
    page = Moderator(function).open("approve", dict(links_in(alert))["approve"])
    assert '<html lang="de">' in page["body"]
    assert "Diesen Kommentar freigeben?" in page["body"]
