"""`parley rerender`: every stored comment's message_html rendered again (after a renderer change)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from parley_cli import moderate

PAGE = 100


def add_parser(commands: Any) -> None:
    command = commands.add_parser(
        "rerender", help="render every stored comment's HTML again (after upgrading Parley's Markdown)"
    )
    command.add_argument("--article", help="only this article's comments (its slug)")
    moderate.add_target_options(command)
    command.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    examined = rerendered = 0
    cursor = None
    while True:
        answer = moderate.invoke(
            arguments,
            {"action": "rerender", "article_slug": arguments.article, "limit": PAGE, "cursor": cursor},
        )
        if "error" in answer:
            raise moderate.ModerationFailed(
                f"{answer['error'].get('code')}: {answer['error'].get('message')}"
            )
        examined += answer["examined"]
        rerendered += answer["rerendered"]
        cursor = answer["next_cursor"]
        if cursor is None:
            break
    print(f"Rendered {rerendered} of {examined} comments again (the rest were current).", file=sys.stderr)
    return 0
