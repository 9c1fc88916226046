"""What every reader hands the plan: the file's threads and comments, as the source had them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

SourceStatus = Literal["approved", "pending", "spam", "deleted"]


class MalformedFile(Exception):
    """A file that cannot be imported: its message is one line naming the file and where."""


@dataclass
class SourceThread:
    url: str
    post_name: str | None = None


@dataclass(slots=True)  # a large export holds many: no __dict__ each
class SourceComment:
    source_id: str
    thread: str  # the key of its thread in `Parsed.threads`
    parent: str | None  # the source id of the comment it answers
    name: str
    email: str
    website: str | None
    message: str
    created_at: datetime
    status: SourceStatus


@dataclass
class Parsed:
    threads: dict[str, SourceThread] = field(default_factory=dict)
    comments: list[SourceComment] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # why -> how many (pingback, trashed, ...)


def utc(moment: datetime) -> datetime:
    """A source's time as UTC (a time without a zone is taken as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
