"""`parley export`: every stored comment (or one article's) as a Parley export, docs/export-format.md."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from parley.models import utc_now
from parley_cli import moderate
from parley_cli.importing import parley_export

PAGE = 100


def add_parser(commands: Any) -> None:
    command = commands.add_parser("export", help="write the stored comments as JSON Lines (a Parley export)")
    command.add_argument("--article", help="only this article's comments (its slug)")
    command.add_argument("--output", type=Path, help="the file to write (default: standard output)")
    command.add_argument(
        "--include-subscriptions",
        action="store_true",
        help="also who follows which article (addresses included)",
    )
    moderate.add_target_options(command)
    command.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    if arguments.output is None:
        count = write(arguments, sys.stdout)
    else:
        partial = arguments.output.with_name(arguments.output.name + ".partial")
        with partial.open("w", encoding="utf-8") as output:
            count = write(arguments, output)
        partial.replace(arguments.output)  # a file that is there is a whole export
    print(f"Exported {count} comments.", file=sys.stderr)
    return 0


def write(arguments: argparse.Namespace, output: TextIO) -> int:
    output.write(json.dumps(parley_export.header(arguments.article, utc_now().isoformat())) + "\n")
    count = 0
    cursor = None
    while True:
        request = {
            "action": "export",
            "article_slug": arguments.article,
            "include_subscriptions": arguments.include_subscriptions,
            "limit": PAGE,
            "cursor": cursor,
        }
        answer = moderate.invoke(arguments, request)
        if "error" in answer:
            raise moderate.ModerationFailed(
                f"{answer['error'].get('code')}: {answer['error'].get('message')}"
            )
        for kind in ("comment", "subscription"):
            for stored in answer.get(f"{kind}s", []):
                record = {"type": kind, **{k: v for k, v in stored.items() if v is not None}}
                output.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += len(answer["comments"])
        cursor = answer["next_cursor"]
        if cursor is None:
            return count
