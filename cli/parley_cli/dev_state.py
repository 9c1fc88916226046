"""`make dev` keeps its data: the local AWS process saves what moto holds into one SQLite file
(`.parley/state.sqlite` by default) and puts it back when the stack starts again.

Kept: every DynamoDB item (comments, counts, subscriptions, idempotency and rate-limit records), the
messages waiting on each SQS queue, each secret's value (the signing secret: links in old emails
still verify) and the emails SES accepted (the outbox). The tables, queues and secrets themselves
come from template.yaml on every start; what was in them is put back into them.

Saving is incremental: each DynamoDB write notes the key it touched (puts, deletes, updates,
transactions, batch writes, the TTL sweep), and every `SAVE_SECONDS` the items under those keys,
the queues, the secrets and the new emails are written in one SQLite transaction, and once more on
shutdown. A transaction commits whole or not at all, so a crash (SIGKILL) leaves the last save,
at most `SAVE_SECONDS` old. SQLite rather than a JSON snapshot: a save costs what changed, not the
whole table, so it stays cheap while an import writes 100,000 comments.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from moto.core.utils import unix_time_millis
from moto.secretsmanager.models import secretsmanager_backends
from moto.ses.models import RawMessage, ses_backends
from moto.sqs.models import sqs_backends

from parley_cli import moto_changes
from parley_cli.moto_changes import backends
from parley_cli.moto_fixes import DYNAMODB_LOCK

SAVE_SECONDS = float(os.environ.get("PARLEY_SAVE_SECONDS", "1"))
FILE_NAME = "state.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS items (place TEXT, tbl TEXT, hash TEXT, range TEXT, item TEXT,
                                  PRIMARY KEY (place, tbl, hash, range));
CREATE TABLE IF NOT EXISTS queues (place TEXT, name TEXT, messages TEXT, PRIMARY KEY (place, name));
CREATE TABLE IF NOT EXISTS secrets (place TEXT, name TEXT, value TEXT, PRIMARY KEY (place, name));
CREATE TABLE IF NOT EXISTS emails (place TEXT, position INTEGER, email TEXT, PRIMARY KEY (place, position));
"""


class StateInUse(RuntimeError):
    """Another `parley dev` keeps its data in the same directory."""


