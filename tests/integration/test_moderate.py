"""ModerateFunction, invoked with the sample events as moderators' tools invoke it, against moto."""

import threading
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from parley.models import CommentStatus
from parley.queue_messages import FollowUpJob, ModeratorAlert
from parley.storage import dynamo
from parley.storage.comments import CommentRepository
from tests.conftest import MODERATOR_EMAIL, Invoke, load_event
from tests.helpers import body, json_post, list_request, queued_messages, valid_comment

SLUG = "professional-networking-strategies-2024"


@pytest.fixture
def moderate(function: Callable[[str], Invoke]) -> Invoke:
    return function("ModerateFunction")


@pytest.fixture
def submit(function: Callable[[str], Invoke]) -> Callable[..., str]:
    invoke = function("SubmitCommentFunction")

    def post(**fields: Any) -> str:
        response = invoke(json_post(valid_comment(**fields)))
        assert response["statusCode"] == 202, response
        comment_id: str = body(response)["id"]
        return comment_id

    return post


@pytest.fixture
def listed(function: Callable[[str], Invoke]) -> Callable[[str], dict[str, Any]]:
    invoke = function("ListCommentsFunction")
    return lambda slug: body(invoke(list_request(f"article_slug={slug}")))


def act(moderate: Invoke, action: str, comment_id: str, moderator: str = "ada") -> dict[str, Any]:
    event = load_event(f"moderate_{action}")
    event["comment_id"] = comment_id
    event["moderator"] = moderator
    return moderate(event)


def test_list_pending_shows_every_field_oldest_first_across_articles(
    moderate: Invoke, submit: Callable[..., str]
) -> None:
    first = submit(article_slug="one", name="First")
    second = submit(article_slug="two", name="Second", website="https://second.example.org")

    answer = moderate(load_event("moderate_list_pending"))

    assert [comment["id"] for comment in answer["comments"]] == [first, second]
    newest = answer["comments"][1]
    assert newest["article_slug"] == "two"
    assert newest["email"] == "ada@example.com"
    assert newest["website"] == "https://second.example.org"
    assert newest["status"] == "pending"
    assert newest["client_hash"]
    assert newest["user_agent"].startswith("Mozilla/5.0")
    assert answer["next_cursor"] is None


def test_list_pending_pages_with_a_cursor(moderate: Invoke, submit: Callable[..., str]) -> None:
    ids = [submit(name=f"Reader {index}") for index in range(5)]
    seen, cursor = [], None
    while True:
        answer = moderate({"action": "list_pending", "limit": 2, "cursor": cursor})
        seen += [comment["id"] for comment in answer["comments"]]
        cursor = answer["next_cursor"]
        if cursor is None:
            break

    assert seen == ids


def test_get_finds_a_comment_by_its_id_alone(moderate: Invoke, submit: Callable[..., str]) -> None:
    comment_id = submit(message="Find me by my id, please.")

    answer = moderate({"action": "get", "comment_id": comment_id})

    assert answer["comment"]["message"] == "Find me by my id, please."


def test_approve_publishes_counts_records_and_queues_a_follow_up(
    moderate: Invoke,
    submit: Callable[..., str],
    listed: Callable[[str], dict[str, Any]],
    aws: dict[str, str],
) -> None:
    comment_id = submit()

    answer = act(moderate, "approve", comment_id, moderator="grace")

    comment = answer["comment"]
    assert comment["status"] == "approved"
    assert comment["previous_status"] == "pending"
    assert comment["moderated_by"] == "grace"
    assert comment["moderated_at"]
    page = listed(SLUG)
    assert page["count"] == 1
    assert [c["id"] for c in page["comments"]] == [comment_id]
    assert moderate(load_event("moderate_list_pending"))["comments"] == []
    jobs = [
        message for message in queued_messages(aws["NotificationQueue"]) if isinstance(message, FollowUpJob)
    ]
    assert [(job.comment_id, job.article_slug) for job in jobs] == [(comment_id, SLUG)]


