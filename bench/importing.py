"""A large WordPress export imported into the local stack: time, comments per second, and the peak
memory of the importing process (`parley import`, as a site owner runs it)."""

import os
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

import requests

from parley_cli.devprocess import RunningStack

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench blog</title><link>https://bench.example.com</link><wp:wxr_version>1.2</wp:wxr_version>
"""
COUNT_BATCH = 50  # slugs per GET /api/comments/count


@dataclass
class ImportResult:
    comments: int
    seconds: float
    cpu_seconds: float
    peak_mib: float
    counted: int
    expected: int
    output: str


def write_wordpress_export(path: Path, comments: int, articles: int, seed: int = 15) -> int:
    """A WXR file of `comments` comments spread evenly over `articles` posts, a third of them replies
    to an earlier comment of the same post, with HTML messages; returns how many are approved."""
    chance = random.Random(seed)
    per_article = comments // articles
    approved = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for article in range(articles):
            approved += _write_post(out, chance, article, per_article)
        out.write("</channel></rss>\n")
    return approved


def _write_post(out: TextIO, chance: random.Random, article: int, count: int) -> int:
    out.write(
        f"<item><title>Post {article}</title><link>https://bench.example.com/{article}/</link>"
        f"<wp:post_id>{article + 1}</wp:post_id><wp:post_name>bench-post-{article}</wp:post_name>\n"
    )
    approved = 0
    for number in range(count):
        comment_id = article * count + number + 1
        parent = (
            chance.randrange(comment_id - number, comment_id) if number and chance.random() < 1 / 3 else 0
        )
        status = "1" if chance.random() < 0.9 else "0"
        approved += status == "1"
        out.write(
            f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
            f"<wp:comment_author><![CDATA[Reader {comment_id}]]></wp:comment_author>"
            f"<wp:comment_author_email>reader{comment_id}@example.com</wp:comment_author_email>"
            f"<wp:comment_author_url>https://reader{comment_id}.example.org/</wp:comment_author_url>"
            f"<wp:comment_date_gmt>2019-{1 + number % 12:02d}-{1 + number % 28:02d} 10:{number % 60:02d}:00"
            f"</wp:comment_date_gmt><wp:comment_content><![CDATA[<p>Comment {comment_id}: "
            f'{"a thoughtful remark " * chance.randint(2, 12)}</p><p>With <a href="https://example.org/">a link</a>.</p>]]>'
            f"</wp:comment_content><wp:comment_approved>{status}</wp:comment_approved>"
            f"<wp:comment_type>comment</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>"
            "</wp:comment>\n"
        )
    out.write("</item>\n")
    return approved


def run_import(
    stack: RunningStack, path: Path, comments: int, articles: int, approved: int, parallel: int
) -> ImportResult:
    """`parley import` against the stack, in a process of its own, timed; then every article's count."""
    environment = {**os.environ, "LAMBDA_PORT": str(urlsplit(stack.lambda_api).port)}
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "parley_cli.main", "import", str(path), "--parallel", str(parallel)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout or []))
    reader.start()
    # wait4: this child's own peak memory (ru_maxrss, KiB), not the stack's nor an earlier child's.
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    if process.returncode != 0:
        raise RuntimeError("parley import failed:\n" + "".join(output))
    slugs = [f"bench-post-{article}" for article in range(articles)]
    counted = 0
    for start in range(0, len(slugs), COUNT_BATCH):
        answer = requests.get(
            f"{stack.api}/api/comments/count",
            params={"article_slug": slugs[start : start + COUNT_BATCH]},
            timeout=30,
        )
        counted += sum(answer.json()["counts"].values())
    cpu = usage.ru_utime + usage.ru_stime
    return ImportResult(comments, seconds, cpu, usage.ru_maxrss / 1024, counted, approved, "".join(output))
