"""`parley import FILE`: read the whole file first (a broken file fails before anything is written),
then send the comments to the moderation function in batches that fit Lambda's payload limit,
several at once (`sending`), and end with a summary: per article, then the totals."""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from rich.console import Console

from parley_cli import moderate
from parley_cli.importing import disqus, isso, parley_export, plan, sending, wordpress
from parley_cli.importing.records import MalformedFile, Parsed
from parley_cli.importing.slugs import load_slug_map
from parley_cli.importing.summary import summary

READERS: dict[str, Callable[[Path], Parsed]] = {
    "disqus": disqus.read,
    "wordpress": wordpress.read,
    "isso": isso.read,
}
FORMATS = (*READERS, "parley")


def add_parser(commands: Any) -> None:
    command = commands.add_parser(
        "import", help="load comments from Disqus, WordPress, Isso or a Parley export"
    )
    command.add_argument("file", type=Path)
    command.add_argument("--format", choices=FORMATS, help="the file's format (default: detected)")
    command.add_argument("--slug-map", type=Path, help="a CSV of url,slug rows naming articles' slugs")
    command.add_argument("--dry-run", action="store_true", help="show what would be imported; write nothing")
    command.add_argument(
        "--parallel",
        type=int,
        default=sending.PARALLEL,
        choices=range(1, 11),
        metavar="N",
        help=f"invocations at once, 1-10 (default {sending.PARALLEL})",
    )
    moderate.add_target_options(command)
    command.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    path: Path = arguments.file
    if not path.is_file():
        raise MalformedFile(f"{path}: no such file")
    source_format = arguments.format or detect(path)
    slug_map = load_slug_map(arguments.slug_map) if arguments.slug_map else {}
    console = Console(stderr=True)
    with console.status(f"Reading {path}") if console.is_terminal else nullcontext():
        planned, subscriptions = read(path, source_format, slug_map)
    totals: Counter[str] = Counter()
    if not arguments.dry_run:
        try:
            with sending.progress_bar(console) as progress:
                sending.send_all(arguments, "comments", planned.comments, progress, totals)
                sending.send_all(arguments, "subscriptions", subscriptions, progress, totals)
        except moderate.ModerationFailed as error:
            raise moderate.ModerationFailed(
                f"{error} (after {totals['written']} comments written; importing the file again finishes the job)"
            ) from error
    print(summary(planned, source_format, totals, arguments.dry_run))
    if subscriptions:
        written = "" if arguments.dry_run else f"; written: {totals['subscriptions_written']}"
        print(f"Subscriptions: {len(subscriptions)} in the file{written}.")
    return 0


def read(path: Path, source_format: str, slug_map: dict[str, str]) -> tuple[plan.Plan, list[dict[str, Any]]]:
    """The comments to store and the subscriptions (a Parley export's), checked."""
    if source_format != "parley":
        return plan.build(READERS[source_format](path), source_format, slug_map), []
    comments, subscriptions = parley_export.read(path)
    planned = plan.Plan(comments=comments)
    for comment in planned.comments:
        planned.articles[comment["article_slug"]][comment["status"]] += 1
    return planned, subscriptions


def detect(path: Path) -> str:
    with path.open("rb") as source:
        start = source.read(4096)
    if start.startswith(b"SQLite format 3\x00"):
        return "isso"
    text = start.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("{"):
        return "parley"
    if "<disqus" in text:
        return "disqus"
    if "<rss" in text and "wordpress.org/export/" in text:
        return "wordpress"
    raise MalformedFile(f"{path}: cannot tell the format; pass --format disqus|wordpress|isso|parley")
