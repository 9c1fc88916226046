"""The feeds' reads: an article's latest approved comments (GSI5), and the site's (GSI6, by month and shard).

The site's "latest across articles" is not one partition: every approval would write to it, and an
import of a large history would throttle it (and, through the index, the table's writes). GSI6
keeps each month's approvals in RECENT_SHARDS partitions; the newest are the newest of the current
month's shards, merged, and of earlier months while that is not enough (docs/architecture.md).
"""

from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from parley.models import FeedEntry
from parley.settings import get_settings
from parley.storage.comment_items import (
    ARTICLE_FEED_INDEX,
    FEED_ATTRIBUTES,
    RECENT_INDEX,
    RECENT_SHARDS,
    query_index,
    recent_partition,
)
from parley.storage.dynamo import plain

MONTHS_BACK = 12  # the site feed looks this far back for its entries


class FeedIndex:
    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name

    def article(self, slug: str, limit: int) -> list[FeedEntry]:
        """An article's newest approved comments, replies included: one Query."""
        return self._newest(ARTICLE_FEED_INDEX, f"FEED#{slug}", limit)

    def recent(self, limit: int, now: datetime) -> list[FeedEntry]:
        """The newest approved comments across articles, of the last MONTHS_BACK months: the shards
        of one month at a time (at once), newest month first, until `limit` are found."""
        found: list[FeedEntry] = []
        with ThreadPoolExecutor(max_workers=RECENT_SHARDS) as pool:
            for month in months_back_from(now, MONTHS_BACK):
                partitions = [recent_partition(month, shard) for shard in range(RECENT_SHARDS)]
                # Each Query runs in the caller's context (its contextvars: who is calling, for the logs).
                contexts = [contextvars.copy_context() for _ in partitions]
                for entries in pool.map(
                    lambda context, partition: context.run(self._newest, RECENT_INDEX, partition, limit),
                    contexts,
                    partitions,
                ):
                    found += entries
                if len(found) >= limit:
                    break
        found.sort(key=lambda entry: (entry.created_at, entry.id), reverse=True)
        return found[:limit]

    def _newest(self, index: str, partition: str, limit: int) -> list[FeedEntry]:
        items, _ = query_index(
            self.table_name,
            index,
            partition,
            ("feed", limit, None),
            ascending=False,
            projection=FEED_ATTRIBUTES,
        )
        return [FeedEntry.model_validate(plain(item)) for item in items]


def months_back_from(now: datetime, count: int) -> list[str]:
    """`count` months as `YYYY-MM`, this one first."""
    year, month = now.year, now.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months
