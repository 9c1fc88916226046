"""What an import did, as plain columns: per article what the file holds, then the totals (written,
already there, skipped by reason, orphans)."""

from __future__ import annotations

from collections import Counter

from parley_cli.importing.plan import Plan

STATUSES = ("approved", "pending", "spam")


def columns(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


def summary(planned: Plan, source_format: str, totals: Counter[str], dry_run: bool) -> str:
    articles = [
        (slug, *(str(counts[status]) for status in STATUSES), str(counts["deleted"]))
        for slug, counts in sorted(planned.articles.items())
    ]
    lines = columns([("ARTICLE", "APPROVED", "PENDING", "SPAM", "PLACEHOLDERS"), *articles])
    lines += [f"orphan skipped: {orphan}" for orphan in planned.orphans]
    skipped = ", ".join(f"{count} {why}" for why, count in sorted(planned.skipped.items()))
    lines.append(
        f"{len(planned.comments)} comments in {len(articles)} articles from {source_format}"
        + (f"; skipped: {skipped}" if skipped else "")
        + (f"; {len(planned.orphans)} orphans" if planned.orphans else "")
    )
    lines += ["", *columns(totals_rows(planned, totals, dry_run)), ""]
    if dry_run:
        lines.append("Dry run: nothing was written.")
    else:
        lines.append(f"Written: {totals['written']}; already there: {totals['existing']}.")
    return "\n".join(lines)


def totals_rows(planned: Plan, totals: Counter[str], dry_run: bool) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [("TOTAL", "COMMENTS"), ("to import", str(len(planned.comments)))]
    if not dry_run:
        rows += [("imported", str(totals["written"])), ("already there", str(totals["existing"]))]
    rows += [(f"skipped: {why}", str(count)) for why, count in sorted(planned.skipped.items())]
    rows.append(("orphans (skipped)", str(len(planned.orphans))))
    return rows