class StateFile:
    """The SQLite file of one data directory, held (flock) by one local stack at a time."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._lock_file = (directory / "lock").open("w")
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise StateInUse(f"another parley dev keeps its data in {directory}") from error
        self.database = sqlite3.connect(directory / FILE_NAME, check_same_thread=False)
        self.database.execute("PRAGMA journal_mode=WAL")
        self.database.executescript(SCHEMA)
        self._saved: dict[tuple[str, str, str], str] = {}  # (kind, place, name) -> the text saved
        self._saved_emails: dict[str, int] = {}  # place -> emails saved
        self._queue_marks: dict[tuple[str, str], tuple[str, ...]] = {}  # the message ids last saved
        self._save_lock = threading.Lock()
        moto_changes.track()

    def forget(self) -> None:
        """Start empty (`make dev FRESH=1`): the file keeps nothing of before."""
        with self.database:
            for table in ("items", "queues", "secrets", "emails"):
                self.database.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table names

    def restore(self) -> dict[str, int]:
        """Put the saved data back into the tables, queues and secrets that exist now (created from
        the template); what belongs to none of them stays in the file. Returns what was put back."""
        restored = {"items": 0, "messages": 0, "secrets": 0, "emails": 0}
        with DYNAMODB_LOCK:
            tables = moto_changes.tables()
            for place, table_name, item in self.database.execute("SELECT place, tbl, item FROM items"):
                if (table := tables.get((place, table_name))) is not None:
                    table.put_item(json.loads(item))
                    restored["items"] += 1
            moto_changes.take()  # what was just put back is saved already
        queues = dict(backends(sqs_backends))
        for place, name, messages in self.database.execute("SELECT place, name, messages FROM queues"):
            if place in queues and name in queues[place].queues:
                for message in json.loads(messages):
                    queues[place].send_message(
                        name, message["body"], message["attributes"], delay_seconds=message["delay"]
                    )
                    restored["messages"] += 1
        secrets = dict(backends(secretsmanager_backends))
        for place, name, value in self.database.execute("SELECT place, name, value FROM secrets"):
            if place in secrets and name in secrets[place].secrets:
                secrets[place].put_secret_value(name, value, None, None, ["AWSCURRENT"])
                restored["secrets"] += 1
        mail = dict(backends(ses_backends))
        for place, email in self.database.execute("SELECT place, email FROM emails ORDER BY place, position"):
            if place in mail:
                sent = json.loads(email)
                mail[place].sent_messages.append(
                    RawMessage(sent["id"], sent["source"], sent["destinations"], sent["raw_data"])
                )
                mail[place].sent_message_count += len(sent["destinations"])
                self._saved_emails[place] = self._saved_emails.get(place, 0) + 1
                restored["emails"] += 1
        self.save()
        return restored

    def save(self) -> None:
        """Write what changed since the last save, in one transaction."""
        with self._save_lock:
            with DYNAMODB_LOCK:
                tables = moto_changes.tables()
                items = [
                    (key, moto_changes.current(tables[key[:2]], key) if key[:2] in tables else None)
                    for key in moto_changes.take()
                ]
            others = [(("queue", *k), v) for k, v in _queues(self._queue_marks)]
            others += [(("secret", *k), v) for k, v in _secrets()]
            changed = {key: text for key, text in others if self._saved.get(key) != text}
            emails = list(_new_emails(self._saved_emails))
            with self.database:
                for key, item in items:
                    if item is None:
                        self.database.execute(
                            "DELETE FROM items WHERE place=? AND tbl=? AND hash=? AND range=?", key
                        )
                    else:
                        self.database.execute(
                            "INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?)", (*key, json.dumps(item))
                        )
                for (kind, place, name), text in changed.items():
                    table = "queues" if kind == "queue" else "secrets"
                    self.database.execute(
                        f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?)",  # noqa: S608 - our own table names
                        (place, name, text),
                    )
                self.database.executemany("INSERT OR REPLACE INTO emails VALUES (?, ?, ?)", emails)
            self._saved.update(changed)
            for place, position, _ in emails:
                self._saved_emails[place] = position + 1

    def keep_saving(self, stopping: threading.Event) -> None:
        """Save every `SAVE_SECONDS` until `stopping`, then once more."""
        while not stopping.wait(SAVE_SECONDS):
            self.save()
        self.save()


def _queues(marks: dict[tuple[str, str], tuple[str, ...]]) -> Iterator[tuple[tuple[str, str], str]]:
    """The messages of each queue whose messages changed since `marks` (their ids), in flight ones
    too (after a restart they are visible again, as once their visibility timeout ends), with what
    is left of their delay."""
    now = unix_time_millis()
    for place, backend in backends(sqs_backends):
        for name, queue in list(backend.queues.items()):
            mark = tuple(message.id for message in list(queue._messages))
            if marks.get((place, name)) == mark:
                continue
            marks[(place, name)] = mark
            messages = [
                {
                    "body": message.body,
                    "attributes": message.message_attributes,
                    "delay": min(900, max(0, math.ceil((message.delayed_until - now) / 1000))),
                }
                for message in list(queue._messages)
            ]
            yield (place, name), json.dumps(messages)


def _secrets() -> Iterator[tuple[tuple[str, str], str]]:
    for place, backend in backends(secretsmanager_backends):
        for name, secret in list(backend.secrets.items()):
            for version in list(secret.versions.values()):
                if "AWSCURRENT" in version.get("version_stages", []) and version.get("secret_string"):
                    yield (place, name), version["secret_string"]


def _new_emails(saved: dict[str, int]) -> Iterator[tuple[str, int, str]]:
    """The emails SES accepted since the last save (the outbox only grows)."""
    for place, backend in backends(ses_backends):
        raw = [message for message in list(backend.sent_messages) if isinstance(message, RawMessage)]
        for position in range(saved.get(place, 0), len(raw)):
            sent = raw[position]
            email = {
                "id": sent.id,
                "source": sent.source,
                "destinations": sent.destinations,
                "raw_data": sent.raw_data,
            }
            yield place, position, json.dumps(email)
