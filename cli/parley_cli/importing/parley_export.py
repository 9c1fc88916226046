"""A Parley export (JSON Lines, docs/export-format.md): a header line, then one stored comment a line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from parley.transfer import EXPORT_FORMAT, EXPORT_VERSION, ImportedComment, ImportedSubscription
from parley_cli.importing.records import MalformedFile


def header(article_slug: str | None, exported_at: str) -> dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at,
        "article_slug": article_slug,
    }


def read(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every comment and subscription of the file, checked; the first line at fault ends the read
    with its number."""
    records: dict[str, list[dict[str, Any]]] = {"comment": [], "subscription": []}
    models: dict[str, type[BaseModel]] = {"comment": ImportedComment, "subscription": ImportedSubscription}
    first = True
    for line, record in _records(path):
        if first:
            if record.get("format") != EXPORT_FORMAT or record.get("version") != EXPORT_VERSION:
                raise MalformedFile(
                    f"{path}:{line}: not a {EXPORT_FORMAT} version {EXPORT_VERSION} header: "
                    + json.dumps(record)[:120]
                )
            first = False
            continue
        kind = record.pop("type", "comment")
        if kind not in models:
            continue  # kinds of record this version does not import
        try:
            checked = models[kind].model_validate(record)
            records[kind].append(checked.model_dump(mode="json", exclude_none=True))
        except ValidationError as error:
            fields = "; ".join(
                f"{'.'.join(str(p) for p in detail['loc'])}: {detail['msg']}" for detail in error.errors()
            )
            raise MalformedFile(f"{path}:{line}: {fields}") from error
    if first:
        raise MalformedFile(f"{path}:1: empty file, expected a {EXPORT_FORMAT} header")
    return records["comment"], records["subscription"]


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        with path.open(encoding="utf-8") as lines:
            for number, text in enumerate(lines, start=1):
                if not text.strip():
                    continue
                try:
                    record = json.loads(text)
                except json.JSONDecodeError as error:
                    raise MalformedFile(f"{path}:{number}: not JSON ({error.msg})") from error
                if not isinstance(record, dict):
                    raise MalformedFile(f"{path}:{number}: expected a JSON object")
                yield number, record
    except UnicodeDecodeError as error:
        raise MalformedFile(f"{path}: not UTF-8 text ({error.reason})") from error
