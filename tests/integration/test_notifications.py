"""Follow-up emails end to end under moto: subscribe, confirm, follow-ups, unsubscribe, and faults.

The invariant every fault test asserts: each due email is sent exactly once or sits in the
dead-letter queue; none goes to an unconfirmed or unsubscribed address; none to the author.
"""

import re
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import itsdangerous.timed
import pytest
from botocore.exceptions import ClientError

from parley import sender, ses, sqs
from parley.models import utc_now
from parley.queue_drain import SENDER_LEASE
from parley.storage import dynamo
from parley.storage.idempotency import IDEMPOTENCY_PARTITION
from parley.storage.leases import Leases
from parley_cli.outbox import sent_messages
from tests.conftest import MODERATOR_EMAIL, SENDER_EMAIL
from tests.integration.stack_driver import (
    API_DOMAIN,
    SUBSCRIBER,
    Parley,
    confirmed_subscribers,
    mail_to,
    token_in,
)

SLUG = "professional-networking-strategies-2024"


class SimulatedCrash(BaseException):
    """Ends the sender's run the way a killed Lambda would: nothing after it runs."""


def test_the_whole_subscriber_journey(app: Parley) -> None:
    app.post(SUBSCRIBER, notify=True, name="Subscriber")
    app.post(SUBSCRIBER, notify=True, name="Subscriber")  # ticked again: no second confirmation
    app.send()
    [confirmation] = mail_to(SUBSCRIBER)
    assert confirmation["subject"] == "Please confirm: follow-up comments by email"
    assert "List-Unsubscribe" not in confirmation["headers"]
    assert confirmation["headers"]["From"] == f"Parley <{SENDER_EMAIL}>"

    page = app.link("confirm", token_in(confirmation, "confirm"), method="POST")
    assert page["statusCode"] == 200
    assert "You are subscribed" in page["body"]
    assert page["headers"]["Content-Type"].startswith("text/html")

    app.approve(app.post("other@example.com", name="Other Reader"))
    app.send()
    [_, follow_up] = mail_to(SUBSCRIBER)
    assert follow_up["subject"] == "New comment by Other Reader"
    assert "A thoughtful comment about networking." in follow_up["text"]
    assert follow_up["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = follow_up["headers"]["List-Unsubscribe"].strip("<>")
    # The API address that took the request (the sample events' execute-api domain), not the static site.
    assert unsubscribe_url.startswith(f"https://{API_DOMAIN}/api/subscriptions/unsubscribe?token=")

    unsubscribe_token = parse_qs(urlsplit(unsubscribe_url).query)["token"][0]
    assert "Unsubscribe from follow-up emails?" in app.link("unsubscribe", unsubscribe_token)["body"]
    one_click = app.link("unsubscribe", unsubscribe_token, method="POST")
    assert one_click["statusCode"] == 200
    assert "You are unsubscribed" in one_click["body"]

    app.approve(app.post("third@example.com", name="Third Reader"))
    app.send()
    assert len(mail_to(SUBSCRIBER)) == 2


def test_opening_a_confirmation_link_changes_nothing_until_its_button_is_pressed(app: Parley) -> None:
    """Mail scanners open links: a GET shows a page with a button and confirms nothing."""
    app.post(SUBSCRIBER, notify=True, name="Subscriber")
    app.send()
    [confirmation] = mail_to(SUBSCRIBER)
    token = token_in(confirmation, "confirm")

    page = app.link("confirm", token)
    assert page["statusCode"] == 200
    assert re.search(r'<form method="post" action="/api/subscriptions/confirm\?token=[^"]+">', page["body"])
    assert "You are subscribed" not in page["body"]
    app.approve(app.post("other@example.com", name="Other Reader"))
    app.send()
    assert mail_to(SUBSCRIBER) == [confirmation]

    assert "You are subscribed" in app.link("confirm", token, method="POST")["body"]
    app.approve(app.post("third@example.com", name="Third Reader"))
    app.send()
    assert [m["subject"] for m in mail_to(SUBSCRIBER)] == [
        confirmation["subject"],
        "New comment by Third Reader",
    ]


def test_a_run_that_overlaps_a_running_one_sends_nothing(app: Parley) -> None:
    """With no reserved concurrency, two runs can overlap (a late schedule, a retried invocation):
    together they would send faster than MaxSendRate, so only the lease holder sends."""
    app.post(SUBSCRIBER, notify=True)
    assert Leases().acquire(SENDER_LEASE, "a-running-run", utc_now(), timedelta(minutes=4))

    app.send()
    assert mail_to(SUBSCRIBER) == []

    Leases().release(SENDER_LEASE, "a-running-run")
    app.send()
    assert [m["subject"] for m in mail_to(SUBSCRIBER)] == ["Please confirm: follow-up comments by email"]


def test_a_lease_left_by_a_killed_run_runs_out(app: Parley) -> None:
    app.post(SUBSCRIBER, notify=True)
    ten_minutes_ago = utc_now() - timedelta(minutes=10)
    assert Leases().acquire(SENDER_LEASE, "a-killed-run", ten_minutes_ago, timedelta(minutes=4))

    app.send()

    assert len(mail_to(SUBSCRIBER)) == 1


def test_an_unconfirmed_address_gets_only_its_confirmation(app: Parley) -> None:
    app.post(SUBSCRIBER, notify=True)
    app.approve(app.post("other@example.com"))
    app.approve(app.post("third@example.com"))
    app.send()

    assert [m["subject"] for m in mail_to(SUBSCRIBER)] == ["Please confirm: follow-up comments by email"]


def test_the_author_never_gets_a_follow_up_for_their_own_comment(app: Parley) -> None:
    confirmed_subscribers(app)
    app.approve(app.post(SUBSCRIBER.upper(), name="Subscriber"))
    app.send()

    assert [m["subject"] for m in mail_to(SUBSCRIBER)] == ["Please confirm: follow-up comments by email"]


def test_moderator_alerts_go_out_through_the_sender(app: Parley) -> None:
    comment_id = app.post("ada@example.com", name="Ada")
    app.send()

    [alert] = mail_to(MODERATOR_EMAIL)
    assert alert["subject"] == f"Comment awaiting review: Ada on {SLUG}"
    assert f"parley moderate approve {comment_id}" in alert["text"]
    assert f"parley moderate reject {comment_id}" in alert["text"]


def test_many_subscribers_each_get_exactly_one_email(app: Parley, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sender, "EXPANSION_PAGE_SIZE", 10)  # three pages and a bit
    addresses = [f"reader{index}@example.com" for index in range(25)]
    confirmed_subscribers(app, *addresses)

    app.approve(app.post("author@example.com", name="Author"))
    app.send()

    follow_ups = Counter(m["to"] for m in sent_messages() if m["subject"] == "New comment by Author")
    assert follow_ups == Counter(addresses)


@pytest.mark.parametrize("mangle", [lambda t: t + "x", lambda t: t[:-6], lambda t: "x" + t[1:], lambda t: ""])
def test_forged_or_altered_tokens_get_a_400_page(app: Parley, mangle: Callable[[str], str]) -> None:
    app.post(SUBSCRIBER, notify=True)
    app.send()
    token = token_in(mail_to(SUBSCRIBER)[0], "confirm")

    for method in ("GET", "POST"):
        page = app.link("confirm", mangle(token), method=method)

        assert page["statusCode"] == 400
        assert "This link does not work" in page["body"]
        assert "Traceback" not in page["body"]


def test_a_confirmation_token_cannot_unsubscribe(app: Parley) -> None:
    confirmed_subscribers(app)
    token = token_in(mail_to(SUBSCRIBER)[0], "confirm")

    assert app.link("unsubscribe", token, method="POST")["statusCode"] == 400


def test_a_confirmation_link_expires_after_seven_days(app: Parley, monkeypatch: pytest.MonkeyPatch) -> None:
    app.post(SUBSCRIBER, notify=True)
    app.send()
    token = token_in(mail_to(SUBSCRIBER)[0], "confirm")
    now = itsdangerous.timed.time.time()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 7 * 24 * 3600 + 60)

    page = app.link("confirm", token)

    assert page["statusCode"] == 410
    assert "expired" in page["body"]


