"""`parley moderate`: the moderation function, invoked through the Lambda Invoke API.

By default it talks to the local stack (`make dev`, on LAMBDA_PORT); `--function-name` or
`--stack-name` reach a deployed stack with your usual AWS credentials.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import textwrap
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError

from parley_cli import review

LOCAL_FUNCTION = "ModerateFunction"
STACK_OUTPUT = "ModerateFunctionName"
ACTIONS = ("approve", "reject", "spam", "delete")


class ModerationFailed(Exception):
    """Anything that ends the command: its message is the one line the moderator sees."""


def add_parser(commands: Any) -> None:
    moderate = commands.add_parser(
        "moderate", help="review comments: list pending, show, approve, reject, ..."
    )
    add_target_options(moderate)
    moderate.add_argument("--json", action="store_true", help="print the function's JSON answer")
    moderate.add_argument(
        "--moderator", default=None, help="who you are, for the record (default: your login)"
    )
    actions = moderate.add_subparsers(dest="moderate_action", required=True)
    actions.add_parser("review", help="pending comments one at a time, a key for each move")
    pending = actions.add_parser("pending", help="comments awaiting review, oldest first")
    pending.add_argument("--limit", type=int, default=50)
    pending.add_argument("--cursor", default=None, help="next_cursor of the previous page")
    show = actions.add_parser("show", help="every field of one comment")
    show.add_argument("comment_id")
    for action in ACTIONS:
        acting = actions.add_parser(action, help=f"{action} a comment")
        acting.add_argument("comment_id")
    moderate.set_defaults(run=run)


def add_target_options(command: Any) -> None:
    """Where the moderation function is: the local stack by default, or a deployed one."""
    target = command.add_mutually_exclusive_group()
    target.add_argument("--function-name", help="a deployed moderation function (name or ARN)")
    target.add_argument("--stack-name", help="a deployed stack; the function is read from its outputs")
    command.add_argument("--region", help="AWS region of the deployed stack")
    command.add_argument(
        "--endpoint-url",
        default=None,
        help="the Lambda Invoke API to use (default: the local stack on LAMBDA_PORT, 3001)",
    )


def run(arguments: argparse.Namespace) -> int:
    if arguments.moderate_action == "review":
        return review.run(arguments, invoke, moderator_of(arguments))
    request = build_request(arguments)
    answer = invoke(arguments, request)
    if "error" in answer:
        error = answer["error"]
        raise ModerationFailed(f"{error.get('code')}: {error.get('message')}")
    if arguments.json:
        print(json.dumps(answer, indent=2))
    elif "comments" in answer:
        print(pending_table(answer["comments"], answer.get("next_cursor")))
    else:
        print(comment_details(answer["comment"]))
    return 0


def build_request(arguments: argparse.Namespace) -> dict[str, Any]:
    action = arguments.moderate_action
    if action == "pending":
        return {"action": "list_pending", "limit": arguments.limit, "cursor": arguments.cursor}
    if action == "show":
        return {"action": "get", "comment_id": arguments.comment_id}
    return {
        "action": action,
        "comment_id": arguments.comment_id,
        "moderator": moderator_of(arguments),
    }


def moderator_of(arguments: argparse.Namespace) -> str:
    return str(arguments.moderator or os.environ.get("PARLEY_MODERATOR") or getpass.getuser())


def invoke(
    arguments: argparse.Namespace, request: dict[str, Any], target: tuple[Any, str, str] | None = None
) -> dict[str, Any]:
    """The moderation function's answer to `request`; `target`: a `lambda_client` to reuse (boto3
    clients are safe to share between threads, but not to create from several at once)."""
    client, function_name, where = target or lambda_client(arguments)
    try:
        response = client.invoke(FunctionName=function_name, Payload=json.dumps(request).encode())
    except EndpointConnectionError as error:
        raise ModerationFailed(
            f"cannot reach {where} ({error.kwargs.get('endpoint_url')}); is it running?"
        ) from error
    except ClientError as error:
        raise ModerationFailed(f"{where}: {error.response['Error'].get('Message') or error}") from error
    except BotoCoreError as error:
        raise ModerationFailed(f"{where}: {error}") from error
    payload = json.loads(response["Payload"].read() or b"null")
    if response.get("FunctionError"):
        message = payload.get("errorMessage") if isinstance(payload, dict) else payload
        raise ModerationFailed(f"the moderation function failed: {message}")
    if not isinstance(payload, dict):
        raise ModerationFailed(f"unexpected answer from the moderation function: {payload!r}")
    return payload


def lambda_client(arguments: argparse.Namespace) -> tuple[Any, str, str]:
    """The client, the function's name, and how to call the place in messages."""
    retries = Config(retries={"max_attempts": 2, "mode": "standard"}, read_timeout=30)
    if arguments.function_name or arguments.stack_name:
        session = boto3.Session(region_name=arguments.region)
        function = arguments.function_name or function_from_stack(session, arguments.stack_name)
        client = session.client("lambda", endpoint_url=arguments.endpoint_url, config=retries)
        return client, function, f"the function {function}"
    endpoint = arguments.endpoint_url or f"http://127.0.0.1:{os.environ.get('LAMBDA_PORT', '3001')}"
    client = boto3.client(
        "lambda",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="parley-local",
        aws_secret_access_key="parley-local",  # noqa: S106 - the local stack takes any key
        config=retries,
    )
    return client, LOCAL_FUNCTION, "the local stack (make dev)"


def function_from_stack(session: boto3.Session, stack_name: str) -> str:
    try:
        [stack] = session.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"]
    except (ClientError, BotoCoreError) as error:
        raise ModerationFailed(f"cannot read the stack {stack_name}: {error}") from error
    for output in stack.get("Outputs", []):
        if output["OutputKey"] == STACK_OUTPUT:
            return str(output["OutputValue"])
    raise ModerationFailed(f"the stack {stack_name} has no {STACK_OUTPUT} output")


def pending_table(comments: list[dict[str, Any]], next_cursor: str | None) -> str:
    if not comments:
        return "No comments await review."
    header = ("ID", "RECEIVED (UTC)", "ARTICLE", "NAME", "EMAIL", "MESSAGE")
    rows = [
        (
            comment["id"],
            comment["created_at"][:16].replace("T", " "),
            shorten(comment["article_slug"], 30),
            shorten(comment["name"], 20),
            shorten(comment["email"], 28),
            shorten(comment["message"], 40),
        )
        for comment in comments
    ]
    widths = [max(len(row[index]) for row in [header, *rows]) for index in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.append(
        f"{len(comments)} pending."
        + (f" More: parley moderate pending --cursor {next_cursor}" if next_cursor else "")
    )
    return "\n".join(lines)


def comment_details(comment: dict[str, Any]) -> str:
    fields = (
        "id", "status", "previous_status", "article_slug", "article_category", "name", "email", "website",
        "created_at", "parent_id", "notifications", "client_hash", "user_agent", "moderated_by", "moderated_at",
    )  # fmt: skip
    lines = [f"{field + ':':18} {comment[field]}" for field in fields if comment.get(field) not in (None, "")]
    message = textwrap.indent(comment.get("message", ""), "  ")
    return "\n".join([*lines, "message:", message])


def shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