def test_approving_twice_is_harmless(
    moderate: Invoke, submit: Callable[..., str], listed: Callable[[str], dict[str, Any]]
) -> None:
    comment_id = submit()

    first = act(moderate, "approve", comment_id)
    second = act(moderate, "approve", comment_id)

    assert first["comment"]["status"] == second["comment"]["status"] == "approved"
    assert listed(SLUG)["count"] == 1


@pytest.mark.parametrize(
    ("path", "final", "count"),
    [
        (["reject"], "rejected", 0),
        (["spam"], "spam", 0),
        (["approve", "reject"], "rejected", 0),
        (["approve", "spam"], "spam", 0),
        (["reject", "approve"], "approved", 1),
        (["spam", "approve"], "approved", 1),
        (["approve", "reject", "approve", "spam", "approve"], "approved", 1),
    ],
)
def test_allowed_transitions_keep_the_count_exact(
    moderate: Invoke,
    submit: Callable[..., str],
    listed: Callable[[str], dict[str, Any]],
    path: list[str],
    final: str,
    count: int,
) -> None:
    comment_id = submit()

    for action in path:
        answer = act(moderate, action, comment_id)
        assert "error" not in answer, answer

    assert answer["comment"]["status"] == final
    assert listed(SLUG)["count"] == count


@pytest.mark.parametrize(("first", "then"), [("reject", "spam"), ("spam", "reject")])
def test_invalid_transitions_are_refused(
    moderate: Invoke, submit: Callable[..., str], first: str, then: str
) -> None:
    comment_id = submit()
    act(moderate, first, comment_id)

    answer = act(moderate, then, comment_id)

    assert answer["error"]["code"] == "invalid_transition"
    assert moderate({"action": "get", "comment_id": comment_id})["comment"]["status"] == (
        "rejected" if first == "reject" else "spam"
    )


@pytest.mark.parametrize("before", [[], ["approve"], ["reject"], ["spam"]])
def test_delete_from_any_state_and_the_count_follows(
    moderate: Invoke,
    submit: Callable[..., str],
    listed: Callable[[str], dict[str, Any]],
    before: list[str],
) -> None:
    comment_id = submit()
    for action in before:
        act(moderate, action, comment_id)

    answer = act(moderate, "delete", comment_id)

    assert answer["comment"]["status"] == "deleted"
    assert moderate({"action": "get", "comment_id": comment_id})["error"]["code"] == "not_found"
    assert listed(SLUG)["count"] == 0
    assert listed(SLUG)["comments"] == []


@pytest.mark.parametrize(
    ("event", "code"),
    [
        ({"action": "publish", "comment_id": "0" * 32, "moderator": "ada"}, "validation_failed"),
        ({"action": "approve", "moderator": "ada"}, "validation_failed"),
        ({"action": "approve", "comment_id": "0" * 32}, "validation_failed"),
        ({"action": "approve", "comment_id": "../../etc", "moderator": "ada"}, "validation_failed"),
        ({"action": "list_pending", "limit": 0}, "validation_failed"),
        ({"action": "list_pending", "cursor": "forged"}, "validation_failed"),
        ({}, "validation_failed"),
        ("approve everything", "validation_failed"),
        ({"action": "approve", "comment_id": "0" * 32, "moderator": "ada"}, "not_found"),
        ({"action": "delete", "comment_id": "0" * 32, "moderator": "ada"}, "not_found"),
    ],
)
def test_failures_have_a_code_and_a_message(moderate: Invoke, event: Any, code: str) -> None:
    answer = moderate(event)

    assert set(answer) == {"error"}
    assert answer["error"]["code"] == code
    assert answer["error"]["message"]


def test_missing_fields_are_named(moderate: Invoke) -> None:
    message = moderate({"action": "approve"})["error"]["message"]

    assert "comment_id" in message
    assert "moderator" in message


