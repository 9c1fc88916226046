"""`parley moderate` against a running local stack, as a moderator at a terminal uses it."""

import json
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from parley_cli.devprocess import RunningStack, invoke_function

pytestmark = pytest.mark.e2e
EVENTS = Path(__file__).resolve().parents[2] / "events"


def parley(stack: RunningStack, *arguments: str) -> subprocess.CompletedProcess[str]:
    port = urlsplit(stack.lambda_api).port
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "parley_cli.main", "moderate", *arguments],
        env={"PATH": "/usr/bin:/bin", "LAMBDA_PORT": str(port), "PARLEY_MODERATOR": "cli-test"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def post_form(stack: RunningStack, slug: str, name: str) -> str:
    response = requests.post(
        f"{stack.api}/api/comments",
        data={
            "article_slug": slug,
            "name": name,
            "email": "reader@example.com",
            "message": "Posted through the form.",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 303
    return parse_qs(urlsplit(response.headers["Location"]).query)["id"][0]


def test_pending_then_approve_makes_the_comment_public(local_stack: RunningStack) -> None:
    slug = f"cli-{uuid.uuid4().hex[:10]}"
    name = f"Reader {uuid.uuid4().hex[:6]}"
    comment_id = post_form(local_stack, slug, name)

    pending = parley(local_stack, "pending", "--limit", "100")
    approved = parley(local_stack, "approve", comment_id)
    page = requests.get(f"{local_stack.api}/api/comments", params={"article_slug": slug}, timeout=10).json()

    assert pending.returncode == 0, pending.stderr
    [line] = [line for line in pending.stdout.splitlines() if comment_id in line]
    assert name in line
    assert "reader@example.com" in line
    assert approved.returncode == 0, approved.stderr
    assert "status:            approved" in approved.stdout
    assert "moderated_by:      cli-test" in approved.stdout
    assert page["count"] == 1
    assert [comment["id"] for comment in page["comments"]] == [comment_id]


def test_json_output_is_the_function_answer(local_stack: RunningStack) -> None:
    comment_id = post_form(local_stack, f"cli-{uuid.uuid4().hex[:10]}", "Json Reader")

    shown = parley(local_stack, "--json", "show", comment_id)

    assert shown.returncode == 0
    assert json.loads(shown.stdout)["comment"]["id"] == comment_id


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["show", "0123456789abcdef0123456789abcdef"], "parley: not_found: "),
        (["approve", "not-an-id"], "parley: validation_failed: comment_id"),
    ],
)
def test_errors_exit_non_zero_with_one_line(
    local_stack: RunningStack, arguments: list[str], message: str
) -> None:
    result = parley(local_stack, *arguments)

    assert result.returncode == 1
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_an_unreachable_stack_is_one_line_too(local_stack: RunningStack) -> None:
    result = parley(local_stack, "--endpoint-url", "http://127.0.0.1:9", "pending")

    assert result.returncode == 1
    assert result.stderr.startswith("parley: cannot reach")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("sample", sorted(path.name for path in EVENTS.glob("moderate_*.json")))
def test_every_sample_event_gets_an_answer_through_the_invoke_api(
    local_stack: RunningStack, sample: str
) -> None:
    """The list sample lists, the export and rerender samples go through a page; the others name a
    comment that does not exist, and say so."""
    answer = invoke_function(local_stack, "ModerateFunction", json.loads((EVENTS / sample).read_text()))

    if sample == "moderate_list_pending.json":
        assert set(answer) == {"comments", "next_cursor"}
        assert isinstance(answer["comments"], list)
    elif sample == "moderate_export.json":
        assert set(answer) == {"format", "version", "comments", "subscriptions", "next_cursor"}
        assert answer["format"] == "parley-export"
    elif sample == "moderate_rerender.json":
        assert set(answer) == {"examined", "rerendered", "next_cursor"}
    else:
        assert answer["error"]["code"] == "not_found", answer


def test_no_http_route_reaches_moderation(local_stack: RunningStack) -> None:
    comment_id = post_form(local_stack, f"cli-{uuid.uuid4().hex[:10]}", "Pending Reader")
    attempts = [
        requests.post(
            f"{local_stack.api}/api/comments",
            json={"action": "approve", "comment_id": comment_id, "moderator": "intruder"},
            timeout=10,
        ),
        requests.post(f"{local_stack.api}/api/moderate", json={"action": "list_pending"}, timeout=10),
        requests.post(
            f"{local_stack.api}/2015-03-31/functions/ModerateFunction/invocations",
            json={"action": "approve", "comment_id": comment_id, "moderator": "intruder"},
            timeout=10,
        ),
    ]

    assert [response.status_code for response in attempts] == [422, 404, 404]
    status = invoke_function(local_stack, "ModerateFunction", {"action": "get", "comment_id": comment_id})
    assert status["comment"]["status"] == "pending"


def post_distinct(stack: RunningStack, slug: str, name: str, parent_id: str = "") -> str:
    """A comment of its own (the same message from the same address twice is one comment)."""
    fields = {"article_slug": slug, "name": name, "email": f"{uuid.uuid4().hex[:8]}@example.com"}
    fields["message"] = f"{name} says something of their own."
    if parent_id:
        fields["parent_id"] = parent_id
    response = requests.post(f"{stack.api}/api/comments", data=fields, allow_redirects=False, timeout=10)
    assert response.status_code == 303
    return parse_qs(urlsplit(response.headers["Location"]).query)["id"][0]


def test_review_walks_the_queue_one_comment_at_a_time_with_keys() -> None:
    """A stack of its own, so the queue holds exactly these: keys fed on stdin, as a moderator types."""
    from tests.e2e.checked_stack import stack_within_roles

    overrides = "RateLimitPerMinute=10000 RateLimitPerHour=10000"
    with stack_within_roles(
        {"PARLEY_SCHEDULE_SECONDS": "0.5", "PARLEY_PARAMETER_OVERRIDES": overrides}
    ) as stack:
        slug = f"review-{uuid.uuid4().hex[:10]}"
        parent = post_form(stack, slug, "Parent Writer")
        invoke_function(
            stack, "ModerateFunction", {"action": "approve", "comment_id": parent, "moderator": "e2e"}
        )
        first, second, third, fourth = (post_distinct(stack, slug, f"Reader {n}") for n in range(4))
        post_distinct(stack, slug, "Replier", parent_id=parent)
        port = urlsplit(stack.lambda_api).port

        # approve, reject, unknown key then spam, skip, the reply: approve; then the queue is done.
        session = subprocess.run(
            [sys.executable, "-m", "parley_cli.main", "moderate", "review"],
            input="a\nr\n?\ns\nk\na\n",
            env={"PATH": "/usr/bin:/bin", "LAMBDA_PORT": str(port), "PARLEY_MODERATOR": "reviewer"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

        assert session.returncode == 0, session.stderr
        assert "In reply to Parent Writer (approved):" in session.stdout
        assert "Keys: a approve" in session.stdout
        assert "No more comments await review (4 decided, 1 skipped)." in session.stdout
        statuses = {
            comment_id: invoke_function(
                stack, "ModerateFunction", {"action": "get", "comment_id": comment_id}
            )["comment"]
            for comment_id in (first, second, third, fourth)
        }
        assert [statuses[c]["status"] for c in (first, second, third, fourth)] == [
            "approved", "rejected", "spam", "pending"
        ]  # fmt: skip
        assert statuses[first]["moderated_by"] == "reviewer"
