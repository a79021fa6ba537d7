"""The engine: decides what runs, and commits each finished article exactly once.

Per input: skip it if an earlier run ended it with the same input and configuration; stop
starting new ones once a budget is spent; else have it summarised (``Processor``, here in
this event loop or in worker processes, see ``pool.py``) and commit its ``Outcome``: one
state row, committed, then one appended line. One bad article never stops the others.

In this process, ``concurrency`` tasks share one input iterator, so inputs are read only as
fast as they are summarised and memory stays flat however long the batch. Ctrl-C cancels
the requests in flight (they rerun on resume) and the run ends cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterable, Iterator

from ..result import Result
from .inputs import Item
from .job import Job
from .output import ResultsFile
from .processor import Outcome, Processor
from .progress import Reporter, Stats
from .state import Record, State


class Engine:
    def __init__(
        self,
        job: Job,
        processor: Processor,
        state: State,
        results: ResultsFile,
        reporter: Reporter,
        stats: Stats,
        config_hash: str,
    ) -> None:
        self.job = job
        self.processor = processor
        self.state = state
        self.results = results
        self.reporter = reporter
        self.stats = stats
        self.config_hash = config_hash
        self.stopping = False
        self._seen: dict[str, str] = {}

    async def run(self, items: Iterable[tuple[int, Item]]) -> Stats:
        """Work through ``(seq, item)`` pairs in this process until done, out of budget, or
        interrupted."""
        iterator = iter(items)
        tasks = [asyncio.create_task(self._worker(iterator)) for _ in range(self.job.concurrency)]
        with on_interrupt(lambda: self.interrupt(tasks)):
            await asyncio.gather(*tasks, return_exceptions=True)
        return self.stats

    def interrupt(self, tasks: Iterable[asyncio.Task[None]] = ()) -> None:
        self.stats.stopped = "interrupted"
        self.stopping = True
        for task in tasks:
            task.cancel()

    async def _worker(self, items: Iterator[tuple[int, Item]]) -> None:
        # Tasks share one iterator: next() runs to completion between awaits.
        while (picked := self.next_to_run(items)) is not None:
            self.record(await self.processor.process(*picked))

    def next_to_run(self, items: Iterator[tuple[int, Item]]) -> tuple[int, Item] | None:
        """The next input that needs the model; records unreadable ones on the way."""
        for seq, given in items:
            if self.stopping:
                return None
            item = self.unique(given)
            if self.done_before(item) or not self.may_start():
                continue
            if item.error is not None or item.text is None:
                self.record(self.processor.failed(seq, item, item.error or "no text"))
                continue
            return seq, item
        return None

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
            self.stopping = True
        return not spent

    def accept(self, seq: int, item: Item, result: Result, discount: float = 1.0) -> None:
        self.record(self.processor.accepted(seq, item, result, discount))

    def record(self, outcome: Outcome) -> None:
        """Commit the article's row, then append its line. No await in here: a cancellation
        cannot come between the two, and a kill between them is repaired on the next run."""
        meta, item = outcome.meta, outcome.item
        self.state.record(
            Record(
                id=item.id,
                seq=outcome.seq,
                source=item.source,
                input_hash=item.input_hash,
                config_hash=self.config_hash,
                status=outcome.status,
                error=outcome.error,
                usage=meta.get("usage") or {},
                cost=meta.get("cost"),
                attempts=int(meta.get("attempts") or 0),
                seconds=float((meta.get("timings") or {}).get("total", 0.0)),
                line=outcome.line,
            )
        )
        self.results.append(outcome.line)
        self.stats.add(outcome.status, meta)
        if outcome.error is not None:
            self.reporter.failure(item.id, outcome.error)
        self.reporter.update(self.stats)


@contextlib.contextmanager
def on_interrupt(callback: Callable[[], None]) -> Iterator[None]:
    """Run ``callback`` on Ctrl-C for the length of the block (where the loop can)."""
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGINT, callback)
    except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGINT)
