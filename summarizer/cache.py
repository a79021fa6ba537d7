"""Response cache: a checked answer, stored under everything that can change it.

The key hashes the base URL, model, mode, sampling settings, prompt version, schema and
validator versions, language, the article and its metadata. A hit costs no tokens and says so
(``meta.cached``). Only checked answers (a summary, or a no-event reason) are stored. SQLite
in WAL mode: many processes of a batch may read and write it at once.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

FILENAME = "responses.sqlite"
# Modules whose behaviour decides whether an answer passes: a change to any of them
# invalidates what was cached under the old rules.
_VALIDATOR_MODULES = (
    "answer",
    "checks",
    "dates",
    "date_tables",
    "grounding",
    "normalize",
    "schemas",
    "script",
)


@cache
def validator_version() -> str:
    digest = hashlib.sha256()
    package_dir = Path(__file__).parent
    for name in _VALIDATOR_MODULES:
        digest.update((package_dir / f"{name}.py").read_bytes())
    return digest.hexdigest()[:12]


def cache_key(**parts: Any) -> str:
    """A stable hash of the parts (JSON, sorted keys), with the validator version added."""
    material = json.dumps(
        {**parts, "validator_version": validator_version()},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(material.encode()).hexdigest()


class ResponseCache:
    """One connection, opened on first use and shared by the threads of one Summarizer.

    Opening a connection per lookup and syncing every commit to disk cost more than the
    lookups themselves; WAL with ``synchronous=NORMAL`` keeps every committed answer across
    a process crash (only an OS crash can lose the last ones, and they are only a cache).
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / FILENAME
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._connection is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS responses "
                    "(key TEXT PRIMARY KEY, created REAL NOT NULL, value TEXT NOT NULL)"
                )
                self._connection = connection
            with self._connection:
                yield self._connection

    def get(self, key: str) -> dict[str, Any] | None:
        with self._db() as db:
            # fetchall finishes the statement: a half-read cursor would keep a read snapshot
            # open, and this connection's next write would fail with "database is locked"
            # once another process has written (SQLITE_BUSY_SNAPSHOT).
            rows = db.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchall()
        return json.loads(rows[0][0]) if rows else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO responses (key, created, value) VALUES (?, ?, ?)",
                (key, time.time(), json.dumps(value, ensure_ascii=False)),
            )

    def info(self) -> dict[str, Any]:
        if not self.path.exists():
            return {"path": str(self.path), "entries": 0, "bytes": 0}
        with self._db() as db:
            ((entries,),) = db.execute("SELECT COUNT(*) FROM responses").fetchall()
        size = sum(p.stat().st_size for p in self.path.parent.glob(f"{FILENAME}*"))
        return {"path": str(self.path), "entries": entries, "bytes": size}

    def clear(self) -> int:
        if not self.path.exists():
            return 0
        with self._db() as db:
            removed = db.execute("DELETE FROM responses").rowcount
        with self._db() as db:
            db.execute("VACUUM")
        return int(removed)

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
