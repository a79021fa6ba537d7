"""What a batch writes into its output directory: ``results.jsonl`` lines and briefings.

A line is ``{"id", "source", "status", "summary"?, "error"?, "meta"}``: ``summary`` for
``ok`` and ``partial`` (and ``null`` for ``no_event``), ``error`` for ``error``; ``meta``
always, with the article's ``cost`` in US dollars (null when the model's price is unknown).
Lines of HTML inputs also carry ``article``, the text that evidence offsets refer to.

``results.jsonl`` is derived from the state database, which is the truth: lines are appended
as articles end (after their commit), and the file is rewritten from the database, in input
order, at the end of a run and at the start of one that follows a crash. So a kill between a
commit and its append, or in the middle of an append, is repaired on the next run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from ..briefing import render_briefing
from ..errors import SummarizerError
from ..files import write_atomic
from ..redact import redact_data
from ..result import ArticleMeta, Meta, Result
from .inputs import Item
from .state import storable

RESULTS = "results.jsonl"
BRIEFINGS = "briefings"
_UNSAFE = re.compile(r"[^\w.-]+")


def result_line(item: Item, result: Result, cost: float | None, briefings: list[str]) -> str:
    assert result.meta is not None
    line: dict[str, Any] = {"id": item.id, "source": item.source, "status": result.status}
    line["summary"] = result.summary_dict()
    line["meta"] = {**result.meta.as_dict(), "cost": cost}
    if briefings:
        line["briefings"] = briefings
    if item.input_format == "html":
        line["article"] = result.article
    return _dumps(line)


def error_line(item: Item, error: str, meta: dict[str, Any]) -> str:
    line = {"id": item.id, "source": item.source, "status": "error", "error": error, "meta": meta}
    return _dumps(line)


def failure_meta(
    item: Item,
    error: BaseException | None,
    base: Meta,
    attempts: int,
    cost: float | None,
    seconds: float = 0.0,
) -> dict[str, Any]:
    """The failed call's own meta when it got that far, else what is known of the input."""
    meta = getattr(error, "meta", None)
    if isinstance(meta, Meta):
        return {**meta.as_dict(), "cost": cost}
    text = item.text or ""
    article = ArticleMeta(
        chars=len(text),
        sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() if text else "",
        source_language="unknown",
        published=item.published,
        outlet=item.outlet,
        url=item.url,
        title=item.title,
        input_format=item.input_format,
    )
    fallback = Meta(
        model=base.model,
        schema=base.schema,
        lang=base.lang,
        mode=base.mode,
        prompt_version=base.prompt_version,
        article=article,
        attempts=attempts,
        timings={"total": round(seconds, 3), "model": 0.0},
        complete=False,
    )
    return {**fallback.as_dict(), "cost": cost}


def write_briefings(out: Path, item: Item, result: Result, formats: tuple[str, ...]) -> list[str]:
    """Render the asked briefings into ``out/briefings``; their paths, relative to ``out``.

    Written before the article's commit: a kill in between reruns it and rewrites the same
    files, never leaves a committed article without its briefing. A format that cannot be
    rendered or written (python-docx refuses control characters, a full disk) is said in
    ``meta.warnings``: the article was paid for and its summary stands.
    """
    if result.summary is None or not formats:
        return []
    assert result.meta is not None
    written = []
    folder = out / BRIEFINGS
    for fmt in formats:
        target = folder / f"{safe_name(item.id)}.{fmt}"
        try:
            rendered: str | bytes = render_briefing(result, format=fmt)
            folder.mkdir(exist_ok=True)
            write_atomic(target, rendered.encode() if isinstance(rendered, str) else rendered)
        except Exception as exc:  # any renderer's failure, not only ours: see the docstring
            result.meta.warnings.append(f"{fmt} briefing not written: {_reason(exc)}")
            continue
        written.append(f"{BRIEFINGS}/{target.name}")
    return written


def _reason(exc: Exception) -> str:
    return str(exc) if isinstance(exc, SummarizerError) else f"{type(exc).__name__}: {exc}"


def safe_name(article_id: str) -> str:
    """A file name for an id: a path's last part, with a hash whenever the id had to change,
    so that two ids never share a name (``a/x.txt`` and ``b/x.txt``)."""
    base = article_id.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", base).strip("._")[:80]
    if name != article_id or not name:
        name = f"{name}-{hashlib.sha256(storable(article_id).encode()).hexdigest()[:8]}"
    return name


class ResultsFile:
    """``results.jsonl``: appended line by line, rewritten whole from the state database."""

    def __init__(self, out: Path) -> None:
        self.path = out / RESULTS
        self._file: Any = None

    def append(self, line: str) -> None:
        if self._file is None:
            self._file = self.path.open("a", encoding="utf-8")
        self._file.write(line + "\n")
        self._file.flush()  # into the OS before the next article: a killed process keeps it

    def rewrite(self, lines: Any) -> None:
        """Replace the file with ``lines`` (an iterable of str) atomically."""
        self.close()
        temporary = self.path.with_suffix(".jsonl.tmp")
        with temporary.open("w", encoding="utf-8") as file:
            for line in lines:
                file.write(line + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.path)

    def fingerprint(self) -> str | None:
        """Size and SHA-256 of the file as it is (None when missing): kept at a clean close,
        compared at the next start, so a file emptied or edited by hand is rebuilt."""
        digest = hashlib.sha256()
        try:
            with self.path.open("rb") as file:
                while chunk := file.read(1 << 20):
                    digest.update(chunk)
                size = file.tell()
        except FileNotFoundError:
            return None
        return f"{size}:{digest.hexdigest()}"

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _dumps(line: dict[str, Any]) -> str:
    # Redacted (a server may echo the key into model text too) and storable (a lone
    # surrogate in an id becomes its JSON escape, which reads back as the same string).
    return storable(json.dumps(redact_data(line), ensure_ascii=False))
