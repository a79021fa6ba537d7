"""The desk's inbox: articles uploaded or pasted become a batch that the batch engine itself
runs (``batch.run_batch`` into ``DATA/runs/<batch>``), in a thread of the server.

Progress is read from that run's own state (``state.sqlite``), so what the page shows is
what the engine has committed, and a batch the server did not see finish (it stopped, it
was killed) is resumed when the server starts again: the engine skips what it already did.
Each batch keeps its inputs (``DATA/inbox/<batch>/inputs/``), what was asked for
(``job.json``), and how it ended (``ended.json``: the counts, or the error that stopped it).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx2
from rich.console import Console

from ..errors import InputError, SummarizerError
from ..redact import redact
from .desk import RUNS

if TYPE_CHECKING:
    from ..config import Settings

INBOX = "inbox"
SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".csv")
MAX_FILES = 50
MAX_FILE_BYTES = 5_000_000
MAX_PASTE_CHARS = 200_000
_STATUSES = ("ok", "partial", "no_event", "error")


@dataclass
class Progress:
    """One batch as the inbox shows it."""

    id: str
    schema: str
    lang: str
    who: str
    created: str
    total: int
    done: dict[str, int] = field(default_factory=dict)
    tokens: int = 0
    running: bool = False
    ended: dict[str, Any] | None = None
    eta_seconds: float | None = None

    @property
    def finished(self) -> int:
        return sum(self.done.values())


class Inbox:
    """The batches of one desk. ``settings`` gives the model the batches use (resolved from
    the environment when the first batch starts); ``transport`` replaces the network (tests,
    replays)."""

    def __init__(
        self,
        data: Path,
        settings: Callable[[], Settings],
        transport: Callable[[], httpx2.AsyncBaseTransport | None] = lambda: None,
    ) -> None:
        self.folder = data / INBOX
        self.runs = data / RUNS
        self._settings, self._transport = settings, transport
        self._threads: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()

    def create(
        self,
        files: list[tuple[str, bytes]],
        pasted: dict[str, str] | None,
        schema: str,
        lang: str,
        who: str,
    ) -> str:
        """Keep the inputs and start their batch; its id. Bad input is an ``InputError``."""
        if schema not in ("meeting", "cooperation") or lang not in ("en", "ar", "both"):
            raise InputError("choose the schema (meeting, cooperation) and language (en, ar, both)")
        if len(files) > MAX_FILES:
            raise InputError(f"{len(files)} files: at most {MAX_FILES} in one batch")
        if not files and not pasted:
            raise InputError("upload a file or paste an article")
        names = [_safe_name(name, i) for i, (name, _) in enumerate(files)]
        for name, (given, content) in zip(names, files, strict=True):
            if not name.endswith(SUFFIXES):
                raise InputError(f"{given}: upload .txt, .html, .jsonl or .csv files")
            if len(content) > MAX_FILE_BYTES:
                raise InputError(f"{given}: over {MAX_FILE_BYTES // 1_000_000} MB")
        if pasted and len(pasted.get("text", "")) > MAX_PASTE_CHARS:
            raise InputError(f"the pasted article is over {MAX_PASTE_CHARS:,} characters")
        from ..batch.inputs import (
            count_items,
        )  # the model stack: imported on first use, so the desk starts fast

        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        batch = f"{stamp}-{secrets.token_hex(3)}"
        inputs = self.folder / batch / "inputs"
        inputs.mkdir(parents=True)
        for name, (_, content) in zip(names, files, strict=True):
            (inputs / name).write_bytes(content)
        if pasted:
            line = {"id": "pasted", **{k: v for k, v in pasted.items() if v}}
            (inputs / "pasted.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n")
        job = {"schema": schema, "lang": lang, "who": who, "created": stamp,
               "total": count_items(_files(inputs))}  # fmt: skip
        (self.folder / batch / "job.json").write_text(json.dumps(job, ensure_ascii=False))
        self.start(batch)
        return batch

    def start(self, batch: str) -> None:
        """Run (or resume) ``batch`` in a thread, unless it runs already."""
        with self._lock:
            if batch in self._threads and self._threads[batch].is_alive():
                return
            thread = threading.Thread(target=self._run, args=(batch,), daemon=True)
            self._threads[batch] = thread
            thread.start()

    def resume(self) -> list[str]:
        """Start every batch that has not ended (the server stopped while it ran)."""
        pending = [b.id for b in self.batches() if b.ended is None and not b.running]
        for batch in pending:
            self.start(batch)
        return pending

    def wait(self, timeout: float) -> bool:
        """Wait for the running batches (tests, shutdown); whether they all ended."""
        deadline = time.monotonic() + timeout
        for thread in list(self._threads.values()):
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self._threads.values())

    def batches(self) -> list[Progress]:
        if not self.folder.is_dir():
            return []
        found = []
        for folder in sorted(self.folder.iterdir(), reverse=True):
            job_file = folder / "job.json"
            if not job_file.is_file():
                continue
            job = json.loads(job_file.read_text(encoding="utf-8"))
            ended_file = folder / "ended.json"
            progress = Progress(
                id=folder.name, schema=job["schema"], lang=job["lang"], who=job["who"],
                created=job["created"], total=int(job["total"]),
                running=folder.name in self._threads and self._threads[folder.name].is_alive(),
                ended=json.loads(ended_file.read_text()) if ended_file.is_file() else None,
            )  # fmt: skip
            self._read_state(progress)
            found.append(progress)
        return found

    def _read_state(self, progress: Progress) -> None:
        """Counts and tokens from the run's own state; an ETA from its pace so far."""
        state = self.runs / progress.id / "state.sqlite"
        progress.done = dict.fromkeys(_STATUSES, 0)
        if not state.is_file():
            return
        try:
            with sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=1) as db:
                rows = db.execute(
                    "SELECT status, COUNT(*), SUM(total_tokens), MIN(finished_at),"
                    " MAX(finished_at) FROM articles GROUP BY status"
                ).fetchall()
        except sqlite3.Error:  # being created, or busy: shown as not started yet
            return
        first, last = None, None
        for status, count, tokens, started, ended in rows:
            progress.done[status] = count
            progress.tokens += tokens or 0
            first = started if first is None else min(first, started)
            last = ended if last is None else max(last, ended)
        left = progress.total - progress.finished
        if progress.running and left > 0 and progress.finished > 1 and first and last > first:
            progress.eta_seconds = (last - first) / (progress.finished - 1) * left

    def _run(self, batch: str) -> None:
        from ..batch import (
            Job,
            run_batch,
        )  # the model stack: imported on first use, so the desk starts fast

        job = json.loads((self.folder / batch / "job.json").read_text(encoding="utf-8"))
        ended: dict[str, Any]
        try:
            stats = run_batch(
                _files(self.folder / batch / "inputs"),
                Job(out=self.runs / batch, schema=job["schema"], lang=job["lang"]),
                self._settings(),
                console=Console(file=io.StringIO()),
                transport=self._transport(),
            )
            ended = {"done": stats.done, "skipped": stats.skipped, "faults": stats.faults,
                     "stopped": stats.stopped}  # fmt: skip
        except Exception as exc:  # whatever stops it, the batch says how it ended
            reason = str(exc) if isinstance(exc, SummarizerError | OSError) else repr(exc)
            ended = {"error": redact(reason)}  # a server may have echoed the key into it
        (self.folder / batch / "ended.json").write_text(json.dumps(ended, ensure_ascii=False))


def _files(inputs: Path) -> list[Path]:
    """A batch's inputs, each named to the batch engine (a JSON-lines or CSV file inside a
    folder is not read as a list of articles: only a file given by name is)."""
    return sorted(inputs.iterdir())


def _safe_name(name: str, index: int) -> str:
    """A file name of the upload's that cannot leave the inputs folder or hide itself."""
    base = re.sub(r"[^\w.-]+", "_", Path(name.replace("\\", "/")).name).lstrip(".")
    return f"{index:03d}_{base or 'upload'}"
