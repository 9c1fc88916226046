"""`parley import`'s readers and plan on small files written to each source's published format."""

import json
import sqlite3
from pathlib import Path

import pytest

from parley.models import email_hash
from parley.transfer import IMPORT_BATCH_LIMIT
from parley_cli.importing import command, disqus, isso, parley_export, plan, sending, wordpress
from parley_cli.importing.records import MalformedFile
from parley_cli.main import main

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def by_source(planned: plan.Plan, source_format: str) -> dict[str, dict[str, object]]:
    ids = {c["id"]: c for c in planned.comments}
    return {
        source_id: ids[plan.comment_id(source_format, source_id)]
        for source_id in (str(n) for n in range(2000))
        if plan.comment_id(source_format, source_id) in ids
    }


def test_wordpress_keeps_threads_history_and_skips_what_is_not_a_comment() -> None:
    planned = plan.build(wordpress.read(DATA / "wordpress.xml"), "wordpress", {})
    found = by_source(planned, "wordpress")

    assert sorted(found) == ["11", "12", "13", "15", "21"]
    first, reply, pending = found["11"], found["12"], found["13"]
    assert (first["name"], first["email"], first["message"]) == ("Алиса 山田", "", "First!")
    assert reply["parent_id"] == first["id"]
    assert reply["root_id"] == first["id"]
    assert pending["parent_id"] == reply["id"]
    assert pending["root_id"] == first["id"]
    assert reply["message"] == "I agree & so does Alice (https://alice.example.org/)."
    assert reply["website"] == "https://bob.example.org"
    assert reply["created_at"] == "2019-01-03T11:00:00+00:00"
    assert (pending["status"], found["15"]["status"]) == ("pending", "spam")
    assert found["21"]["article_slug"] == "about"
    assert found["21"]["created_at"] == "2019-02-01T10:00:00+00:00"
    assert planned.skipped == {"pingback": 1, "deleted or trashed": 1}
    assert planned.orphans == ["comment 17: its parent 99 is not in the file"]
    assert planned.articles["hello-world"] == {"approved": 2, "pending": 1, "spam": 1}


def test_disqus_keeps_a_deleted_comment_as_the_tombstone_of_its_replies() -> None:
    planned = plan.build(disqus.read(DATA / "disqus.xml"), "disqus", {})
    found = {
        source_id: next(c for c in planned.comments if c["id"] == plan.comment_id("disqus", source_id))
        for source_id in ("1001", "1002", "1003", "1004", "1005")
    }

    top, gone, third = found["1001"], found["1002"], found["1003"]
    assert (top["name"], top["message"]) == ("王秀英", "Top of the chain.")
    assert (gone["status"], gone["name"], gone["message"], gone["email"]) == ("deleted", "", "", "")
    assert third["parent_id"] == gone["id"]
    assert third["root_id"] == top["id"]
    assert third["message"] == "Third in the chain,\nwith a line break.\n\nAnd a second paragraph."
    assert {top["article_slug"], found["1005"]["article_slug"]} == {"-ber-uns-", "index"}
    assert (found["1005"]["message"], found["1005"]["email"]) == ("ok", "")
    assert found["1004"]["status"] == "spam"
    assert planned.orphans == ["comment 1006: its thread 999 is not in the file"]


def test_a_slug_map_names_articles(tmp_path: Path) -> None:
    slug_map = tmp_path / "slugs.csv"
    slug_map.write_text("url,slug\nhttps://www.example.com/Blog/Über Uns!/,about-us\n")

    planned = plan.build(disqus.read(DATA / "disqus.xml"), "disqus", command.load_slug_map(slug_map))

    assert set(planned.articles) == {"about-us", "index"}


def test_a_bad_slug_map_names_its_line(tmp_path: Path) -> None:
    slug_map = tmp_path / "slugs.csv"
    slug_map.write_text("https://a.example/x,x\nhttps://a.example/y,Not A Slug\n")

    with pytest.raises(MalformedFile, match=r"slugs.csv:2: expected `url,slug`"):
        command.load_slug_map(slug_map)