def test_an_internal_failure_is_reported_without_a_stack_trace(
    moderate: Invoke, aws: dict[str, str], submit: Callable[..., str]
) -> None:
    comment_id = submit()
    boto3.client("dynamodb").delete_table(TableName=aws["CommentsTable"])

    answer = act(moderate, "approve", comment_id)

    assert answer["error"]["code"] == "internal_error"
    assert "Traceback" not in str(answer)


@pytest.fixture
def atomic_dynamodb(aws: dict[str, str]) -> list[str]:
    """DynamoDB applies each request atomically; moto, under threads, can interleave two transactions'
    condition checks and writes. One lock around each request restores DynamoDB's guarantee, and
    leaves the interleaving of requests (what the code under test must cope with) to the threads.
    Returns the operations that went through the lock."""
    lock = threading.Lock()
    calls: list[str] = []

    def enter(model: Any, **_: Any) -> None:  # a before-call handler must return None
        lock.acquire()
        calls.append(model.name)

    dynamo.dynamodb().meta.events.register("before-call.dynamodb", enter)
    dynamo.dynamodb().meta.events.register("after-call.dynamodb", lambda **_: lock.release())
    return calls


def test_concurrent_approve_and_reject_never_let_the_count_drift(
    moderate: Invoke,
    submit: Callable[..., str],
    listed: Callable[[str], dict[str, Any]],
    repository: CommentRepository,
    atomic_dynamodb: list[str],
) -> None:
    """Six moderators flip three comments between approved and rejected at once, then all approve
    together: every move is a real one or a harmless repeat, and the count ends at exactly three."""
    comment_ids = [submit(name=f"Reader {index}") for index in range(3)]
    rounds, moderators = 15, 6
    all_approve = threading.Barrier(moderators)
    answers: list[tuple[str, dict[str, Any]]] = []

    def moderator(number: int) -> None:
        for round_ in range(rounds):
            if round_ == rounds - 1:
                all_approve.wait()
            action = "approve" if round_ == rounds - 1 or (number + round_) % 2 else "reject"
            for comment_id in comment_ids:
                answers.append((action, act(moderate, action, comment_id, f"m{number}")))

    threads = [threading.Thread(target=moderator, args=(number,)) for number in range(moderators)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == moderators * rounds * len(comment_ids)
    # Approve and reject are allowed from each other's status: nothing may be refused as a move. Only a
    # moderator who lost the race three times in a row is told to try again.
    refused = [answer for _, answer in answers if "error" in answer]
    assert all("kept changing" in answer["error"]["message"] for answer in refused), refused
    done = [(action, answer["comment"]["status"]) for action, answer in answers if "error" not in answer]
    assert {status for action, status in done if action == "approve"} == {"approved"}
    assert {status for action, status in done if action == "reject"} == {"rejected"}
    assert len(done) > len(answers) / 2
    assert "TransactWriteItems" in atomic_dynamodb
    assert [repository.get(comment_id).status for comment_id in comment_ids] == [CommentStatus.APPROVED] * 3
    assert listed(SLUG)["count"] == 3
    assert len(listed(SLUG)["comments"]) == 3


def test_a_new_comment_queues_a_moderator_alert_with_the_commands(
    submit: Callable[..., str], aws: dict[str, str]
) -> None:
    comment_id = submit(name="Alerting Ada", message="Please review me soon.")

    [alert] = queued_messages(aws["NotificationQueue"])

    assert isinstance(alert, ModeratorAlert)
    assert alert.to == MODERATOR_EMAIL
    assert alert.comment_id == comment_id
    assert alert.name == "Alerting Ada"
    assert alert.message == "Please review me soon."
    assert f"parley moderate approve {comment_id}" in alert.commands
    assert f"parley moderate reject {comment_id}" in alert.commands


def test_no_moderator_address_no_alert(
    function: Callable[[str], Invoke], aws: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from parley import settings

    monkeypatch.setenv("MODERATOR_EMAIL", "")
    settings.get_settings.cache_clear()
    submit = function("SubmitCommentFunction")

    assert submit(json_post(valid_comment()))["statusCode"] == 202
    assert queued_messages(aws["NotificationQueue"]) == []
