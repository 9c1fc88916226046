"""Sending an import to the moderation function: batches that fit its payload limit, several
invocations at once, and a progress bar on a terminal (nothing at all when output goes to a file or
a pipe: no control codes in logs)."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from parley.transfer import IMPORT_BATCH_LIMIT
from parley_cli import moderate

RESULT_FIELDS = ("written", "existing", "subscriptions_written", "subscriptions_existing")
BATCH_BYTES = 4_000_000  # Lambda takes 6 MB a request; room to spare
PARALLEL = 4  # invocations at once: the local stack runs four of a function; AWS's default quota is 10
ATTEMPTS = 3
TRANSIENT = ("internal_error", "invalid_transition")  # a crash, writes that kept conflicting


def progress_bar(console: Console) -> Progress:
    """A bar of records sent, shown only where `console` is a terminal."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal,
    )


def send_all(
    arguments: argparse.Namespace,
    kind: str,
    records: list[dict[str, Any]],
    progress: Progress,
    totals: Counter[str],
) -> None:
    """Send every record in batches, `arguments.parallel` at a time, adding the answers to `totals`
    as they come. The first failure stops the sending (what was written stays: a re-run finishes)."""
    if not records:
        return
    target = moderate.lambda_client(arguments)
    task = progress.add_task(f"Importing {kind}", total=len(records), rate="")
    running: set[Future[dict[str, int]]] = set()
    with ThreadPoolExecutor(max_workers=arguments.parallel) as pool:
        try:
            for batch in batches(records):
                if len(running) >= arguments.parallel * 2:  # a few queued ahead, not the whole file
                    running = _collect(running, progress, task, totals)
                running.add(pool.submit(_send, arguments, kind, batch, target))
            while running:
                running = _collect(running, progress, task, totals)
        except BaseException:
            for future in running:
                future.cancel()  # those not started yet; the pool waits for those under way
            raise


def _collect(
    running: set[Future[dict[str, int]]], progress: Progress, task: Any, totals: Counter[str]
) -> set[Future[dict[str, int]]]:
    done, still = wait(running, return_when=FIRST_COMPLETED)
    for future in done:
        answer = future.result()  # the first failure ends the import here
        totals.update(answer)
        progress.advance(task, answer["sent"])
        elapsed = progress.tasks[task].elapsed or 0
        completed = progress.tasks[task].completed
        progress.update(task, rate=f"{completed / elapsed:,.0f}/s" if elapsed else "")
    return still


def _send(
    arguments: argparse.Namespace, kind: str, batch: list[dict[str, Any]], target: tuple[Any, str, str]
) -> dict[str, int]:
    """One batch; sent again (it is idempotent) when the function failed on its side, a few times.
    What a failed attempt had written shows as already there in the answer that follows."""
    attempt = 1
    while True:
        answer = moderate.invoke(arguments, {"action": "import", kind: batch}, target)
        error = answer.get("error")
        if error is None:
            return {**{name: answer[name] for name in RESULT_FIELDS}, "sent": len(batch)}
        if error.get("code") not in TRANSIENT or attempt == ATTEMPTS:
            raise moderate.ModerationFailed(f"{error.get('code')}: {error.get('message')}")
        attempt += 1


def batches(records: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Runs of records of at most IMPORT_BATCH_LIMIT and BATCH_BYTES (as JSON) each."""
    batch: list[dict[str, Any]] = []
    size = 0
    for record in records:
        length = len(json.dumps(record).encode())
        if batch and (len(batch) == IMPORT_BATCH_LIMIT or size + length > BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(record)
        size += length
    if batch:
        yield batch
