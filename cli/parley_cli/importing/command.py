"""`parley import FILE`: read the whole file first (a broken file fails before anything is written),
then send the comments to the moderation function in batches that fit Lambda's payload limit."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from parley.transfer import IMPORT_BATCH_LIMIT
from parley_cli import moderate
from parley_cli.importing import disqus, isso, parley_export, plan, wordpress
from parley_cli.importing.records import MalformedFile, Parsed
from parley_cli.importing.slugs import load_slug_map

READERS: dict[str, Callable[[Path], Parsed]] = {
    "disqus": disqus.read,
    "wordpress": wordpress.read,
    "isso": isso.read,
}
FORMATS = (*READERS, "parley")
RESULT_FIELDS = ("written", "existing", "subscriptions_written", "subscriptions_existing")
BATCH_BYTES = 4_000_000  # Lambda takes 6 MB a request; room to spare


def add_parser(commands: Any) -> None:
    command = commands.add_parser(
        "import", help="load comments from Disqus, WordPress, Isso or a Parley export"
    )
    command.add_argument("file", type=Path)
    command.add_argument("--format", choices=FORMATS, help="the file's format (default: detected)")
    command.add_argument("--slug-map", type=Path, help="a CSV of url,slug rows naming articles' slugs")
    command.add_argument("--dry-run", action="store_true", help="show what would be imported; write nothing")
    moderate.add_target_options(command)
    command.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    path: Path = arguments.file
    if not path.is_file():
        raise MalformedFile(f"{path}: no such file")
    source_format = arguments.format or detect(path)
    slug_map = load_slug_map(arguments.slug_map) if arguments.slug_map else {}
    subscriptions: list[dict[str, Any]] = []
    if source_format == "parley":
        comments, subscriptions = parley_export.read(path)
        planned = plan.Plan(comments=comments)
        for comment in planned.comments:
            planned.articles[comment["article_slug"]][comment["status"]] += 1
    else:
        planned = plan.build(READERS[source_format](path), source_format, slug_map)
    totals: Counter[str] = Counter()
    if not arguments.dry_run:
        try:
            for kind, records in (("comments", planned.comments), ("subscriptions", subscriptions)):
                for batch in batches(records):
                    totals.update(send(arguments, kind, batch))
        except moderate.ModerationFailed as error:
            raise moderate.ModerationFailed(
                f"{error} (after {totals['written']} comments written; importing the file again finishes the job)"
            ) from error
    print(summary(planned, source_format, totals, arguments.dry_run))
    if subscriptions:
        written = "" if arguments.dry_run else f"; written: {totals['subscriptions_written']}"
        print(f"Subscriptions: {len(subscriptions)} in the file{written}.")
    return 0


def send(arguments: argparse.Namespace, kind: str, batch: list[dict[str, Any]]) -> dict[str, int]:
    answer = moderate.invoke(arguments, {"action": "import", kind: batch})
    if "error" in answer:
        error = answer["error"]
        raise moderate.ModerationFailed(f"{error.get('code')}: {error.get('message')}")
    return {name: answer[name] for name in RESULT_FIELDS}


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


def batches(comments: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    size = 0
    for comment in comments:
        length = len(json.dumps(comment).encode())
        if batch and (len(batch) == IMPORT_BATCH_LIMIT or size + length > BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(comment)
        size += length
    if batch:
        yield batch


def summary(planned: plan.Plan, source_format: str, totals: Counter[str], dry_run: bool) -> str:
    header = ("ARTICLE", "APPROVED", "PENDING", "SPAM", "PLACEHOLDERS")
    rows = [
        (slug, *(str(counts[status]) for status in ("approved", "pending", "spam")), str(counts["deleted"]))
        for slug, counts in sorted(planned.articles.items())
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines += [f"orphan skipped: {orphan}" for orphan in planned.orphans]
    skipped = ", ".join(f"{count} {why}" for why, count in sorted(planned.skipped.items()))
    lines.append(
        f"{len(planned.comments)} comments in {len(rows)} articles from {source_format}"
        + (f"; skipped: {skipped}" if skipped else "")
        + (f"; {len(planned.orphans)} orphans" if planned.orphans else "")
    )
    if dry_run:
        lines.append("Dry run: nothing was written.")
    else:
        lines.append(f"Written: {totals['written']}; already there: {totals['existing']}.")
    return "\n".join(lines)