# Faults. Each is injected at the AWS boundary (botocore's event hooks on our clients), never by
# replacing our own code.


def inject(client: Any, event: str, fault: Callable[..., None]) -> None:
    client.meta.events.register(event, fault)


def test_ses_throttling_and_errors_for_some_recipients(app: Parley, caplog: pytest.LogCaptureFixture) -> None:
    addresses = [f"reader{index}@example.com" for index in range(6)]
    confirmed_subscribers(app, *addresses)
    throttled = Counter[str]()

    def fault(params: dict[str, Any], **_: Any) -> None:
        [to] = params["Destination"]["ToAddresses"]
        if to == "reader1@example.com" and throttled[to] < 2:
            throttled[to] += 1
            raise ClientError(
                {"Error": {"Code": "TooManyRequestsException", "Message": "slow down"}}, "SendEmail"
            )
        if to == "reader4@example.com":
            # As SES words it for an address it refuses: the message quotes the address.
            refusal = f"Email address is not verified. The following identities failed the check: {to}"
            raise ClientError({"Error": {"Code": "MessageRejected", "Message": refusal}}, "SendEmail")

    inject(ses.sesv2(), "provide-client-params.sesv2.SendEmail", fault)
    app.approve(app.post("author@example.com", name="Author"))
    app.send(runs=6)

    follow_ups = Counter(m["to"] for m in sent_messages() if m["subject"] == "New comment by Author")
    assert follow_ups == Counter(a for a in addresses if a != "reader4@example.com")
    assert throttled["reader1@example.com"] == 2
    [dead] = app.dead_letters()
    assert '"to":"reader4@example.com"' in dead
    failures = [record for record in caplog.records if record.getMessage().startswith("message not handled")]
    assert {getattr(record, "error_code", None) for record in failures} >= {"MessageRejected"}
    assert all(getattr(record, "message_id", None) for record in failures)
    assert "reader4@example.com" not in " ".join(str(record.__dict__) for record in caplog.records)


