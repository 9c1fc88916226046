""" "Someone replied to you": one email to the author of the comment answered, and the choice to get
only those."""

from parley_cli.outbox import sent_messages
from tests.integration.stack_driver import SUBSCRIBER, Parley, confirmed_subscribers, mail_to, token_in

ADA = "ada@example.com"


def subscribed_author(app: Parley, address: str = ADA, name: str = "Ada") -> str:
    """A reader who posted with "notify me" ticked and confirmed; returns their approved comment's id."""
    comment_id = app.post(address, notify=True, name=name)
    app.approve(comment_id)
    app.send()
    [confirmation] = [m for m in mail_to(address) if m["subject"].startswith("Please confirm")]
    assert app.link("confirm", token_in(confirmation, "confirm"), method="POST")["statusCode"] == 200
    return comment_id


def subjects(address: str) -> list[str]:
    return [m["subject"] for m in mail_to(address) if not m["subject"].startswith("Please confirm")]


def test_the_author_of_the_comment_answered_gets_one_replied_email_quoting_both(app: Parley) -> None:
    ada_comment = subscribed_author(app)
    confirmed_subscribers(app, SUBSCRIBER)

    app.approve(app.post("bob@example.com", name="Bob", parent_id=ada_comment))
    app.send()

    [replied] = [m for m in mail_to(ADA) if "replied" in m["subject"]]
    assert subjects(ADA) == ["Bob replied to your comment"]
    assert "You wrote:" in replied["text"]
    assert "Bob replied:" in replied["text"]
    assert replied["text"].count("A thoughtful comment about networking.") == 2
    assert replied["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert subjects(SUBSCRIBER) == ["New comment by Bob"]

    app.send()  # nothing is sent twice
    assert subjects(ADA) == ["Bob replied to your comment"]


def test_no_reply_email_without_notify_me_or_to_oneself(app: Parley) -> None:
    quiet = app.post("quiet@example.com", name="Quiet")
    app.approve(quiet)
    own = subscribed_author(app)

    app.approve(app.post("bob@example.com", name="Bob", parent_id=quiet))
    app.approve(app.post(ADA, name="Ada", parent_id=own))
    app.send()

    assert mail_to("quiet@example.com") == []
    assert subjects(ADA) == ["New comment by Bob"]


def test_a_subscriber_may_keep_only_replies(app: Parley) -> None:
    ada_comment = subscribed_author(app)
    app.approve(app.post("cy@example.com", name="Cy"))
    app.send()
    [follow_up] = [m for m in mail_to(ADA) if m["subject"] == "New comment by Cy"]
    token = token_in(follow_up, "unsubscribe")

    page = app.link("unsubscribe", token)
    for choice in ("none", "replies", "all"):
        assert f'name="keep" value="{choice}"' in page["body"]
    chosen = app.link("unsubscribe", token, method="POST", body="keep=replies&List-Unsubscribe=One-Click")
    assert "Only replies" in chosen["body"]

    app.approve(app.post("dee@example.com", name="Dee"))
    app.approve(app.post("eve@example.com", name="Eve", parent_id=ada_comment))
    app.send()
    assert subjects(ADA) == ["New comment by Cy", "Eve replied to your comment"]

    app.link("unsubscribe", token, method="POST", body="keep=all")
    app.approve(app.post("fay@example.com", name="Fay"))
    app.send()
    assert subjects(ADA)[-1] == "New comment by Fay"


def test_one_click_from_a_mail_client_still_unsubscribes_from_everything(app: Parley) -> None:
    ada_comment = subscribed_author(app)
    app.approve(app.post("cy@example.com", name="Cy"))
    app.send()
    [follow_up] = [m for m in mail_to(ADA) if m["subject"] == "New comment by Cy"]

    app.link("unsubscribe", token_in(follow_up, "unsubscribe"), method="POST")
    app.approve(app.post("eve@example.com", name="Eve", parent_id=ada_comment))
    app.send()

    assert subjects(ADA) == ["New comment by Cy"]
    assert len(sent_messages()) > 0
