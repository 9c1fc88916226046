"""What a reader leaves expires by TTL (`expires_at`): pending after PendingRetentionDays, spam and
rejected after 30 days, unconfirmed subscriptions after 7; approved comments and confirmed
subscriptions stay. moto does not sweep expired items (the e2e stack does: test_local_aws.py), so
these read the attribute DynamoDB's TTL acts on."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from freezegun import freeze_time

from parley import settings
from parley.models import email_hash
from parley_cli.outbox import sent_messages
from tests.conftest import MODERATOR_EMAIL, Invoke
from tests.integration.stack_driver import Parley, confirmed_subscribers
from tests.integration.test_own_comments import Author

DAY = 24 * 3600
SLUG = "professional-networking-strategies-2024"


def expires_at(app: Parley, key: dict[str, Any]) -> int | None:
    item = boto3.client("dynamodb").get_item(TableName=app.references["CommentsTable"], Key=key)["Item"]
    return int(item["expires_at"]["N"]) if "expires_at" in item else None


def comment_expiry(app: Parley, comment_id: str) -> int | None:
    return expires_at(app, {"PK": {"S": f"COMMENT#{comment_id}"}, "SK": {"S": "COMMENT"}})


def moment(app: Parley, comment_id: str, field: str) -> int:
    value = app.moderate({"action": "get", "comment_id": comment_id})["comment"][field]
    return int(datetime.fromisoformat(value).timestamp())


def test_comments_expire_by_status_and_approved_ones_stay(app: Parley) -> None:
    pending, approved, rejected, spam = (app.post(f"r{n}@example.org") for n in range(4))
    app.approve(approved)
    for comment_id, action in ((rejected, "reject"), (spam, "spam")):
        app.moderate({"action": action, "comment_id": comment_id, "moderator": "tests"})

    assert comment_expiry(app, pending) == moment(app, pending, "created_at") + 90 * DAY
    assert comment_expiry(app, approved) is None
    assert comment_expiry(app, rejected) == moment(app, rejected, "moderated_at") + 30 * DAY
    assert comment_expiry(app, spam) == moment(app, spam, "moderated_at") + 30 * DAY


def test_a_comment_public_once_keeps_its_place_whatever_its_status(app: Parley) -> None:
    """It may hold replies: TTL would leave them hanging (erasure is a delete, leaving a tombstone)."""
    comment_id = app.post("r@example.org")
    app.approve(comment_id)
    app.moderate({"action": "reject", "comment_id": comment_id, "moderator": "tests"})

    assert comment_expiry(app, comment_id) is None


def test_the_pending_retention_is_a_parameter_and_an_edit_restarts_it(
    app: Parley, monkeypatch: pytest.MonkeyPatch, function: Callable[[str], Invoke]
) -> None:
    monkeypatch.setenv("PENDING_RETENTION_DAYS", "30")
    settings.get_settings.cache_clear()
    author = Author(function)
    with freeze_time(datetime.now(UTC) - timedelta(days=2)):
        comment_id, _ = author.post()
    created = moment(app, comment_id, "created_at")
    assert comment_expiry(app, comment_id) == created + 30 * DAY
    mine, mine_token = author.post()
    with freeze_time(datetime.now(UTC) + timedelta(minutes=5)):
        assert author.edit(mine, mine_token, "A corrected comment about networking.")["statusCode"] == 200
    assert comment_expiry(app, mine) == moment(app, mine, "edited_at") + 30 * DAY


def test_unconfirmed_subscriptions_expire_after_a_week_and_confirmed_ones_stay(app: Parley) -> None:
    app.post("waiting@example.org", notify=True)
    confirmed_subscribers(app, "confirmed@example.org")

    def subscription_expiry(address: str) -> int | None:
        key = {"PK": {"S": f"ARTICLE#{SLUG}"}, "SK": {"S": f"SUB#{email_hash(address)}"}}
        return expires_at(app, key)

    waiting = subscription_expiry("waiting@example.org")
    assert waiting is not None
    assert abs(waiting - (datetime.now(UTC).timestamp() + 7 * DAY)) < 60
    assert subscription_expiry("confirmed@example.org") is None


def _digest_after_old_pending_comments(app: Parley) -> dict[str, Any]:
    """Two old pending comments (one about to expire), then an alert and a digest."""
    start = datetime.now(UTC)
    with freeze_time(start - timedelta(days=85)):
        app.post("old@example.org")
    with freeze_time(start - timedelta(days=60)):
        app.post("not-yet@example.org")
    with freeze_time(start, tick=True, ignore=["parley_cli.runtime"]) as clock:
        app.post("first@example.org")  # alerted at once
        app.post("second@example.org")  # in the digest, which looks at the whole queue
        app.send()
        clock.move_to(start + timedelta(minutes=settings.get_settings().alert_interval_minutes, seconds=5))
        app.send()
        app.send()

    # The day's own expiry warning (test_expiry_warnings.py) goes first, before the queue is drained.
    [_warning, _alert, digest] = [m for m in sent_messages() if m["to"] == MODERATOR_EMAIL]
    return digest


def test_the_digest_tells_the_moderator_which_pending_comments_are_about_to_expire(app: Parley) -> None:
    digest = _digest_after_old_pending_comments(app)

    assert "1 pending comment will be deleted within 7 days unless moderated" in digest["text"]


def test_the_expiry_note_is_in_the_moderator_language(
    function: Callable[[str], Invoke], aws: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODERATOR_LANGUAGE", "de")
    settings.get_settings.cache_clear()

    digest = _digest_after_old_pending_comments(Parley(function, aws))

    assert "1 wartender Kommentar wird innerhalb von 7 Tagen gelöscht" in digest["text"]


def test_imported_history_waits_from_its_import_not_from_its_date(app: Parley) -> None:
    """A 2019 comment still pending (or held as spam) would otherwise be gone at the first sweep."""
    old = {
        "article_slug": SLUG,
        "name": "Old",
        "email": "old@example.com",
        "created_at": "2019-01-01T10:00:00Z",
    }
    pending, spam = (uuid.uuid4().hex for _ in range(2))
    imported = app.moderate(
        {
            "action": "import",
            "comments": [
                {**old, "id": pending, "message": "Long pending."},
                {**old, "id": spam, "message": "Buy.", "status": "spam"},
            ],
        }
    )
    assert "error" not in imported, imported

    now = datetime.now(UTC).timestamp()
    assert abs((comment_expiry(app, pending) or 0) - (now + 90 * DAY)) < 60
    assert abs((comment_expiry(app, spam) or 0) - (now + 30 * DAY)) < 60
