"""An article's slug from what a source knows of it (DESIGN.md, "Import and export")."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from parley.models import SLUG_PATTERN
from parley_cli.importing.records import MalformedFile, SourceThread

_OUTSIDE = re.compile(r"[^a-z0-9]")
_SLUG = re.compile(SLUG_PATTERN)
SLUG_LIMIT = 200


def slugify(text: str) -> str:
    """Lowercased, with anything outside a-z0-9 turned into `-`."""
    return _OUTSIDE.sub("-", unquote(text).lower())[:SLUG_LIMIT]


def slug_for(thread: SourceThread, slug_map: dict[str, str]) -> str:
    """`--slug-map` first, then WordPress's post_name, else the last non-empty segment of the URL's
    path (`/` is `index`)."""
    if thread.url in slug_map:
        return slug_map[thread.url]
    if thread.post_name and thread.post_name.strip():
        return slugify(thread.post_name.strip())
    segments = [segment for segment in urlsplit(thread.url.strip()).path.split("/") if segment]
    return slugify(segments[-1]) if segments else "index"


def load_slug_map(path: Path) -> dict[str, str]:
    """A CSV of `url,slug` rows (a first row `url,slug` is a header)."""
    mapping: dict[str, str] = {}
    try:
        with path.open(newline="", encoding="utf-8") as rows:
            for line, row in enumerate(csv.reader(rows), start=1):
                if not row or (line == 1 and [cell.strip().lower() for cell in row] == ["url", "slug"]):
                    continue
                if len(row) != 2 or not _SLUG.fullmatch(row[1].strip()):
                    raise MalformedFile(
                        f"{path}:{line}: expected `url,slug` with a slug of a-z, 0-9 and -, got {row!r}"
                    )
                mapping[row[0].strip()] = row[1].strip()
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise MalformedFile(f"{path}: cannot read the slug map: {error}") from error
    return mapping
