"""Moderators hear of pending comments about to expire even when no digest goes out (a quiet site):
the scheduled sender checks once a day and emails each moderator (`parley.expiry_warnings`)."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from freezegun import freeze_time

from parley import ses, settings
from parley.storage import dynamo
from parley_cli.outbox import sent_messages
from tests.conftest import MODERATOR_EMAIL, Invoke, load_event
from tests.integration.stack_driver import API_DOMAIN, Parley, mail_to
from tests.integration.test_aws_behaviours import refuse_first
from tests.integration.test_moderation_links import LINK, Moderator

# Noon, UTC: a day's runs in a test stay on that day.
NOON = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
READER = "old@example.org"


def warnings() -> list[dict[str, Any]]:
    return [m for m in mail_to(MODERATOR_EMAIL) if "will be deleted within" in m["subject"]]


def pending_since(app: Parley, days: int, email: str = READER) -> str:
    """A comment posted `days` before NOON and never moderated; its own alert went at the time."""
    with freeze_time(NOON - timedelta(days=days), tick=True, ignore=["parley_cli.runtime"]):
        comment_id = app.post(email)
        app.send()
    return comment_id


@pytest.fixture
def moderator(function: Callable[[str], Invoke]) -> Moderator:
    return Moderator(function)


def test_a_quiet_site_warns_once_a_day_while_a_comment_is_about_to_expire(app: Parley) -> None:
    pending_since(app, days=84)

    with freeze_time(NOON, tick=True, ignore=["parley_cli.runtime"]) as clock:
        app.send()
        assert len(warnings()) == 1
        clock.move_to(NOON + timedelta(hours=6))  # later the same day
        app.send()
        assert len(warnings()) == 1
        clock.move_to(NOON + timedelta(days=1))  # still pending the next day
        app.send(runs=2)
        assert len(warnings()) == 2


def test_later_runs_that_day_do_not_look_at_the_queue_again(
    app: Parley, function: Callable[[str], Invoke]
) -> None:
    """The day's check costs one Query of the moderation queue (docs/costs.md), however many runs,
    in the same container or in new ones."""
    pending_since(app, days=84)
    looked = []

    def count(params: dict[str, Any], **_: Any) -> None:
        if b'"GSI2"' in params["body"]:
            looked.append(params["body"])

    with freeze_time(NOON, tick=True, ignore=["parley_cli.runtime"]) as clock:
        dynamo.dynamodb().meta.events.register("before-call.dynamodb.Query", count)
        app.send()
        for hours in (2, 6, 11):
            clock.move_to(NOON + timedelta(hours=hours))
            app.send()
            function("SendNotificationsFunction")(load_event("send_notifications_schedule"))

    assert len(looked) == 1
    assert len(warnings()) == 1


def test_no_warning_when_no_pending_comment_is_near_its_expiry(app: Parley) -> None:
    pending_since(app, days=60)
    with freeze_time(NOON, tick=True, ignore=["parley_cli.runtime"]):
        app.send()

    assert warnings() == []


def test_imported_history_is_not_announced_as_expiring(app: Parley) -> None:
    """A 2019 comment imported still pending waits PendingRetentionDays from its import, not its date."""
    imported = app.moderate(
        {
            "action": "import",
            "comments": [
                {
                    "id": uuid.uuid4().hex,
                    "article_slug": "hello-world",
                    "name": "Old",
                    "email": "old@example.com",
                    "created_at": "2019-01-01T10:00:00Z",
                    "message": "Long pending.",
                }
            ],
        }
    )
    assert "error" not in imported, imported
    with freeze_time(NOON, tick=True, ignore=["parley_cli.runtime"]):
        app.send()

    assert warnings() == []


def test_no_warning_once_the_comment_was_moderated(app: Parley) -> None:
    approved, rejected = pending_since(app, days=84), pending_since(app, days=85, email="another@example.org")
    with freeze_time(NOON, tick=True, ignore=["parley_cli.runtime"]):
        app.approve(approved)
        app.moderate({"action": "reject", "comment_id": rejected, "moderator": "tests"})
        app.send()

    assert warnings() == []


def test_the_warning_counts_the_comments_links_the_queue_and_names_no_reader(
    app: Parley, moderator: Moderator
) -> None:
    posted = [
        pending_since(app, days=84),
        pending_since(app, days=86, email="older@example.org"),
        pending_since(app, days=60, email="recent@example.org"),
    ]
    with freeze_time(NOON, tick=True, ignore=["parley_cli.runtime"]):
        app.send()
        [warning] = warnings()
        [(action, token)] = LINK.findall(warning["text"])
        queue = moderator.open("queue", token)  # the moderator follows the link that day

    assert warning["subject"] == "2 pending comments will be deleted within 7 days"
    assert "comments are kept 90 days awaiting review" in warning["text"]
    assert action == "queue"
    assert f"https://{API_DOMAIN}/api/moderation/queue?token=" in warning["text"]
    assert f"https://{API_DOMAIN}/api/moderation/queue?token=" in warning["html"]
    for reader in (READER, "older@example.org", "recent@example.org"):
        assert reader not in warning["text"] + warning["html"]
    assert queue["statusCode"] == 200
    assert all(comment_id in queue["body"] for comment_id in posted), queue["body"]


def test_the_warning_is_in_the_moderator_language(
    function: Callable[[str], Invoke], aws: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODERATOR_LANGUAGE", "de")
    settings.get_settings.cache_clear()
    app = Parley(function, aws)
    pending_since(app, days=84)
    with freeze_time(NOON, tick=True, ignore=["parley_cli.runtime"]):
        app.send()

    [warning] = [m for m in mail_to(MODERATOR_EMAIL) if "gelöscht" in m["subject"]]
    assert warning["subject"] == "1 wartender Kommentar wird innerhalb von 7 Tagen gelöscht"


def test_no_warning_without_a_moderator_address(
    function: Callable[[str], Invoke], aws: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODERATOR_EMAIL", "")
    settings.get_settings.cache_clear()
    app = Parley(function, aws)
    pending_since(app, days=84)
    with freeze_time(NOON, tick=True, ignore=["parley_cli.runtime"]):
        app.send()

    assert [m for m in sent_messages() if "will be deleted within" in m["subject"]] == []


def test_a_run_that_could_not_send_is_tried_again_later_that_day_and_sends_once(
    app: Parley, caplog: pytest.LogCaptureFixture
) -> None:
    """SES refuses a burst with `TooManyRequestsException` (moto never does). The run that claimed
    the day could not warn (it says so, and counts it failed): while its claim holds, another run
    (overlapping, or the invocation retried) does not look again; once it has run out, the next
    run warns, once."""
    pending_since(app, days=84)
    with freeze_time(NOON, tick=True, ignore=["parley_cli.runtime"]) as clock:
        ses.sesv2().meta.events.register(
            "before-call.sesv2.SendEmail",
            refuse_first(1, "TooManyRequestsException", "Maximum sending rate exceeded."),
        )
        assert app.sender(load_event("send_notifications_schedule"))["failed"] == 1
        assert warnings() == []
        [failure] = [r for r in caplog.records if r.getMessage().startswith("expiry warning not sent")]
        assert getattr(failure, "error_code", None) == "TooManyRequestsException"
        clock.move_to(NOON + timedelta(minutes=30))
        app.send()
        assert warnings() == []
        clock.move_to(NOON + timedelta(hours=2))
        app.send(runs=2)
        assert len(warnings()) == 1


def test_a_run_that_died_after_warning_does_not_warn_again(app: Parley) -> None:
    """The email went, then DynamoDB failed to note the day done (an error moto never makes): the
    next run looks again, and the email, already sent under the day's key, does not go twice."""
    pending_since(app, days=84)
    with freeze_time(NOON, tick=True, ignore=["parley_cli.runtime"]) as clock:
        noting = refuse_first(1, "InternalServerError", "Internal server error")

        def fails_to_note_the_day(params: dict[str, Any], **kwargs: Any) -> Any:
            return noting(**kwargs) if b"DAILY#" in params["body"] else None

        dynamo.dynamodb().meta.events.register("before-call.dynamodb.UpdateItem", fails_to_note_the_day)
        app.send()
        assert len(warnings()) == 1
        clock.move_to(NOON + timedelta(hours=2))
        app.send()

    assert len(warnings()) == 1