def test_importing_the_same_file_twice_names_the_same_comments() -> None:
    first = plan.build(wordpress.read(DATA / "wordpress.xml"), "wordpress", {})
    second = plan.build(wordpress.read(DATA / "wordpress.xml"), "wordpress", {})

    assert [c["id"] for c in first.comments] == [c["id"] for c in second.comments]


def isso_database(path: Path) -> Path:
    database = sqlite3.connect(path)
    database.executescript(
        """
        CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
        CREATE TABLE comments (
            tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER, created FLOAT NOT NULL,
            modified FLOAT, mode INTEGER, remote_addr VARCHAR, text VARCHAR, author VARCHAR,
            email VARCHAR, website VARCHAR, likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0,
            voters BLOB NOT NULL, notification INTEGER DEFAULT 0);
        INSERT INTO threads VALUES (1, '/posts/First-Post.html', 'First'), (2, '/', 'Home');
        INSERT INTO comments VALUES
            (1, 1, 3, 1500000300.5, NULL, 1, '', 'A reply *in markdown*', 'Ana', 'ana@example.org', NULL, 0, 0, x'', 0),
            (1, 2, 3, 1500000400, NULL, 2, '', 'Pending reply', NULL, NULL, 'example.org', 0, 0, x'', 0),
            (1, 3, NULL, 1500000000, NULL, 4, '', '', NULL, NULL, NULL, 0, 0, x'', 0),
            (2, 4, NULL, 1500000500, NULL, 1, '', 'Hi', 'Bo', '', 'https://bo.example.org', 0, 0, x'', 0),
            (2, 5, NULL, 1500000600, NULL, 4, '', '', NULL, NULL, NULL, 0, 0, x'', 0);
        """
    )
    database.commit()
    database.close()
    return path


def test_isso_reads_the_database_without_changing_it(tmp_path: Path) -> None:
    path = isso_database(tmp_path / "comments.db")
    before = path.read_bytes()

    planned = plan.build(isso.read(path), "isso", {})
    found = by_source(planned, "isso")

    assert path.read_bytes() == before
    assert sorted(found) == ["1", "2", "3", "4"]
    assert found["3"]["status"] == "deleted"
    assert found["3"]["article_slug"] == "first-post-html"
    assert found["1"]["root_id"] == found["3"]["id"]
    assert found["1"]["created_at"] == "2017-07-14T02:45:00.500000+00:00"
    assert (found["2"]["name"], found["2"]["website"]) == ("Anonymous", None)
    assert found["4"]["article_slug"] == "index"
    assert planned.skipped == {"deleted or trashed": 1}


def test_formats_are_told_from_the_content(tmp_path: Path) -> None:
    jsonl = tmp_path / "export.jsonl"
    jsonl.write_text(json.dumps(parley_export.header(None, "2026-01-01T00:00:00+00:00")) + "\n")

    assert command.detect(DATA / "wordpress.xml") == "wordpress"
    assert command.detect(DATA / "disqus.xml") == "disqus"
    assert command.detect(isso_database(tmp_path / "isso.db")) == "isso"
    assert command.detect(jsonl) == "parley"


def test_a_malformed_xml_file_fails_naming_its_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    lines = (DATA / "wordpress.xml").read_text().splitlines()
    lines[29] = lines[29].replace("</wp:comment_author_url>", "")  # line 30
    broken.write_text("\n".join(lines))

    with pytest.raises(MalformedFile, match=r"broken.xml:3\d: not well-formed XML"):
        wordpress.read(broken)


def test_an_external_entity_is_refused_and_nothing_outside_the_file_is_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the-secret-value")
    hostile = tmp_path / "xxe.xml"
    hostile.write_text((DATA / "xxe.xml").read_text().replace("file:///etc/hostname", secret.as_uri()))

    with pytest.raises(MalformedFile, match="refused") as refused:
        wordpress.read(hostile)

    assert "the-secret-value" not in str(refused.value)


def test_an_entity_bomb_fails_at_its_declarations() -> None:
    with pytest.raises(MalformedFile, match="refused: the file declares XML entities"):
        disqus.read(DATA / "billion-laughs.xml")


