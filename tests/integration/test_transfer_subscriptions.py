"""Subscriptions moved with `parley export --include-subscriptions` and `parley import`, against moto."""

from typing import Any

import boto3

from tests.integration.stack_driver import Parley, mail_to

SLUG = "professional-networking-strategies-2024"
FOLLOWER = "follower@example.org"


def subscription(email: str = FOLLOWER, **fields: Any) -> dict[str, Any]:
    return {
        "article_slug": SLUG,
        "email": email,
        "status": "confirmed",
        "created_at": "2024-05-01T10:00:00Z",
        "confirmed_at": "2024-05-01T10:05:00Z",
        "scope": "all",
        **fields,
    }


def export_subscriptions(app: Parley) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = app.moderate(
            {"action": "export", "include_subscriptions": True, "limit": 50, "cursor": cursor}
        )
        found += page["subscriptions"]
        if (cursor := page["next_cursor"]) is None:
            return found


def test_an_imported_confirmed_subscriber_hears_of_new_comments(app: Parley) -> None:
    answer = app.moderate({"action": "import", "subscriptions": [subscription()]})
    assert (answer["subscriptions_written"], answer["written"]) == (1, 0)

    app.approve(app.post("other@example.com", name="Other Reader"))
    app.send()

    [follow_up] = mail_to(FOLLOWER)
    assert follow_up["subject"] == "New comment by Other Reader"


def test_subscriptions_survive_an_export_and_an_import_into_an_empty_table(
    app: Parley, aws: dict[str, str]
) -> None:
    app.moderate({"action": "import", "subscriptions": [subscription(), subscription("gone@example.org",
                  status="unsubscribed", unsubscribed_at="2024-06-01T00:00:00Z")]})  # fmt: skip
    exported = export_subscriptions(app)
    table = boto3.resource("dynamodb").Table(aws["CommentsTable"])
    for item in table.scan()["Items"]:
        table.delete_item(Key={"PK": item["PK"], "SK": item["SK"]})

    first = app.moderate({"action": "import", "subscriptions": exported})
    again = app.moderate({"action": "import", "subscriptions": exported})

    assert (first["subscriptions_written"], again["subscriptions_existing"]) == (2, 2)
    assert sorted(export_subscriptions(app), key=str) == sorted(exported, key=str)
    assert {s["email"]: s["status"] for s in exported} == {
        FOLLOWER: "confirmed",
        "gone@example.org": "unsubscribed",
    }
    app.approve(app.post("other@example.com", name="Other Reader"))
    app.send()
    assert [m["to"] for m in mail_to(FOLLOWER) + mail_to("gone@example.org")] == [FOLLOWER]


def test_an_empty_import_is_refused(app: Parley) -> None:
    answer = app.moderate({"action": "import"})

    assert answer["error"]["code"] == "validation_failed"
    assert "at least one record" in answer["error"]["message"]
