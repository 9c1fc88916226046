"""`parley import` and `parley export` against running local stacks, as a site owner moving in uses them."""

import os
import pty
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from parley_cli.devprocess import RunningStack
from tests.e2e.checked_stack import stack_within_roles

pytestmark = pytest.mark.e2e
WORDPRESS = Path(__file__).resolve().parents[1] / "data" / "import" / "wordpress.xml"
DISQUS = WORDPRESS.with_name("disqus.xml")


def parley(stack: RunningStack, *arguments: str) -> subprocess.CompletedProcess[str]:
    port = urlsplit(stack.lambda_api).port
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "parley_cli.main", *arguments],
        env={"PATH": "/usr/bin:/bin", "LAMBDA_PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def listing(stack: RunningStack, slug: str) -> Any:
    return requests.get(f"{stack.api}/api/comments", params={"article_slug": slug}, timeout=10).json()


def without_avatars(listed: Any) -> Any:
    """A listing with every comment's `avatar` left out (replies too)."""
    if isinstance(listed, dict):
        return {name: without_avatars(value) for name, value in listed.items() if name != "avatar"}
    if isinstance(listed, list):
        return [without_avatars(value) for value in listed]
    return listed


@pytest.fixture(scope="module")
def imported(local_stack: RunningStack, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, Path]:
    """The WordPress file imported once under slugs of this module's own (the shared stack keeps its
    data, and the comments' ids come from the file: a second import of it adds nothing)."""
    post, page = (f"wp-{uuid.uuid4().hex[:10]}" for _ in range(2))
    slug_map = tmp_path_factory.mktemp("import") / "slugs.csv"
    slug_map.write_text(
        f"https://blog.example.com/2019/01/hello-world/,{post}\nhttps://blog.example.com/about/,{page}\n"
    )
    result = parley(local_stack, "import", str(WORDPRESS), "--slug-map", str(slug_map))
    assert result.returncode == 0, result.stderr
    assert "Written: 5; already there: 0." in result.stdout
    return post, page, slug_map


@pytest.fixture(scope="module")
def empty_stack() -> Iterator[RunningStack]:
    with stack_within_roles({"PARLEY_PARAMETER_OVERRIDES": "ListCacheSeconds=0"}) as stack:
        yield stack


def test_a_wordpress_export_is_listed_as_its_threads(
    local_stack: RunningStack, imported: tuple[str, str, Path]
) -> None:
    post, page, _ = imported

    listed = listing(local_stack, post)

    assert listed["count"] == 2
    [thread] = listed["comments"]
    assert (thread["name"], thread["message"]) == ("Алиса 山田", "First!")
    [reply] = thread["replies"]
    assert reply["message"] == "I agree & so does Alice (https://alice.example.org/)."
    assert reply["replies"] == []  # the pending answer to it waits for moderation
    assert listing(local_stack, page)["comments"][0]["message"] == "Hi"


def test_importing_the_same_file_again_adds_nothing(
    local_stack: RunningStack, imported: tuple[str, str, Path]
) -> None:
    post, _, slug_map = imported
    before = listing(local_stack, post)

    result = parley(
        local_stack, "import", str(WORDPRESS), "--format", "wordpress", "--slug-map", str(slug_map)
    )

    assert result.returncode == 0, result.stderr
    assert "Written: 0; already there: 5." in result.stdout
    assert listing(local_stack, post) == before
    assert before["count"] == 2


def test_an_export_imported_into_an_empty_stack_lists_the_same(
    local_stack: RunningStack, empty_stack: RunningStack, imported: tuple[str, str, Path], tmp_path: Path
) -> None:
    post, page, _ = imported
    export = tmp_path / "export.jsonl"

    exported = parley(local_stack, "export", "--article", post, "--output", str(export))
    loaded = parley(empty_stack, "import", str(export))

    assert exported.returncode == 0, exported.stderr
    assert loaded.returncode == 0, loaded.stderr
    assert "Written: 4; already there: 0." in loaded.stdout  # the post's four, not the page's
    # The same, but for avatars: each stack keys its commenters' hashes under its own secret.
    assert without_avatars(listing(empty_stack, post)) == without_avatars(listing(local_stack, post))
    counts = requests.get(
        f"{empty_stack.api}/api/comments/count", params={"article_slug": [post, page]}, timeout=10
    )
    assert counts.json()["counts"] == {post: 2, page: 0}


def test_the_import_ends_with_its_totals_and_no_control_codes_off_a_terminal(
    local_stack: RunningStack, tmp_path: Path
) -> None:
    about, home = (f"dq-{uuid.uuid4().hex[:10]}" for _ in range(2))
    slug_map = tmp_path / "slugs.csv"
    slug_map.write_text(f"https://www.example.com/Blog/Über Uns!/,{about}\nhttps://www.example.com/,{home}\n")

    result = parley(local_stack, "import", str(DISQUS), "--slug-map", str(slug_map))

    assert result.returncode == 0, result.stderr
    totals = dict(
        re.findall(r"^(to import|imported|already there|orphans \(skipped\))\s+(\d+)$", result.stdout, re.M)
    )
    assert totals == {"to import": "5", "imported": "5", "already there": "0", "orphans (skipped)": "1"}
    assert not re.search(r"[\x1b\r]", result.stdout + result.stderr)  # piped: no bar, no escape codes


def test_on_a_terminal_the_import_shows_its_progress(
    local_stack: RunningStack, imported: tuple[str, str, Path]
) -> None:
    _, _, slug_map = imported
    port = urlsplit(local_stack.lambda_api).port
    terminal, attached = pty.openpty()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "parley_cli.main", "import", str(WORDPRESS), "--slug-map", str(slug_map)],
        env={"PATH": "/usr/bin:/bin", "LAMBDA_PORT": str(port), "TERM": "xterm", "COLUMNS": "100"},
        stdout=subprocess.PIPE,
        stderr=attached,
        text=True,
    )
    os.close(attached)
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the terminal's other end closed: the command is done
            break
        if not chunk:
            break
        shown += chunk
    output, _ = process.communicate(timeout=120)
    os.close(terminal)

    assert process.returncode == 0
    assert b"Importing comments" in shown
    assert b"5/5" in shown
    assert "Written: 0; already there: 5." in output
