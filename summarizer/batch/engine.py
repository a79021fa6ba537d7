"""The async engine: many articles at once, each ending in exactly one committed line.

``concurrency`` workers share one input iterator, so inputs are read only as fast as they are
summarised and memory stays flat however long the batch. Per article: skip it if an earlier
run ended it with the same input and configuration, else summarise it through the API (with
a per-article timeout), write its briefings, commit its row, append its line. One bad
article never stops the others; a spent budget stops starting new ones; Ctrl-C cancels the
requests in flight (they rerun on resume) and the run ends cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..api import Summarizer
from ..errors import SummarizerError
from ..prompts import prompt_version
from ..result import ArticleMeta, Meta, Result
from .inputs import Item
from .limiter import CHARGE, Charge, Limiter
from .output import ResultsFile, error_line, failure_meta, result_line, write_briefings
from .pricing import Prices
from .progress import Reporter, Stats
from .state import Record, State


@dataclass(frozen=True)
class Job:
    """What a batch run does, apart from the model settings (``config.Settings``)."""

    out: Path
    schema: str = "meeting"
    lang: str = "en"
    formats: tuple[str, ...] = ()  # briefing formats; JSON is results.jsonl itself
    concurrency: int = 8
    retry_failed: bool = False
    timeout_per_article: float | None = None
    max_cost: float | None = None
    max_tokens: int | None = None
    rpm: int | None = None
    tpm: int | None = None


class Engine:
    def __init__(
        self,
        job: Job,
        summarizer: Summarizer,
        state: State,
        results: ResultsFile,
        limiter: Limiter,
        reporter: Reporter,
        prices: Prices,
        stats: Stats,
        config_hash: str,
    ) -> None:
        self.job = job
        self.summarizer = summarizer
        self.state = state
        self.results = results
        self.limiter = limiter
        self.reporter = reporter
        self.prices = prices
        self.stats = stats
        self.config_hash = config_hash
        self._seen: dict[str, str] = {}
        self._stop = False
        settings = summarizer.settings
        self._base_meta = Meta(
            model=settings.model,
            schema=job.schema,
            lang=job.lang,
            mode=settings.mode,
            prompt_version=prompt_version(),
            article=ArticleMeta(chars=0, sha256="", source_language="unknown"),
        )

    async def run(self, items: Iterable[tuple[int, Item]]) -> Stats:
        """Work through ``(seq, item)`` pairs until done, out of budget, or interrupted."""
        iterator = iter(items)
        workers = [asyncio.create_task(self._worker(iterator)) for _ in range(self.job.concurrency)]
        loop = asyncio.get_running_loop()
        handled = _on_sigint(loop, lambda: self._interrupt(workers))
        try:
            await asyncio.gather(*workers, return_exceptions=True)
        finally:
            if handled:
                loop.remove_signal_handler(signal.SIGINT)
        return self.stats

    def _interrupt(self, workers: list[asyncio.Task[None]]) -> None:
        self.stats.stopped = "interrupted"
        self._stop = True
        for task in workers:
            task.cancel()

    async def _worker(self, items: Iterator[tuple[int, Item]]) -> None:
        # Workers share one iterator: next() runs to completion between awaits.
        for seq, item in items:
            if self._stop:
                return
            await self._one(seq, self.unique(item))

    def unique(self, item: Item) -> Item:
        """A repeated id would overwrite the first article's row: report it as its own error."""
        first = self._seen.setdefault(item.id, item.source)
        if first == item.source:
            return item
        return Item(
            f"{item.id}@{item.source}",
            item.source,
            item.input_hash,
            error=f"{item.source}: duplicate id {item.id!r} (first at {first}); ids must be unique",
        )

    def done_before(self, item: Item) -> bool:
        """True (and counted as skipped) when an earlier run ended this input as configured."""
        prior = self.state.prior(item.id)
        if (
            prior is None
            or prior.input_hash != item.input_hash
            or prior.config_hash != self.config_hash
            or (self.job.retry_failed and prior.status == "error")
        ):
            return False
        self.stats.skipped[prior.status] += 1
        self.reporter.update(self.stats)
        return True

    def may_start(self) -> bool:
        """False once a budget is spent: nothing new starts, the run ends resumable."""
        job, stats = self.job, self.stats
        spent = (job.max_tokens is not None and stats.usage["total_tokens"] >= job.max_tokens) or (
            job.max_cost is not None and stats.cost >= job.max_cost
        )
        if spent:
            self.stats.stopped = "budget"
            self._stop = True
        return not spent

    def record_unreadable(self, seq: int, item: Item) -> None:
        self._fail(seq, item, item.error or "no text", None, Charge(), 0.0)

    def record_error(self, seq: int, item: Item, message: str, error: BaseException) -> None:
        self._fail(seq, item, message, error, Charge(), 0.0)

    async def _one(self, seq: int, item: Item) -> None:
        if self.done_before(item) or not self.may_start():
            return
        if item.error is not None or item.text is None:
            self.record_unreadable(seq, item)
            return
        charge = Charge()
        CHARGE.set(charge)  # each worker task has its own context: this is per article
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.job.timeout_per_article):
                result = await self.summarizer.asummarize(
                    item.text,
                    self.job.schema,
                    self.job.lang,
                    published=item.published,
                    outlet=item.outlet,
                    url=item.url,
                    title=item.title,
                    input_format=item.input_format,
                )
        except SummarizerError as exc:
            self._settle(charge, exc.meta)
            self._fail(seq, item, str(exc), exc, charge, time.perf_counter() - started)
            return
        except TimeoutError as exc:
            message = f"timed out after {self.job.timeout_per_article}s (--timeout-per-article)"
            self._fail(seq, item, message, exc, charge, time.perf_counter() - started)
            return
        except Exception as exc:  # a bug must not take the other articles down with it
            message = f"internal error: {type(exc).__name__}: {exc}"
            self._fail(seq, item, message, exc, charge, time.perf_counter() - started)
            return
        self._settle(charge, result.meta)
        self.accept(seq, item, result)

    def accept(self, seq: int, item: Item, result: Result, discount: float = 1.0) -> None:
        """Commit a checked result (from the API, or a provider batch's validated answer)."""
        assert result.meta is not None
        briefings = write_briefings(self.job.out, item, result, self.job.formats)
        cost = self._cost(result.meta, discount)
        line = result_line(item, result, cost, briefings)
        status = "ok" if result.summary is not None else "no_event"
        self._commit(seq, item, status, None, {**result.meta.as_dict(), "cost": cost}, line)

    def _fail(
        self,
        seq: int,
        item: Item,
        message: str,
        error: BaseException | None,
        charge: Charge,
        seconds: float,
    ) -> None:
        meta = getattr(error, "meta", None)
        cost = self._cost(meta) if isinstance(meta, Meta) else None
        meta_dict = failure_meta(item, error, self._base_meta, charge.requests, cost, seconds)
        self._commit(seq, item, "error", message, meta_dict, error_line(item, message, meta_dict))
        self.reporter.failure(item.id, message)

    def _commit(
        self, seq: int, item: Item, status: str, error: str | None, meta: dict[str, Any], line: str
    ) -> None:
        # No await from here to the end: a cancellation cannot split commit and append.
        usage = meta.get("usage") or {}
        self.state.record(
            Record(
                id=item.id,
                seq=seq,
                source=item.source,
                input_hash=item.input_hash,
                config_hash=self.config_hash,
                status=status,
                error=error,
                usage=usage,
                cost=meta.get("cost"),
                attempts=int(meta.get("attempts") or 0),
                seconds=float((meta.get("timings") or {}).get("total", 0.0)),
                line=line,
            )
        )
        self.results.append(line)
        self.stats.add(status, meta)
        self.reporter.update(self.stats)

    def _cost(self, meta: Meta, discount: float = 1.0) -> float | None:
        if meta.cached:
            return 0.0
        return self.prices.cost(meta.model, meta.usage, discount)

    def _settle(self, charge: Charge, meta: Any) -> None:
        usage = getattr(meta, "usage", None) or {}
        self.limiter.settle(charge, int(usage.get("total_tokens", 0)))


def _on_sigint(loop: asyncio.AbstractEventLoop, callback: Any) -> bool:
    """Install ``callback`` for Ctrl-C; False where the loop cannot (Windows, a thread)."""
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGINT, callback)
        return True
    return False