def test_a_parley_export_line_at_fault_is_named(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    good = {"type": "comment", "id": "a" * 32, "article_slug": "x", "name": "N", "email": "",
            "message": "m", "status": "approved", "created_at": "2020-01-01T00:00:00Z"}  # fmt: skip
    header = json.dumps(parley_export.header(None, "2026-01-01T00:00:00+00:00"))
    export.write_text("\n".join([header, json.dumps(good), json.dumps({**good, "status": "lost"})]))

    with pytest.raises(MalformedFile, match=r"export.jsonl:3: status: "):
        parley_export.read(export)
    export.write_text("\n".join([header, json.dumps(good), "{not json"]))
    with pytest.raises(MalformedFile, match=r"export.jsonl:3: not JSON"):
        parley_export.read(export)


def test_dry_run_prints_the_plan_per_article_and_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    """No stack runs here: a dry run that tried to write would fail to reach it."""
    assert (
        main(["import", str(DATA / "wordpress.xml"), "--dry-run", "--endpoint-url", "http://127.0.0.1:9"])
        == 0
    )

    printed = capsys.readouterr().out
    assert "hello-world  2         1        1" in printed
    assert "orphan skipped: comment 17: its parent 99 is not in the file" in printed
    assert "5 comments in 2 articles from wordpress; skipped: 1 deleted or trashed, 1 pingback" in printed
    assert "Dry run: nothing was written." in printed


def test_a_hostile_file_ends_the_command_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(DATA / "billion-laughs.xml")]) == 1

    error = capsys.readouterr().err
    assert error.startswith("parley: ")
    assert error.count("\n") == 1


def test_batches_fit_lambdas_payload_limit_whatever_the_messages() -> None:
    long = {"id": "a" * 32, "message": "ü" * 20_000, "name": "N" * 100}
    short = {"id": "b" * 32, "message": "ok"}

    batches = list(sending.batches([long] * 250 + [short] * 750))

    assert sum(len(batch) for batch in batches) == 1000
    assert all(len(batch) <= IMPORT_BATCH_LIMIT for batch in batches)
    assert all(len(json.dumps({"action": "import", "comments": b}).encode()) < 6_000_000 for b in batches)


def test_a_parley_export_carries_subscriptions_keyed_by_their_address(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    header = json.dumps(parley_export.header(None, "2026-01-01T00:00:00+00:00"))
    follower = {"type": "subscription", "article_slug": "x", "email": "Ann@Example.org", "email_hash": "forged",
                "status": "confirmed", "created_at": "2024-01-01T00:00:00Z", "scope": "replies"}  # fmt: skip
    export.write_text("\n".join([header, json.dumps(follower), json.dumps({"type": "later-kind"})]))

    comments, [subscription] = parley_export.read(export)

    assert comments == []
    assert subscription["email_hash"] == email_hash("ann@example.org")
    assert (subscription["status"], subscription["scope"]) == ("confirmed", "replies")
    export.write_text("\n".join([header, json.dumps({**follower, "status": "maybe"})]))
    with pytest.raises(MalformedFile, match=r"export.jsonl:2: status: "):
        parley_export.read(export)


def test_a_bad_value_fails_naming_its_line(tmp_path: Path) -> None:
    dates = tmp_path / "dates.xml"
    dates.write_text((DATA / "wordpress.xml").read_text().replace("2019-01-04 09:00:00", "yesterday"))
    unnamed = tmp_path / "unnamed.xml"
    unnamed.write_text((DATA / "disqus.xml").read_text().replace('<post dsq:id="1004">', "<post>"))

    with pytest.raises(MalformedFile, match=r"dates.xml:61: comment: comment_date_gmt is not a date"):
        wordpress.read(dates)
    with pytest.raises(MalformedFile, match=r"unnamed.xml:68: a <post> without dsq:id"):
        disqus.read(unnamed)


def test_an_import_that_cannot_write_says_how_far_it_got(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(DATA / "wordpress.xml"), "--endpoint-url", "http://127.0.0.1:9"]) == 1

    error = capsys.readouterr().err
    assert error.startswith("parley: cannot reach the local stack")
    assert error.endswith("(after 0 comments written; importing the file again finishes the job)\n")