def test_a_crash_between_sending_and_deleting_sends_nothing_twice(app: Parley) -> None:
    addresses = [f"reader{index}@example.com" for index in range(5)]
    confirmed_subscribers(app, *addresses)
    sent_in_this_batch: list[str] = []
    crashes = []

    def count_send(params: dict[str, Any], **_: Any) -> None:
        sent_in_this_batch.append(params["Destination"]["ToAddresses"][0])

    def crash_before_deleting(**_: Any) -> None:
        if sent_in_this_batch and not crashes:
            crashes.append(len(sent_in_this_batch))
            raise SimulatedCrash

    inject(ses.sesv2(), "provide-client-params.sesv2.SendEmail", count_send)
    inject(sqs.sqs(), "before-call.sqs.DeleteMessageBatch", crash_before_deleting)
    app.approve(app.post("author@example.com", name="Author"))
    with pytest.raises(SimulatedCrash):
        app.send(runs=1)
    app.send()

    follow_ups = Counter(m["to"] for m in sent_messages() if m["subject"] == "New comment by Author")
    assert len(crashes) == 1
    assert follow_ups == Counter(addresses)
    assert app.dead_letters() == []


def test_a_crash_in_the_middle_of_a_batch_sends_the_rest_once(app: Parley) -> None:
    addresses = [f"reader{index}@example.com" for index in range(8)]
    confirmed_subscribers(app, *addresses)
    idempotency_writes = []

    def crash_on_the_fourth(params: dict[str, Any], **_: Any) -> None:
        if params["Item"]["PK"]["S"] == IDEMPOTENCY_PARTITION:
            idempotency_writes.append(1)
            if len(idempotency_writes) == 4:
                raise SimulatedCrash

    inject(dynamo.dynamodb(), "provide-client-params.dynamodb.PutItem", crash_on_the_fourth)
    app.approve(app.post("author@example.com", name="Author"))
    with pytest.raises(SimulatedCrash):
        app.send(runs=1)
    sent_before_the_crash = len([m for m in sent_messages() if m["subject"] == "New comment by Author"])
    app.send()

    follow_ups = Counter(m["to"] for m in sent_messages() if m["subject"] == "New comment by Author")
    assert 0 < sent_before_the_crash < len(addresses)
    assert follow_ups == Counter(addresses)


def test_a_conditional_write_failure_is_retried_not_lost(app: Parley) -> None:
    confirmed_subscribers(app)
    refused = []

    def refuse_once(params: dict[str, Any], **_: Any) -> None:
        if params["Item"]["PK"]["S"] == IDEMPOTENCY_PARTITION and not refused:
            refused.append(1)
            raise ClientError(
                {
                    "Error": {
                        "Code": "ConditionalCheckFailedException",
                        "Message": "The conditional request failed",
                    }
                },
                "PutItem",
            )

    inject(dynamo.dynamodb(), "provide-client-params.dynamodb.PutItem", refuse_once)
    app.approve(app.post("author@example.com", name="Author"))
    app.send()

    assert refused == [1]
    assert [m["subject"] for m in mail_to(SUBSCRIBER)].count("New comment by Author") == 1
    assert app.dead_letters() == []
