"""What a batch has finished, in SQLite (stdlib ``sqlite3``, WAL) inside the output directory.

One row per finished article: its input and configuration hashes, status, error, usage, cost,
timings and the exact ``results.jsonl`` line. A row is committed the moment its article ends,
so a run killed at any moment loses no finished article, and a resumed run skips it. Articles
still in flight at a kill have no row: on resume they are sent again (the only repeat).

``synchronous=NORMAL`` in WAL mode survives a killed process (the WAL is in the OS's hands
at commit); only a power cut may lose the last commits, and then those articles rerun.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..redact import redact

FILENAME = "state.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,            -- place in the inputs: the order of results.jsonl
    source TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    status TEXT NOT NULL,            -- ok | partial | no_event | error
    error TEXT,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    total_tokens INTEGER NOT NULL,
    cost REAL,
    attempts INTEGER NOT NULL,
    seconds REAL NOT NULL,
    line TEXT NOT NULL,              -- the results.jsonl line, exactly
    finished_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS job (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS provider_batches (
    batch_id TEXT PRIMARY KEY,
    settings TEXT NOT NULL,          -- what it was submitted with, as JSON
    open INTEGER NOT NULL            -- 1 until collected
);
CREATE TABLE IF NOT EXISTS provider_items (
    batch_id TEXT NOT NULL,
    custom_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    item TEXT NOT NULL,              -- the input as JSON: id, source, text, metadata
    PRIMARY KEY (batch_id, custom_id)
);
CREATE INDEX IF NOT EXISTS provider_items_article ON provider_items (article_id);
"""


@dataclass(frozen=True)
class Prior:
    """What an earlier run recorded for an article."""

    status: str
    input_hash: str
    config_hash: str


@dataclass(frozen=True)
class Record:
    id: str
    seq: int
    source: str
    input_hash: str
    config_hash: str
    status: str
    error: str | None
    usage: dict[str, int]
    cost: float | None
    attempts: int
    seconds: float
    line: str


def storable(text: str) -> str:
    """``text`` as SQLite and a UTF-8 file accept it: lone surrogates (an undecodable file
    name, a JSON ``\\udc80`` escape) become the escape itself, as ``json`` writes it.

    >>> storable("x\\udc80")
    'x\\\\udc80'
    """
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class State:
    """The batch's state database; one connection, used from the event loop's thread.

    A file there that is not a database (or one this process cannot open) is a
    ``ConfigError`` naming the file and what to do, not a traceback.
    """

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / FILENAME
        try:
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise ConfigError(f"{self.path}: cannot open the batch state ({exc})") from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.OperationalError as exc:
            self._db.close()
            raise ConfigError(f"{self.path}: cannot open the batch state ({exc})") from None
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise ConfigError(
                f"{self.path}: not a batch state database ({exc}); move it away (or use another"
                " --out) and run again to start afresh"
            ) from None

    def close(self) -> None:
        self._db.close()

    def prior(self, article_id: str) -> Prior | None:
        row = self._db.execute(
            "SELECT status, input_hash, config_hash FROM articles WHERE id = ?",
            (storable(article_id),),
        ).fetchone()
        return Prior(*row) if row else None

    def record(self, rec: Record) -> bool:
        """Store a finished article and commit; True when it replaced an earlier row.

        The last line of defence for what reaches the disk: text is made storable and
        redacted here whatever the caller did.
        """
        with self._transaction():
            replaced = self.prior(rec.id) is not None
            self._db.execute(
                "INSERT OR REPLACE INTO articles VALUES"
                " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    storable(rec.id),
                    rec.seq,
                    storable(rec.source),
                    rec.input_hash,
                    rec.config_hash,
                    rec.status,
                    None if rec.error is None else storable(redact(rec.error)),
                    rec.usage.get("prompt_tokens", 0),
                    rec.usage.get("completion_tokens", 0),
                    rec.usage.get("total_tokens", 0),
                    rec.cost,
                    rec.attempts,
                    rec.seconds,
                    storable(redact(rec.line)),
                    time.time(),
                ),
            )
        return replaced

    def lines(self) -> Iterator[str]:
        """Every results line, in input order, streamed from the database."""
        yield from (
            row[0] for row in self._db.execute("SELECT line FROM articles ORDER BY seq, id")
        )

    def count(self) -> int:
        (n,) = self._db.execute("SELECT COUNT(*) FROM articles").fetchone()
        return int(n)

    def get(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM job WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def put(self, key: str, value: str) -> None:
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO job VALUES (?, ?)", (key, value))

    # Provider batches: what was submitted, so that `--collect` can validate the answers
    # against the articles without the inputs at hand.

    def save_provider_items(self, batch_id: str, rows: Iterable[tuple[str, int, Any]]) -> None:
        with self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO provider_items VALUES (?, ?, ?, ?, ?)",
                (
                    (
                        batch_id,
                        custom_id,
                        storable(item["id"]),
                        seq,
                        storable(json.dumps(item, ensure_ascii=False)),
                    )
                    for custom_id, seq, item in rows
                ),
            )

    def rename_provider_items(self, old: str, new: str | None) -> None:
        """Give the rows written before the batch existed its id (None: drop them)."""
        with self._transaction():
            if new is None:
                self._db.execute("DELETE FROM provider_items WHERE batch_id = ?", (old,))
            else:
                self._db.execute(
                    "UPDATE provider_items SET batch_id = ? WHERE batch_id = ?", (new, old)
                )

    def open_batch(self, batch_id: str, settings: dict[str, Any]) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO provider_batches VALUES (?, ?, 1)",
                (batch_id, json.dumps(settings)),
            )

    def close_batch(self, batch_id: str) -> None:
        with self._transaction():
            self._db.execute("UPDATE provider_batches SET open = 0 WHERE batch_id = ?", (batch_id,))

    def batch_settings(self, batch_id: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT settings FROM provider_batches WHERE batch_id = ?", (batch_id,)
        ).fetchone()
        return dict(json.loads(row[0])) if row else None

    def open_batch_of(self, article_id: str) -> str | None:
        """The submitted, not yet collected batch that holds this article, if any."""
        row = self._db.execute(
            "SELECT p.batch_id FROM provider_items p JOIN provider_batches b USING (batch_id)"
            " WHERE p.article_id = ? AND b.open = 1",
            (storable(article_id),),
        ).fetchone()
        return str(row[0]) if row else None

    def provider_items(self, batch_id: str) -> Iterator[tuple[str, int, dict[str, Any]]]:
        rows = self._db.execute(
            "SELECT custom_id, seq, item FROM provider_items WHERE batch_id = ? ORDER BY seq",
            (batch_id,),
        )
        for custom_id, seq, item in rows:
            yield custom_id, seq, json.loads(item)

    def provider_item(self, batch_id: str, custom_id: str) -> tuple[int, dict[str, Any]] | None:
        row = self._db.execute(
            "SELECT seq, item FROM provider_items WHERE batch_id = ? AND custom_id = ?",
            (batch_id, custom_id),
        ).fetchone()
        return (int(row[0]), json.loads(row[1])) if row else None

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT (or ROLLBACK): the connection runs in autocommit mode."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")
