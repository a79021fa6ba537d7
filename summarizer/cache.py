"""Response cache: a checked answer, stored under everything that can change it.

The key (``answer_key``) hashes everything that can change an answer: server and Azure
settings, model, mode, re-asks, sampling, input and output limits, budget, whether partial
results are taken, prompt and validator versions, schema, language, the article and its
metadata. A hit costs no tokens and says so (``meta.cached``). Only checked answers (a
summary, or a no-event reason) are stored. SQLite in WAL mode: many processes of a batch may
read and write it at once.

A damaged file (garbage, a truncated copy) is a miss when summarising, is reported by
``info`` and removed by ``clear``: the cache can always be repaired by clearing it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .prompts import prompt_version
from .redact import redact_data

if TYPE_CHECKING:
    from .config import Settings
    from .result import ArticleMeta

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
    "partial",
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


def answer_key(
    settings: Settings, schema: str, lang: str, article: ArticleMeta | None = None
) -> str:
    """The one key of everything that can change an answer.

    The response cache keys each article's answer by it (``article`` given); a batch keys its
    configuration by it (``article`` None: the input's own hash is kept beside it), so that a
    batch re-run with any of these changed redoes its articles instead of keeping old results.
    """
    material = {
        "server": settings.base_url or settings.azure_endpoint or "openai",
        "azure_deployment": settings.azure_deployment,
        "api_version": settings.api_version,
        "model": settings.model,
        "mode": settings.mode,
        "reasks": settings.reasks,
        "temperature": settings.temperature,
        "seed": settings.seed,
        "max_output_tokens": settings.max_output_tokens,
        # decides how a long article is split, so what each request holds
        "max_input_tokens": settings.resolved_max_input_tokens,
        "max_input_chars": settings.max_input_chars,
        "max_tokens_per_article": settings.max_tokens_per_article,
        # a partial answer must never be served to a call that did not ask for one
        "partial": settings.partial,
        "prompt_version": prompt_version(),
        "validator_version": validator_version(),
        "schema": schema,
        "lang": lang,
        "article": asdict(article) if article is not None else None,
    }
    encoded = json.dumps(material, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


class ResponseCache:
    """One connection per process, opened on first use and shared by that process's threads.

    Opening a connection per lookup and syncing every commit to disk cost more than the
    lookups themselves; WAL with ``synchronous=NORMAL`` keeps every committed answer across
    a process crash (only an OS crash can lose the last ones, and they are only a cache).
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / FILENAME
        self._connection: sqlite3.Connection | None = None
        self._pid = 0  # the process that opened the connection
        self._lock = threading.Lock()

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            # A forked worker must not use its parent's connection (SQLite's locks are per
            # process): it opens its own and leaves the inherited one alone.
            if self._connection is None or self._pid != os.getpid():
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # A short wait: this runs on the event loop, and a miss costs less than a stall.
                connection = sqlite3.connect(self.path, timeout=2, check_same_thread=False)
                try:
                    connection.execute("PRAGMA journal_mode=WAL")
                    connection.execute("PRAGMA synchronous=NORMAL")
                    connection.execute(
                        "CREATE TABLE IF NOT EXISTS responses "
                        "(key TEXT PRIMARY KEY, created REAL NOT NULL, value TEXT NOT NULL)"
                    )
                except sqlite3.DatabaseError:
                    connection.close()  # a damaged file: nothing to keep open
                    raise
                self._connection, self._pid = connection, os.getpid()
            with self._connection:
                yield self._connection

    def get(self, key: str) -> dict[str, Any] | None:
        """The cached value, or None on a miss or when the cache cannot be read now."""
        try:
            return self._get(key)
        except sqlite3.DatabaseError:
            # A cache is an optimisation: contention or a damaged file is a miss, never a
            # failed article (seen as "database is locked" when a batch is interrupted).
            return None

    def put(self, key: str, value: dict[str, Any]) -> bool:
        """Store a checked answer; False when the cache cannot be written now."""
        try:
            self._put(key, value)
        except sqlite3.DatabaseError:
            return False
        return True

    def _get(self, key: str) -> dict[str, Any] | None:
        with self._db() as db:
            # fetchall finishes the statement: a half-read cursor would keep a read snapshot
            # open, and this connection's next write would fail with "database is locked"
            # once another process has written (SQLITE_BUSY_SNAPSHOT).
            rows = db.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchall()
        return json.loads(rows[0][0]) if rows else None

    def _put(self, key: str, value: dict[str, Any]) -> None:
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO responses (key, created, value) VALUES (?, ?, ?)",
                # Never a key on disk, even one a model repeated in its answer.
                (key, time.time(), json.dumps(redact_data(value), ensure_ascii=False)),
            )

    def info(self) -> dict[str, Any]:
        """``path``, ``entries``, ``bytes``; and ``damaged`` (why) when the file is unreadable."""
        if not self.path.exists():
            return {"path": str(self.path), "entries": 0, "bytes": 0}
        size = sum(p.stat().st_size for p in self._files())
        try:
            with self._db() as db:
                ((entries,),) = db.execute("SELECT COUNT(*) FROM responses").fetchall()
        except sqlite3.DatabaseError as exc:
            self.close()
            return {"path": str(self.path), "entries": 0, "bytes": size, "damaged": str(exc)}
        return {"path": str(self.path), "entries": entries, "bytes": size}

    def clear(self) -> int:
        """Remove every cached answer and return how many; a damaged file is removed whole."""
        if not self.path.exists():
            return 0
        try:
            with self._db() as db:
                removed = db.execute("DELETE FROM responses").rowcount
            with self._db() as db:
                db.execute("VACUUM")
        except sqlite3.DatabaseError:
            self.remove()
            return 0
        return int(removed)

    def remove(self) -> None:
        """Delete the cache file (and SQLite's side files): the repair for a damaged one."""
        self.close()
        for path in self._files():
            path.unlink()

    def _files(self) -> list[Path]:
        names = (FILENAME, f"{FILENAME}-wal", f"{FILENAME}-shm", f"{FILENAME}-journal")
        candidates = (self.path.parent / name for name in names)
        return [p for p in candidates if p.exists() or p.is_symlink()]

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
